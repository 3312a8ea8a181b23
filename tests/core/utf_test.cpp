#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/utf.hpp"

namespace {
std::vector<std::uint8_t> u16(std::initializer_list<std::uint16_t> units) {
  std::vector<std::uint8_t> b;
  for (auto u : units) {
    b.push_back(static_cast<std::uint8_t>(u & 0xff));
    b.push_back(static_cast<std::uint8_t>(u >> 8));
  }
  return b;
}
bool is_valid_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = kk::valid_utf8_prefix(std::string_view(s).substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}
}  // namespace

TEST_CASE("UTF-16LE decodes BMP, Japanese and surrogate pairs") {
  CHECK(kk::utf16le_to_utf8(u16({'A', 'b'})) == "Ab");
  CHECK(kk::utf16le_to_utf8(u16({0x8abf, 0x67fb})) == "調査");
  CHECK(kk::utf16le_to_utf8(u16({0xD83D, 0xDE00})) == "\xF0\x9F\x98\x80");  // U+1F600
}

TEST_CASE("UTF-16LE never fails: unpaired surrogates and odd length become U+FFFD") {
  std::string out;
  auto b = u16({0xD800, 'x'});
  CHECK(kk::append_utf16le(out, b) == 1);
  CHECK(out == "\xEF\xBF\xBDx");
  out.clear();
  b = u16({'x', 0xDC00});
  CHECK(kk::append_utf16le(out, b) == 1);
  CHECK(out == "x\xEF\xBF\xBD");
  out.clear();
  b = u16({'y', 0xD800});  // high surrogate at the very end
  CHECK(kk::append_utf16le(out, b) == 1);
  out.clear();
  std::vector<std::uint8_t> odd = {'z', 0, 'q'};
  CHECK(kk::append_utf16le(out, odd) == 1);
  CHECK(out == "z\xEF\xBF\xBD");
  CHECK(is_valid_utf8(out));
}

TEST_CASE("UTF-16LE stops at NUL when asked") {
  CHECK(kk::utf16le_to_utf8(u16({'a', 0, 'b'}), true) == "a");
  CHECK(kk::utf16le_to_utf8(u16({'a', 0, 'b'}), false) == std::string("a\0b", 3));
}

TEST_CASE("sanitized UTF-8 replaces every invalid sequence") {
  std::string out;
  // overlong '/', lone continuation, truncated 3-byte, encoded surrogate
  std::string bad =
      "a\xC0\xAF"
      "b\x80"
      "c\xE3\x81"
      "d\xED\xA0\x80";
  kk::append_sanitized_utf8(out, bad);
  CHECK(is_valid_utf8(out));
  CHECK(out.find('a') == 0);
  CHECK(out.find('d') != std::string::npos);
  out.clear();
  CHECK(kk::append_sanitized_utf8(out, "日本語") == 0);
  CHECK(out == "日本語");
}

TEST_CASE("cp1252") {
  std::string out;
  std::vector<std::uint8_t> b = {'C', 0x80, 0xE9, 0x81, 0};
  kk::append_cp1252(out, b);
  CHECK(out == "C\xE2\x82\xAC\xC3\xA9\xEF\xBF\xBD");
}
