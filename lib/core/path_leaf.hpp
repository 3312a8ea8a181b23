// The last component of a path as Windows artefacts write it: after the last '\' or '/'
// ("C:\Users\a\x.exe" → "x.exe"); the whole text when there is neither.
#pragma once

#include <string_view>

namespace kk {

inline std::string_view path_leaf(std::string_view path) {
  auto slash = path.find_last_of("\\/");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace kk
