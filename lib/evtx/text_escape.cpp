// UTF-16LE / Windows-1252 to UTF-8 with JSON or XML escaping, in one pass and
// without intermediate strings: the renderer's innermost loop.
#include <array>
#include <cstring>

#include "evtx/text_buffer.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kk::evtx {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Windows-1252 0x80..0x9F differ from Latin-1; 0 marks undefined bytes (kept as U+FFFD).
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

inline char* put_json_ascii(char* w, unsigned c) {
  switch (c) {
    case '"':
      *w++ = '\\';
      *w++ = '"';
      return w;
    case '\\':
      *w++ = '\\';
      *w++ = '\\';
      return w;
    case '\n':
      *w++ = '\\';
      *w++ = 'n';
      return w;
    case '\r':
      *w++ = '\\';
      *w++ = 'r';
      return w;
    case '\t':
      *w++ = '\\';
      *w++ = 't';
      return w;
    default:
      break;
  }
  if (c < 0x20) {
    *w++ = '\\';
    *w++ = 'u';
    *w++ = '0';
    *w++ = '0';
    *w++ = kHex[c >> 4];
    *w++ = kHex[c & 15];
    return w;
  }
  *w++ = static_cast<char>(c);
  return w;
}

inline char* put_lit(char* w, const char* s) {
  while (*s) *w++ = *s++;
  return w;
}

// Writes one ASCII character with escaping E. Worst case 6 bytes.
inline char* put_ascii(char* w, unsigned c, Escape e) {
  switch (e) {
    case Escape::kNone:
      *w++ = static_cast<char>(c);
      return w;
    case Escape::kJson:
      return put_json_ascii(w, c);
    case Escape::kXmlText:
    case Escape::kJsonXmlText:
    case Escape::kXmlAttr:
    case Escape::kJsonXmlAttr: {
      bool attr = e == Escape::kXmlAttr || e == Escape::kJsonXmlAttr;
      if (c == '&') return put_lit(w, "&amp;");
      if (c == '<') return put_lit(w, "&lt;");
      if (c == '>') return put_lit(w, "&gt;");
      if (c == '"' && attr) return put_lit(w, "&quot;");
      if (e == Escape::kJsonXmlText || e == Escape::kJsonXmlAttr) return put_json_ascii(w, c);
      *w++ = static_cast<char>(c);
      return w;
    }
  }
  return w;
}

inline bool plain_ascii(unsigned c, Escape e) {
  if (c >= 0x80 || c < 0x20) return e == Escape::kNone && c < 0x80;
  if (e == Escape::kNone) return true;
  return c != '"' && c != '\\' && c != '&' && c != '<' && c != '>';
}

inline char* put_code_point(char* w, char32_t cp) {
  if (cp < 0x800) {
    *w++ = static_cast<char>(0xC0 | (cp >> 6));
    *w++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *w++ = static_cast<char>(0xE0 | (cp >> 12));
    *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *w++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *w++ = static_cast<char>(0xF0 | (cp >> 18));
    *w++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *w++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return w;
}

// Copies 8-unit blocks that are plain printable ASCII needing no escape (most
// event text) with SSE2; returns where the scalar loop must take over.
inline std::size_t ascii_blocks(const std::uint8_t* p, std::size_t i, std::size_t units, char*& w,
                                Escape e) {
#if defined(__SSE2__)
  if (e != Escape::kJson && e != Escape::kNone) return i;
  const __m128i zero = _mm_setzero_si128();
  const __m128i high = _mm_set1_epi16(static_cast<short>(0xff80));
  const __m128i space = _mm_set1_epi16(0x20);
  const __m128i quote = _mm_set1_epi16('"');
  const __m128i backslash = _mm_set1_epi16('\\');
  while (i + 8 <= units) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2 * i));
    __m128i ascii = _mm_cmpeq_epi16(_mm_and_si128(v, high), zero);
    __m128i special =
        _mm_or_si128(_mm_cmplt_epi16(v, space),
                     _mm_or_si128(_mm_cmpeq_epi16(v, quote), _mm_cmpeq_epi16(v, backslash)));
    unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(special, ascii)));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(w), _mm_packus_epi16(v, v));
    if (m != 0xFFFF) {  // keep the plain units before the first one to escape (a path's '\\')
      std::size_t plain = static_cast<std::size_t>(__builtin_ctz(~m)) / 2;
      w += plain;
      return i + plain;
    }
    w += 8;
    i += 8;
  }
  // The last 1..7 units (most values are short: ids, flags, SIDs) the same way, through a
  // zeroed copy so that nothing past the string is read. The caller reserved at least
  // 8 bytes past what these units may take.
  std::size_t rem = units - i;
  if (rem > 0 && rem < 8) {
    alignas(16) std::uint8_t tmp[16] = {};
    std::memcpy(tmp, p + 2 * i, 2 * rem);
    __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(tmp));
    __m128i ascii = _mm_cmpeq_epi16(_mm_and_si128(v, high), zero);
    __m128i special =
        _mm_or_si128(_mm_cmplt_epi16(v, space),
                     _mm_or_si128(_mm_cmpeq_epi16(v, quote), _mm_cmpeq_epi16(v, backslash)));
    unsigned want = (1u << (2 * rem)) - 1;
    unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(special, ascii))) & want;
    std::size_t plain = m == want ? rem : static_cast<std::size_t>(__builtin_ctz(~m)) / 2;
    _mm_storel_epi64(reinterpret_cast<__m128i*>(w), _mm_packus_epi16(v, v));
    w += plain;
    i += plain;
  }
#else
  (void)p;
  (void)units;
  (void)w;
  (void)e;
#endif
  return i;
}

}  // namespace

void append_utf16(TextBuffer& out, const std::uint8_t* p, std::size_t units, Escape e) {
  char* w = out.reserve_tail(units * 6 + 8);
  std::size_t i = 0;
  while (i < units) {
    i = ascii_blocks(p, i, units, w, e);
    if (i >= units) break;
    unsigned c = static_cast<unsigned>(p[2 * i]) | (static_cast<unsigned>(p[2 * i + 1]) << 8);
    if (plain_ascii(c, e)) {
      if (c == 0) break;
      *w++ = static_cast<char>(c);
      ++i;
      continue;
    }
    if (c == 0) break;
    if (c < 0x80) {
      w = put_ascii(w, c, e);
      ++i;
      continue;
    }
    ++i;
    char32_t cp = c;
    if (c >= 0xD800 && c <= 0xDBFF) {
      unsigned lo = 0;
      if (i < units)
        lo = static_cast<unsigned>(p[2 * i]) | (static_cast<unsigned>(p[2 * i + 1]) << 8);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
        ++i;
      } else {
        cp = 0xFFFD;
      }
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      cp = 0xFFFD;
    }
    w = put_code_point(w, cp);
  }
  out.set_end(w);
}

void append_ansi(TextBuffer& out, const std::uint8_t* p, std::size_t n, Escape e) {
  char* w = out.reserve_tail(n * 6 + 8);
  for (std::size_t i = 0; i < n; ++i) {
    unsigned c = p[i];
    if (c == 0) break;
    if (c < 0x80) {
      w = put_ascii(w, c, e);
      continue;
    }
    char32_t cp = c;
    if (c < 0xA0) cp = kCp1252High[c - 0x80] ? kCp1252High[c - 0x80] : 0xFFFD;
    w = put_code_point(w, cp);
  }
  out.set_end(w);
}

void append_escaped(TextBuffer& out, std::string_view s, Escape e) {
  if (e == Escape::kNone) {
    out.append(s);
    return;
  }
  if (e == Escape::kJson) {  // names and literals: usually nothing to escape
    std::size_t i = 0;
    while (i < s.size()) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c < 0x20 || c == '"' || c == '\\') break;
      ++i;
    }
    if (i == s.size()) {
      out.append(s);
      return;
    }
  }
  char* w = out.reserve_tail(s.size() * 6 + 8);
  for (unsigned char c : s) {
    if (c >= 0x80) {
      *w++ = static_cast<char>(c);  // already valid UTF-8 (names and literals we decoded)
    } else {
      w = put_ascii(w, c, e);
    }
  }
  out.set_end(w);
}

}  // namespace kk::evtx
