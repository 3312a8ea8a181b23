// What every case document must satisfy whatever its content.
#pragma once

#include <regex>
#include <string>

namespace kk_test {

// No catalog key missing ("[[key]]") and no placeholder left unfilled ("{n}").
inline bool all_text_filled(const std::string& doc) {
  return doc.find("[[") == std::string::npos &&
         !std::regex_search(doc, std::regex(R"(\{[a-z_]+\})"));
}

}  // namespace kk_test
