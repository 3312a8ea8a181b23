#include "core/json_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <simdjson.h>

#include "core/time.hpp"
#include "core/utf.hpp"

namespace kk {

namespace {
constexpr char kHex[] = "0123456789abcdef";

// Copies N < 16 bytes without a call (two overlapping loads of a fixed size).
inline void copy_small(char* dst, const char* src, std::size_t n) {
  if (n >= 8) {
    std::uint64_t a, b;
    std::memcpy(&a, src, 8);
    std::memcpy(&b, src + n - 8, 8);
    std::memcpy(dst, &a, 8);
    std::memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, src, 4);
    std::memcpy(&b, src + n - 4, 4);
    std::memcpy(dst, &a, 4);
    std::memcpy(dst + n - 4, &b, 4);
  } else if (n > 0) {
    dst[0] = src[0];
    dst[n / 2] = src[n / 2];
    dst[n - 1] = src[n - 1];
  }
}

#if defined(__SSE2__)
// The bytes of V that JSON must escape, one bit each: a signed compare "< 0x20" also
// catches the bytes >= 0x80 (they go through the UTF-8 path).
inline unsigned needs_escape(__m128i v) {
  const __m128i bad = _mm_or_si128(
      _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
  return static_cast<unsigned>(_mm_movemask_epi8(bad));
}

// The same for the last SIZE - I (< 16) bytes of S[0..SIZE), bit K = byte I + K: the last
// 16 bytes of S when it has them, else a short string's first and last 8 (or 4) bytes as
// the two halves of one vector, straight from registers (a padded copy in memory would
// stall on store forwarding), else byte by byte.
[[gnu::always_inline]] inline unsigned tail_escape_mask(const char* s, std::size_t i,
                                                        std::size_t size) {
  const std::size_t left = size - i;
  if (size >= 16)
    return needs_escape(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + size - 16))) >>
           (16 - left);
  if (left >= 4) {
    const unsigned w = left >= 8 ? 8 : 4;
    std::uint64_t lo = 0, hi = 0;
    if (w == 8) {
      std::memcpy(&lo, s + i, 8);
      std::memcpy(&hi, s + size - 8, 8);
    } else {  // x86 is little-endian: the 4 bytes are the low ones
      std::memcpy(&lo, s + i, 4);
      std::memcpy(&hi, s + size - 4, 4);
    }
    const unsigned m =
        needs_escape(_mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo)));
    const unsigned lane = (1u << w) - 1, m_lo = m & lane, m_hi = (m >> 8) & lane;
    return m_lo ? m_lo : m_hi ? m_hi << (left - w) : 0;
  }
  unsigned mask = 0;
  for (std::size_t k = 0; k < left; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) mask |= 1u << k;
  }
  return mask;
}
#endif

// Copies the bytes of S[I..STOP) that need no escape to OUT, up to the first that does;
// returns how many. S[0..SIZE) may be read (STOP <= SIZE); OUT has 16 bytes of slack.
// Most text is plain ASCII, so it is scanned and copied 16 bytes at a time (SSE2: a
// signed compare "< 0x20" also catches the bytes >= 0x80), else 8 at a time with the bit
// tricks of "Bit Twiddling Hacks" (hasless/haszero).
std::size_t copy_plain(const char* s, std::size_t i, std::size_t stop, std::size_t size,
                       char* out) {
#if defined(__SSE2__)
  const std::size_t from = i;
  for (; i + 16 <= size; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + (i - from)), v);
    unsigned mask = needs_escape(v);
    if (stop - i < 16) mask |= ~0u << (stop - i);  // bytes from STOP on are not ours
    if (mask != 0) return i - from + static_cast<std::size_t>(__builtin_ctz(mask));
  }
  // Fewer than 16 bytes left in S.
  const unsigned mask = tail_escape_mask(s, i, size) | ~0u << (stop - i);
  const auto n = static_cast<std::size_t>(__builtin_ctz(mask));
  copy_small(out + (i - from), s + i, n);
  return i - from + n;
#else
  // Bytes that cannot be copied as they are: controls, '"', '\\' and everything ≥ 0x80
  // (checked as UTF-8 one sequence at a time).
  static constexpr auto kNeedsEscape = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
    return t;
  }();
  (void)size;
  const std::size_t from = i;
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHighs; };
  for (std::uint64_t x; i + 8 <= stop; i += 8) {
    std::memcpy(&x, s + i, 8);
    const std::uint64_t control = (x - kOnes * 0x20) & ~x & kHighs;
    if ((control | has_zero(x ^ (kOnes * '"')) | has_zero(x ^ (kOnes * '\\')) | (x & kHighs)) != 0)
      break;
  }
  while (i < stop && !kNeedsEscape[static_cast<unsigned char>(s[i])]) ++i;
  std::memcpy(out, s + from, i - from);
  return i - from;
#endif
}

// Writes the byte at S[I] that copy_plain stopped at — an escape, or a UTF-8 sequence (as
// it is when valid, else U+FFFD) — to OUT; returns the input position after it.
inline std::size_t escape_one(std::string_view s, std::size_t i, char*& out) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c >= 0x80) {
    const std::size_t n = valid_utf8_prefix(s.substr(i, 4));
    if (n == 0) {
      std::memcpy(out, "\xEF\xBF\xBD", 3);
      out += 3;
      return i + 1;
    }
    std::memcpy(out, s.data() + i, n);
    out += n;
    return i + n;
  }
  *out++ = '\\';
  switch (c) {
    case '"':
      *out++ = '"';
      break;
    case '\\':
      *out++ = '\\';
      break;
    case '\n':
      *out++ = 'n';
      break;
    case '\r':
      *out++ = 'r';
      break;
    case '\t':
      *out++ = 't';
      break;
    case '\b':
      *out++ = 'b';
      break;
    case '\f':
      *out++ = 'f';
      break;
    default:
      std::memcpy(out, "u00", 3);
      out[3] = kHex[c >> 4];
      out[4] = kHex[c & 0xF];
      out += 5;
  }
  return i + 1;
}

// Escapes S[I..) into OUT until at least STOP is reached (a UTF-8 sequence that starts
// before STOP is taken whole); returns the input position reached. OUT must have room
// for 6 bytes per input byte plus 20 (the worst case: every byte a control, "\u0001";
// 16 bytes of slack for copy_plain's whole-vector stores).
std::size_t escape_into(std::string_view s, std::size_t i, std::size_t stop, char*& out) {
  while (i < stop) {
    const std::size_t run = copy_plain(s.data(), i, stop, s.size(), out);
    out += run;
    i += run;
    if (i >= stop) break;
    i = escape_one(s, i, out);
  }
  return i;
}

// Input bytes escaped per pass through the stack buffer: one append to OUT per pass
// (std::string calls, not the bytes, are what a record of ~80 short strings costs).
constexpr std::size_t kChunk = 1024;

// Appends PREFIX (0 = none), S quoted and escaped, then SUFFIX (0 = none).
void append_quoted(std::string& out, char prefix, std::string_view s, char suffix) {
  char buf[kChunk * 6 + 32];
  static_assert(sizeof buf >= 1 + json_string_bound(kChunk) + 1);
  char* p = buf;
  if (prefix) *p++ = prefix;
  if (s.size() <= kChunk) {  // nearly every key and value: write_json_string's vector path
    p = write_json_string(p, s);
    if (suffix) *p++ = suffix;
    out.append(buf, static_cast<std::size_t>(p - buf));
    return;
  }
  *p++ = '"';
  std::size_t i = 0;
  for (;;) {
    const std::size_t stop = std::min(s.size(), i + kChunk);
    i = escape_into(s, i, stop, p);
    if (i >= s.size()) break;
    out.append(buf, static_cast<std::size_t>(p - buf));
    p = buf;
  }
  *p++ = '"';
  if (suffix) *p++ = suffix;
  out.append(buf, static_cast<std::size_t>(p - buf));
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  append_quoted(out, 0, s, 0);
}

#if defined(__SSE2__)
namespace {
// The 64 bytes at D: quotes and backslashes (*QUOTES), and the bytes <= 0x1f (returned),
// one bit each.
inline std::uint64_t block_masks(const char* d, std::uint64_t* quotes) {
  std::uint64_t q = 0, c = 0;
  for (unsigned k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + 16 * k));
    const __m128i controls =
        _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
    const __m128i escaped =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    q |= std::uint64_t{static_cast<unsigned>(_mm_movemask_epi8(escaped))} << (16 * k);
    c |= std::uint64_t{static_cast<unsigned>(_mm_movemask_epi8(controls))} << (16 * k);
  }
  *quotes = q;
  return c;
}

// Copies N <= 64 bytes in 16-byte pieces: may read and write up to 15 bytes past N.
inline void copy_pieces(char* out, const char* in, std::size_t n) {
  for (std::size_t o = 0; o < n; o += 16)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + o),
                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + o)));
}
}  // namespace

// 64 bytes at a time: each quote or backslash gets a backslash before it and starts the
// next run copied, so a run is one or two vector copies, whatever the quotes' density.
char* write_json_text_string(char* out, std::string_view s) {
  if (!simdjson::validate_utf8(s.data(), s.size())) return write_json_string(out, s);
  const std::size_t n = s.size();
  char* p = out;
  *p++ = '"';
  char last[64 + 16];  // the last bytes of S, padded: nothing is read past S
  for (std::size_t i = 0; i < n;) {
    const char* block = s.data() + i;
    std::size_t len = 64;
    if (n - i < 64 + 16) {
      len = std::min<std::size_t>(64, n - i);
      std::memcpy(last, block, len);
      std::memset(last + len, 'x', sizeof last - len);
      block = last;
    }
    std::uint64_t quotes;
    if (block_masks(block, &quotes) != 0)  // a control byte: not text this program wrote
      return write_json_string(out, s);
    std::size_t from = 0;
    for (; quotes; quotes &= quotes - 1) {
      const auto k = static_cast<std::size_t>(__builtin_ctzll(quotes));
      copy_pieces(p, block + from, k - from);
      p += k - from;
      *p++ = '\\';
      from = k;
    }
    copy_pieces(p, block + from, len - from);
    p += len - from;
    i += len;
  }
  *p++ = '"';
  return p;
}
#else
char* write_json_text_string(char* out, std::string_view s) {
  return write_json_string(out, s);
}
#endif

void append_json_text_string(std::string& out, std::string_view s) {
  const std::size_t start = out.size();
  out.resize(start + json_text_string_bound(s.size()));
  char* const begin = out.data() + start;
  out.resize(start + static_cast<std::size_t>(write_json_text_string(begin, s) - begin));
}

char* write_json_string(char* out, std::string_view s) {
  *out++ = '"';
#if defined(__SSE2__)
  // As escape_into, for one whole string: no STOP to honour, so the common cases — a
  // string shorter than 16 bytes with nothing to escape, a long plain run — are a few
  // vector operations (a record has ~80 strings, most of them short).
  const char* d = s.data();
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned mask;
    std::size_t run;
    if (i + 16 <= n) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), v);
      mask = needs_escape(v);
      if (mask == 0) {
        out += 16;
        i += 16;
        continue;
      }
      run = static_cast<std::size_t>(__builtin_ctz(mask));
    } else {
      const std::size_t left = n - i;
      mask = tail_escape_mask(d, i, n);
      run = mask ? static_cast<std::size_t>(__builtin_ctz(mask)) : left;
      copy_small(out, d + i, run);
    }
    out += run;
    i += run;
    if (i < n) i = escape_one(s, i, out);
  }
#else
  escape_into(s, 0, s.size(), out);
#endif
  *out++ = '"';
  return out;
}

void JsonEscapeMap::build(std::string_view text) {
  const std::size_t n = text.size();
  if (room_ < n || !copy_) {
    room_ = std::max<std::size_t>(n, 4096);
    copy_ = std::make_unique_for_overwrite<char[]>(room_ + 64);
    flags_ = std::make_unique_for_overwrite<char[]>(room_ / 8 + 16);
  }
  base_ = text.data();
  size_ = n;
  high_ = false;
  controls_ = 0;
  const char* d = text.data();
  char* copy = copy_.get();
  char* flags = flags_.get();
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(copy + i), v);
    // Signed "< 0x20": the controls and the bytes >= 0x80.
    const __m128i below = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    const __m128i del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f));
    const auto esc = static_cast<std::uint16_t>(_mm_movemask_epi8(
        _mm_or_si128(below, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                         _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))))));
    std::memcpy(flags + i / 8, &esc, 2);
    if (_mm_movemask_epi8(_mm_or_si128(below, del)) != 0) {  // rare: count them
      const auto hi = static_cast<unsigned>(_mm_movemask_epi8(v));
      const auto tab =
          static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
      const auto ctl = static_cast<unsigned>(_mm_movemask_epi8(below)) & ~hi & ~tab;
      high_ |= hi != 0;
      controls_ += static_cast<std::size_t>(
          __builtin_popcount(ctl) +
          __builtin_popcount(static_cast<unsigned>(_mm_movemask_epi8(del))));
    }
  }
#endif
  // The map's padding (and the flag bytes of the last bytes) zeroed.
  std::memset(flags + i / 8, 0, (n - i) / 8 + 9);
#if defined(__SSE2__)
  if (i < n && n >= 16) {
    // The last 1-15 bytes as one more vector, the last 16 bytes of TEXT, with the bits of
    // the bytes already mapped shifted out (a byte loop here was ~10 % of the map's cost).
    const unsigned done = static_cast<unsigned>(16 - (n - i));
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + n - 16));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(copy + n - 16), v);
    const __m128i below = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    const __m128i del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f));
    const auto esc = static_cast<std::uint16_t>(
        static_cast<unsigned>(_mm_movemask_epi8(
            _mm_or_si128(below, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                             _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')))))) >>
        done);
    std::memcpy(flags + i / 8, &esc, 2);  // I is a multiple of 16: whole flag bytes
    if ((static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(below, del))) >> done) != 0) {
      const auto hi = static_cast<unsigned>(_mm_movemask_epi8(v)) >> done;
      const auto tab =
          static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')))) >> done;
      const auto ctl = (static_cast<unsigned>(_mm_movemask_epi8(below)) >> done) & ~hi & ~tab;
      high_ |= hi != 0;
      controls_ += static_cast<std::size_t>(
          __builtin_popcount(ctl) +
          __builtin_popcount(static_cast<unsigned>(_mm_movemask_epi8(del)) >> done));
    }
    i = n;
  }
#endif
  // Texts shorter than 16 bytes (all of them without SSE2), bit by bit.
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(d[i]);
    copy[i] = d[i];
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80)
      flags[i / 8] = static_cast<char>(flags[i / 8] | (1 << (i % 8)));
    high_ |= c >= 0x80;
    controls_ += (c < 0x20 && c != '\t') || c == 0x7f;
  }
}

char* JsonEscapeMap::write_slow(char* out, std::string_view s, std::size_t from) const {
  const std::size_t end = from + s.size();
  const char* d = copy_.get();
  const unsigned char* flags = reinterpret_cast<const unsigned char*>(flags_.get());
  *out++ = '"';
  std::size_t i = from;
  while (i < end) {
    // The flags of the next (up to) 56 bytes from I: one load of the map at I / 8, shifted
    // (the map is padded: the load stays inside it).
    const std::size_t at = i;
    std::uint64_t w;
    std::memcpy(&w, flags + at / 8, 8);
    const std::size_t span = std::min<std::size_t>(56, end - at);
    w = (w >> (at % 8)) & ((std::uint64_t{1} << span) - 1);
    // Each flagged byte in turn, the plain bytes before it copied 16 at a time from the
    // padded copy (OUT has 16 bytes of slack); '"' and '\\' (the quotes of JSON payloads,
    // paths) escaped here, anything else by escape_one, after which the map is read anew.
    bool other = false;
    while (w) {
      const std::size_t e = at + static_cast<std::size_t>(__builtin_ctzll(w));
      for (std::size_t k = 0; k < e - i; k += 16) std::memcpy(out + k, d + i + k, 16);
      out += e - i;
      const char c = d[e];
      if (c != '"' && c != '\\') {
        i = from + escape_one(s, e - from, out);  // UTF-8 checked within S, as everywhere
        other = true;
        break;
      }
      out[0] = '\\';
      out[1] = c;
      out += 2;
      i = e + 1;
      w &= w - 1;
    }
    if (other) continue;
    const std::size_t stop = at + span;
    for (std::size_t k = 0; k < stop - i; k += 16) std::memcpy(out + k, d + i + k, 16);
    out += stop - i;
    i = stop;
  }
  *out++ = '"';
  return out;
}

char JsonWriter::separator() {
  if (after_key_) {
    after_key_ = false;
    return 0;
  }
  if (first_.empty()) return 0;
  const bool first = first_.back() != 0;
  first_.back() = 0;
  return first ? 0 : ',';
}

void JsonWriter::separate() {
  if (const char c = separator()) out_.push_back(c);
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  out_.push_back('{');
  first_.push_back(1);
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  out_.push_back('}');
  if (!first_.empty()) first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  separate();
  out_.push_back('[');
  first_.push_back(1);
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  out_.push_back(']');
  if (!first_.empty()) first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::key(std::string_view k) {
  append_quoted(out_, separator(), k, ':');
  after_key_ = true;
  return *this;
}
JsonWriter& JsonWriter::string(std::string_view v) {
  append_quoted(out_, separator(), v, 0);
  return *this;
}
JsonWriter& JsonWriter::integer(std::int64_t v) {
  separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, static_cast<std::size_t>(r.ptr - buf));
  return *this;
}
JsonWriter& JsonWriter::unsigned_integer(std::uint64_t v) {
  separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, static_cast<std::size_t>(r.ptr - buf));
  return *this;
}
JsonWriter& JsonWriter::number(double v) {
  separate();
  if (!std::isfinite(v)) {
    out_.append("null");
    return *this;
  }
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%.17g", v);
  out_.append(buf, static_cast<std::size_t>(n));
  return *this;
}
JsonWriter& JsonWriter::boolean(bool v) {
  separate();
  out_.append(v ? "true" : "false");
  return *this;
}
JsonWriter& JsonWriter::null() {
  separate();
  out_.append("null");
  return *this;
}
JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_.append(json);
  return *this;
}
JsonWriter& JsonWriter::time(std::int64_t utc_micros) {
  separate();
  out_.push_back('"');
  append_iso(out_, utc_micros);
  out_.push_back('"');
  return *this;
}

}  // namespace kk
