// Fast JSON text writer appending to a std::string.
//
// Strings are escaped per RFC 8259 and invalid UTF-8 is replaced by U+FFFD, so
// the output is always valid JSON whatever bytes the evidence held.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kk {

// Appends S as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);

// As append_json_string, for S that is itself JSON text (a timeline event's "details"
// object kept as one string): the same bytes, faster. Such text is mostly quotes to escape
// and, once checked as valid UTF-8 with no control byte, needs nothing else: each quote or
// backslash gets its backslash without the general escaper's call per byte.
void append_json_text_string(std::string& out, std::string_view s);

// The most bytes write_json_string can write for a string of N bytes (every byte a control
// character, "\u0001", the quotes, and 16 bytes of slack for whole-vector stores).
constexpr std::size_t json_string_bound(std::size_t n) { return 6 * n + 2 + 16; }
// Writes S quoted and escaped at OUT, which has json_string_bound(S.size()) bytes of room;
// returns the end of what was written. For writers into memory sized beforehand
// (core/out_buffer.hpp): no std::string growth or copy per string.
char* write_json_string(char* out, std::string_view s);
// The same for append_json_text_string: OUT has json_text_string_bound(S.size()) bytes of
// room (its 64-byte runs are copied in 16-byte pieces, which may overrun by up to 64).
constexpr std::size_t json_text_string_bound(std::size_t n) {
  return json_string_bound(n) + 64;
}
char* write_json_text_string(char* out, std::string_view s);

// Which bytes of one text (a log line) JSON must escape — controls, '"', '\\', bytes ≥ 0x80 —
// one bit per byte, found in one vector pass that also copies the text into padded memory.
// A record that writes many slices of the same line (every vendor field, then the line
// itself as `raw`: parse-netlog's output is ~3× its input, in ~90 strings a line) then
// writes a short slice with no such byte as one or two vector copies, without looking at
// its bytes again or calling anything, and escapes the others by jumping from flagged byte
// to flagged byte. Strings that are not slices of the text are written by
// write_json_string; the output is the same either way.
class JsonEscapeMap {
 public:
  // Maps TEXT. Later writes recognise slices of TEXT by their address (the map reads its
  // own copy, so TEXT need not outlive it).
  void build(std::string_view text);
  // Facts found on the way: a byte ≥ 0x80; the number of control bytes (< 0x20 but TAB,
  // and 0x7f).
  bool any_high() const { return high_; }
  std::size_t controls() const { return controls_; }
  // As write_json_string (OUT has json_string_bound(S.size()) bytes of room).
  char* write(char* out, std::string_view s) const {
    const std::size_t off =
        reinterpret_cast<std::uintptr_t>(s.data()) - reinterpret_cast<std::uintptr_t>(base_);
    const std::size_t n = s.size();
    if (off >= size_ || n > size_ - off) return write_json_string(out, s);  // not a slice
    if (n <= kShort) {
      // Bits OFF..OFF+N from the 8 bytes of the map at OFF / 8 (N + 7 <= 64).
      std::uint64_t w;
      std::memcpy(&w, flags_.get() + off / 8, 8);
      if (((w >> (off % 8)) & ((std::uint64_t{1} << n) - 1)) == 0) {
        // Plain: copied 16 bytes at a time from the padded copy (OUT's bound has 16 bytes
        // of slack for the last vector's excess).
        const char* src = copy_.get() + off;
        *out = '"';
        for (std::size_t k = 0; k < n; k += 16) std::memcpy(out + 1 + k, src + k, 16);
        out[n + 1] = '"';
        return out + n + 2;
      }
    }
    return write_slow(out, s, off);
  }

 private:
  static constexpr std::size_t kShort = 48;  // slices checked by one 64-bit load of the map
  // S is the slice of the text at FROM: escaped by jumping from flagged byte to flagged byte.
  char* write_slow(char* out, std::string_view s, std::size_t from) const;
  const char* base_ = nullptr;  // where TEXT was
  std::size_t size_ = 0, room_ = 0;
  std::unique_ptr<char[]> copy_;   // TEXT, then 64 bytes of padding
  std::unique_ptr<char[]> flags_;  // bit K of byte B: TEXT[8 * B + K] is flagged; padded
  bool high_ = false;
  std::size_t controls_ = 0;
};

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // Writes an object key; the next call writes its value.
  JsonWriter& key(std::string_view k);

  JsonWriter& string(std::string_view v);
  JsonWriter& integer(std::int64_t v);
  JsonWriter& unsigned_integer(std::uint64_t v);
  JsonWriter& number(double v);  // non-finite values become null
  JsonWriter& boolean(bool v);
  JsonWriter& null();
  // Already-rendered JSON (caller guarantees validity).
  JsonWriter& raw(std::string_view json);
  // ISO 8601 UTC time from microseconds since the Unix epoch.
  JsonWriter& time(std::int64_t utc_micros);
  // Optional values: the value, or null when it is absent (records keep every key).
  JsonWriter& time_or_null(std::optional<std::int64_t> utc_micros) {
    return utc_micros ? time(*utc_micros) : null();
  }

  // key + value shorthands.
  JsonWriter& field(std::string_view k, std::string_view v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, const char* v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, std::int64_t v) { return key(k).integer(v); }
  JsonWriter& field(std::string_view k, int v) { return key(k).integer(v); }
  JsonWriter& field(std::string_view k, unsigned v) { return key(k).unsigned_integer(v); }
  JsonWriter& field(std::string_view k, std::uint64_t v) { return key(k).unsigned_integer(v); }
  JsonWriter& field(std::string_view k, bool v) { return key(k).boolean(v); }
  // key + value, or null when absent (an empty string counts as absent).
  JsonWriter& string_or_null(std::string_view k, std::string_view v) {
    return v.empty() ? key(k).null() : key(k).string(v);
  }
  JsonWriter& integer_or_null(std::string_view k, std::optional<std::int64_t> v) {
    return v ? key(k).integer(*v) : key(k).null();
  }
  JsonWriter& time_or_null(std::string_view k, std::optional<std::int64_t> t) {
    return key(k).time_or_null(t);
  }

  // Ends a JSON Lines record: appends '\n' (depth must be 0).
  void end_line() { out_.push_back('\n'); }
  std::size_t depth() const { return first_.size(); }

 private:
  char separator();  // ',' when an element precedes in the open container, else 0
  void separate();
  std::string& out_;
  // Per open container, 1 while no element is written yet (a string: no allocation up to
  // 15 levels, and a JsonWriter is made per record).
  std::string first_;
  bool after_key_ = false;
};

}  // namespace kk
