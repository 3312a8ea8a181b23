#include "core/printable.hpp"

#include <cstdio>

namespace kk {

std::size_t control_length(std::string_view s) {
  if (s.empty()) return 0;
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x20 || b0 == 0x7f) return 1;
  if (b0 == 0xc2 && s.size() >= 2) {  // U+0080..U+009F: C1 controls (0x9b is CSI)
    const auto b1 = static_cast<unsigned char>(s[1]);
    if (b1 >= 0x80 && b1 <= 0x9f) return 2;
  }
  if (b0 == 0xe2 && s.size() >= 3) {  // U+202A..U+202E, U+2066..U+2069: bidi overrides
    const auto b1 = static_cast<unsigned char>(s[1]), b2 = static_cast<unsigned char>(s[2]);
    if ((b1 == 0x80 && b2 >= 0xaa && b2 <= 0xae) || (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9))
      return 3;
  }
  return 0;
}

void append_printable(std::string& out, std::string_view s) {
  std::size_t plain = 0;  // start of the run of ordinary bytes not yet copied
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = control_length(s.substr(i));
    if (n == 0) {
      ++i;
      continue;
    }
    out.append(s.substr(plain, i - plain));
    char buf[12];
    if (n == 1) {
      switch (s[i]) {
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i]));
          out += buf;
      }
    } else {
      unsigned cp = n == 2 ? (static_cast<unsigned char>(s[i + 1]) & 0x3fu) |
                                 ((static_cast<unsigned char>(s[i]) & 0x1fu) << 6)
                           : ((static_cast<unsigned char>(s[i]) & 0x0fu) << 12) |
                                 ((static_cast<unsigned char>(s[i + 1]) & 0x3fu) << 6) |
                                 (static_cast<unsigned char>(s[i + 2]) & 0x3fu);
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      out += buf;
    }
    i += n;
    plain = i;
  }
  out.append(s.substr(plain));
}

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_printable(out, s);
  return out;
}

}  // namespace kk
