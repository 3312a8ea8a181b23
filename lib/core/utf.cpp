#include "core/utf.hpp"

namespace kk {

void append_code_point(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::size_t append_utf16le(std::string& out, std::span<const std::uint8_t> bytes, bool stop_at_nul) {
  std::size_t replaced = 0;
  const std::size_t units = bytes.size() / 2;
  out.reserve(out.size() + units);
  for (std::size_t i = 0; i < units; ++i) {
    char32_t u = static_cast<char32_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
    if (u == 0 && stop_at_nul) return replaced;
    if (u < 0x80) {
      out.push_back(static_cast<char>(u));
    } else if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 1 < units) {
        char32_t lo = static_cast<char32_t>(bytes[2 * i + 2] | (bytes[2 * i + 3] << 8));
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          append_code_point(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
          ++i;
          continue;
        }
      }
      append_code_point(out, 0xFFFD);
      ++replaced;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      append_code_point(out, 0xFFFD);
      ++replaced;
    } else {
      append_code_point(out, u);
    }
  }
  if (bytes.size() % 2 != 0) {  // odd trailing byte: half a code unit
    append_code_point(out, 0xFFFD);
    ++replaced;
  }
  return replaced;
}

std::size_t valid_utf8_prefix(std::string_view s) {
  if (s.empty()) return 0;
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  if (c < 0x80) return 1;
  std::size_t n;
  char32_t min;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < n) return 0;
  char32_t cp = c & (0x7F >> n);
  for (std::size_t i = 1; i < n; ++i) {
    if ((b(i) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

std::size_t append_sanitized_utf8(std::string& out, std::string_view s) {
  std::size_t replaced = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;  // fast path over ASCII
    while (run < s.size() && static_cast<unsigned char>(s[run]) < 0x80) ++run;
    out.append(s.data() + i, run - i);
    i = run;
    if (i >= s.size()) break;
    std::size_t n = valid_utf8_prefix(s.substr(i));
    if (n == 0) {
      append_code_point(out, 0xFFFD);
      ++replaced;
      ++i;
    } else {
      out.append(s.data() + i, n);
      i += n;
    }
  }
  return replaced;
}

namespace {
// Windows-1252 0x80..0x9F; 0 marks the five undefined positions (kept as U+FFFD).
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
}  // namespace

void append_cp1252(std::string& out, std::span<const std::uint8_t> bytes, bool stop_at_nul) {
  for (std::uint8_t c : bytes) {
    if (c == 0 && stop_at_nul) return;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0xA0) {
      char16_t u = kCp1252High[c - 0x80];
      append_code_point(out, u ? u : 0xFFFD);
    } else {
      append_code_point(out, c);
    }
  }
}

}  // namespace kk
