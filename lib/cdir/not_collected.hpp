// What CDIR-C does not collect, so the notice can state it as a limitation of the analysis.
// Read from the collector's source (v1.3.7): it copies only the categories in kind.hpp.
#pragma once

#include <span>
#include <string_view>

namespace kk::cdir {

struct NotCollected {
  std::string_view id;    // stable key for translations
  std::string_view what;  // English description
};

std::span<const NotCollected> not_collected_by_cdir();

}  // namespace kk::cdir
