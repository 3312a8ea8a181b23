// Text decoding that never fails: UTF-16LE and untrusted UTF-8 to valid UTF-8.
//
// Invalid input (unpaired surrogates, odd trailing byte, malformed UTF-8) is
// replaced by U+FFFD and counted, so output is always valid UTF-8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace kk {

// Appends the UTF-8 form of UTF-16LE BYTES to OUT. With stop_at_nul, stops at
// the first U+0000. Returns the number of replacement characters written.
std::size_t append_utf16le(std::string& out, std::span<const std::uint8_t> bytes,
                           bool stop_at_nul = false);

inline std::string utf16le_to_utf8(std::span<const std::uint8_t> bytes, bool stop_at_nul = false) {
  std::string s;
  append_utf16le(s, bytes, stop_at_nul);
  return s;
}

// Appends code point CP as UTF-8 (invalid code points become U+FFFD).
void append_code_point(std::string& out, char32_t cp);

// Length of the valid UTF-8 sequence at the start of S, or 0 if it is invalid.
std::size_t valid_utf8_prefix(std::string_view s);

// Copies S to OUT, replacing invalid UTF-8 sequences by U+FFFD. Returns the count replaced.
std::size_t append_sanitized_utf8(std::string& out, std::string_view s);

// Single-byte Windows-1252 (the usual "ANSI" code page of evidence strings) to UTF-8.
void append_cp1252(std::string& out, std::span<const std::uint8_t> bytes, bool stop_at_nul = true);

}  // namespace kk
