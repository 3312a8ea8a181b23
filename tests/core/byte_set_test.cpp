#include "core/byte_set.hpp"

#include <doctest/doctest.h>

namespace {

constexpr kk::ByteSet kDigitsOrDot([](int c) { return (c >= '0' && c <= '9') || c == '.'; });
constexpr kk::ByteSet kHigh([](int c) { return c >= 0x80; });

}  // namespace

TEST_CASE("ByteSet: membership of every byte value equals the predicate it was built from") {
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);  // bytes >= 0x80 arrive as negative chars
    const bool digit_or_dot = (c >= '0' && c <= '9') || c == '.';
    CHECK(kDigitsOrDot(ch) == digit_or_dot);
    CHECK(kHigh(ch) == (c >= 0x80));
    CHECK(kk::ascii_alnum(c) ==
          ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')));
  }
  static_assert(kDigitsOrDot('7') && !kDigitsOrDot('a'), "built at compile time");
}
