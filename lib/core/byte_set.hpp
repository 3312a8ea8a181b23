// A set of byte values as a 256-entry table built at compile time. Why: parsers test every
// byte of a line against a class such as "key characters" (letters, digits, '_', '.', …);
// as a chain of compares that is a branch per range and per extra byte, as a table one load.
#pragma once

#include <array>
#include <cstddef>

namespace kk {

class ByteSet {
 public:
  // The bytes C (0-255) for which IN(C) is true.
  template <typename Pred>
  constexpr explicit ByteSet(Pred in) {
    for (int c = 0; c < 256; ++c) t_[static_cast<std::size_t>(c)] = in(c);
  }
  constexpr bool operator()(char c) const { return t_[static_cast<unsigned char>(c)]; }

 private:
  std::array<bool, 256> t_{};
};

// ASCII letters and digits (the common core of the key-character classes).
constexpr bool ascii_alnum(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace kk
