// Delimited records: RFC 4180 CSV ("quoted, with "" inside") and vendor separators such as
// TAB (McAfee Access Protection) or "<;>" (Trend Micro pccnt35.log).
#include <string>

#include "netlog/syntax.hpp"

namespace kk::netlog {

void split_delimited(std::string_view s, std::string_view delim, std::vector<std::string_view>& out,
                     Arena& arena) {
  if (delim.empty()) return;
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (true) {
    if (delim.size() == 1 && i < n && s[i] == '"') {
      // Quoted cell: runs to the closing quote; "" is a literal quote.
      std::size_t j = i + 1;
      bool doubled = false;
      while (j < n) {
        if (s[j] == '"') {
          if (j + 1 < n && s[j + 1] == '"') {
            doubled = true;
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      std::string_view cell = s.substr(i + 1, (j < n ? j : n) - i - 1);
      if (doubled) {
        std::string tmp;
        for (std::size_t k = 0; k < cell.size(); ++k) {
          tmp.push_back(cell[k]);
          if (cell[k] == '"' && k + 1 < cell.size() && cell[k + 1] == '"') ++k;
        }
        cell = arena.keep(tmp);
      }
      out.push_back(cell);
      i = j < n ? j + 1 : n;
      // Anything between the closing quote and the delimiter is dropped.
      const std::size_t e = s.find(delim, i);
      if (e == std::string_view::npos) return;
      i = e + delim.size();
      continue;
    }
    const std::size_t e = s.find(delim, i);
    if (e == std::string_view::npos) {
      out.push_back(s.substr(std::min(i, n)));
      return;
    }
    out.push_back(s.substr(i, e - i));
    i = e + delim.size();
  }
}

}  // namespace kk::netlog
