// Rendering of BinXML substitution values, as the contract (JSON) and Windows
// (XML text) show them; see the EVTX format documentation, "Value types".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "evtx/text_buffer.hpp"

namespace kk::evtx {

// How times are written: JSON uses microseconds, Windows' XML 100 ns (7 digits).
enum class TimeStyle : std::uint8_t { kMicros, kTicks };

// Appends the JSON value of a non-array value (numbers bare, everything else quoted).
void value_json(TextBuffer& out, std::uint8_t type, const std::uint8_t* p, std::size_t n);
// Appends the JSON rendering of any value, arrays as JSON arrays.
void any_value_json(TextBuffer& out, std::uint8_t type, const std::uint8_t* p, std::size_t n);
// Appends a non-array value as text, escaped with E.
void value_text(TextBuffer& out, std::uint8_t type, const std::uint8_t* p, std::size_t n, Escape e,
                TimeStyle ts);

// Calls F(const uint8_t* item, size_t size) for each item of an array value of TYPE
// (the type with 0x80 set). Returns false if the bytes do not divide into items.
template <typename F>
bool for_each_array_item(std::uint8_t type, const std::uint8_t* p, std::size_t n, F&& f);

// The numeric value of an integer-like value (ints, hex ints, size_t, bool, handle).
std::optional<std::uint64_t> value_number(std::uint8_t type, const std::uint8_t* p, std::size_t n);
// UtcMicros of a FILETIME or SYSTEMTIME value (nullopt for 0 or invalid).
std::optional<std::int64_t> value_time(std::uint8_t type, const std::uint8_t* p, std::size_t n);

// ISO 8601 UTC from FILETIME ticks: 6 fractional digits (kMicros) or 7 (kTicks).
void append_filetime(TextBuffer& out, std::uint64_t filetime, TimeStyle ts);
void append_micros_iso(TextBuffer& out, std::int64_t utc_micros);

// Size in bytes of one item of the fixed-size element type T (0 if variable / unknown).
std::size_t fixed_item_size(std::uint8_t t, std::size_t total);

template <typename F>
bool for_each_array_item(std::uint8_t type, const std::uint8_t* p, std::size_t n, F&& f) {
  std::uint8_t t = type & 0x7f;
  if (t == 0x01) {  // UTF-16 strings, each terminated by U+0000
    std::size_t start = 0, i = 0;
    for (; i + 1 < n; i += 2) {
      if (p[i] == 0 && p[i + 1] == 0) {
        f(p + start, i - start);
        start = i + 2;
      }
    }
    if (start < n && n - start >= 2) f(p + start, (n - start) & ~std::size_t{1});
    return true;
  }
  if (t == 0x02) {  // ANSI strings, each NUL-terminated
    std::size_t start = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (p[i] == 0) {
        f(p + start, i - start);
        start = i + 1;
      }
    }
    if (start < n) f(p + start, n - start);
    return true;
  }
  if (t == 0x13) {  // SIDs: 8 + 4 * sub-authority count bytes each
    std::size_t i = 0;
    while (i + 8 <= n) {
      std::size_t len = 8 + 4 * static_cast<std::size_t>(p[i + 1]);
      if (i + len > n) return false;
      f(p + i, len);
      i += len;
    }
    return i == n;
  }
  std::size_t sz = fixed_item_size(t, n);
  if (sz == 0 || n % sz != 0) return false;
  for (std::size_t i = 0; i < n; i += sz) f(p + i, sz);
  return true;
}

}  // namespace kk::evtx
