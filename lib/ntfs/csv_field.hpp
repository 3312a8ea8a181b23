// Private: RFC 4180 CSV fields for --format csv.
#pragma once

#include <string>
#include <string_view>

namespace kk::ntfs {

// Appends S as one CSV field, quoted when it holds a comma, quote or line break.
inline void append_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace kk::ntfs
