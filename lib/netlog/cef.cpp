// ArcSight CEF (Common Event Format, "Implementing ArcSight CEF" rev. 25) and IBM QRadar
// LEEF 1.0/2.0 ("Log Event Extended Format" guide). Relays sometimes cut "CEF:" or "LEEF:"
// off (Sekoia's FortiGate and Trend Micro samples start at "0|Vendor|…").
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/byte_set.hpp"
#include "netlog/syntax.hpp"

namespace kk::netlog {

namespace {

// The position of the next '=' or '\\' in S from I on (S.size() when none): 16 bytes at a
// time — an extension is mostly values, and going byte by byte was most of its cost.
std::size_t next_eq_or_escape(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
  const __m128i eq = _mm_set1_epi8('='), esc = _mm_set1_epi8('\\');
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const unsigned m = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, eq), _mm_cmpeq_epi8(v, esc))));
    if (m != 0) return i + static_cast<std::size_t>(__builtin_ctz(m));
  }
#endif
  for (; i < s.size(); ++i)
    if (s[i] == '=' || s[i] == '\\') return i;
  return s.size();
}

// The bytes an extension key is made of.
constexpr ByteSet ext_key_char([](int c) {
  return ascii_alnum(c) || c == '_' || c == '.' || c == '-' || c == '[' || c == ']';
});

// Where the run of key bytes that ends at I starts (I when there is none): 16 bytes at a
// time backwards with SSE2 (CEF keys such as deviceCustomString1Label are long, and every
// '=' inside a value is looked at too: byte by byte this was a third of the extension's
// cost).
std::size_t key_start(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
  while (i >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i - 16));
    auto within = [](__m128i x, char lo, char hi) {  // signed: bytes >= 0x80 are outside
      return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                           _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(hi + 1))));
    };
    auto is = [&](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
    const __m128i key = _mm_or_si128(
        _mm_or_si128(within(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z'), within(v, '0', '9')),
        _mm_or_si128(_mm_or_si128(is('_'), is('.')),
                     _mm_or_si128(is('-'), _mm_or_si128(is('['), is(']')))));
    const unsigned other = ~static_cast<unsigned>(_mm_movemask_epi8(key)) & 0xffffu;
    if (other != 0)  // the key starts after the last byte that is not a key byte
      return i - 16 + static_cast<std::size_t>(31 - __builtin_clz(other)) + 1;
    i -= 16;
  }
#endif
  while (i > 0 && ext_key_char(s[i - 1])) --i;
  return i;
}

// Splits the header on unescaped '|' (escapes: \| and \\). Returns the offset of the
// extension (after the last pipe) or npos when fewer than N pipes.
std::size_t split_header(std::string_view s, std::size_t n, std::vector<std::string_view>& parts,
                         bool& escaped) {
  std::size_t start = 0;
  escaped = false;
  for (std::size_t i = 0; i < s.size() && parts.size() < n; ++i) {
    if (s[i] == '\\') {
      escaped = true;
      ++i;
      continue;
    }
    if (s[i] == '|') {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts.size() == n ? start : std::string_view::npos;
}

std::string_view unescape(std::string_view v, Arena& arena, bool header) {
  if (v.find('\\') == std::string_view::npos) return v;
  std::string tmp;
  tmp.reserve(v.size());
  for (std::size_t j = 0; j < v.size(); ++j) {
    if (v[j] == '\\' && j + 1 < v.size()) {
      const char c = v[j + 1];
      if (c == '\\' || c == '|' || (!header && c == '=')) {
        tmp.push_back(c);
        ++j;
        continue;
      }
      if (!header && (c == 'n' || c == 'r')) {
        tmp.push_back(c == 'n' ? '\n' : '\r');
        ++j;
        continue;
      }
    }
    tmp.push_back(v[j]);
  }
  return arena.keep(tmp);
}

// CEF extension: "k=v k2=v with spaces k3=v"; a value runs to the space before the next
// unescaped "key=".
void parse_extension(std::string_view ext, FieldList& out, Arena& arena) {
  struct Key {
    std::size_t begin, eq;
    bool escape = false;  // a '\\' after EQ and before the next key: the value has one
  };
  thread_local std::vector<Key> keys;
  keys.clear();
  for (std::size_t i = next_eq_or_escape(ext, 0); i < ext.size();
       i = next_eq_or_escape(ext, i + 1)) {
    if (ext[i] == '\\') {  // the escaped byte is skipped
      if (!keys.empty()) keys.back().escape = true;
      ++i;
      continue;
    }
    const std::size_t b = key_start(ext, i);
    if (b == i) continue;
    if (b > 0 && ext[b - 1] != ' ' && ext[b - 1] != '\t') continue;
    keys.push_back({b, i});
  }
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const std::size_t vb = keys[k].eq + 1;
    std::size_t ve = k + 1 < keys.size() ? keys[k + 1].begin : ext.size();
    while (ve > vb && (ext[ve - 1] == ' ' || ext[ve - 1] == '\t' || ext[ve - 1] == '\r')) --ve;
    std::string_view v = ext.substr(vb, ve - vb);
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);  // SonicWall "spt= 12345"
    // Every '\\' is found by the scan above (or follows one it found): a value with none
    // after its key needs no search for one.
    out.push_back({ext.substr(keys[k].begin, keys[k].eq - keys[k].begin),
                   keys[k].escape ? unescape(v, arena, false) : v});
  }
}

}  // namespace

bool parse_cef(std::string_view s, ParsedLine& p, Arena& arena) {
  std::size_t at = s.substr(0, 160).find("CEF:");
  if (at != std::string_view::npos) {
    s = s.substr(at + 4);
  } else if (!(s.size() > 2 && (s[0] == '0' || s[0] == '1') && s[1] == '|')) {
    return false;
  }
  std::vector<std::string_view> h;
  h.reserve(7);
  bool escaped = false;
  const std::size_t ext = split_header(s, 7, h, escaped);
  if (ext == std::string_view::npos) return false;
  static constexpr std::string_view kNames[] = {
      "cef.version",      "cef.vendor", "cef.product", "cef.device_version",
      "cef.signature_id", "cef.name",   "cef.severity"};
  for (std::size_t i = 0; i < 7; ++i)
    p.fields.push_back({kNames[i], escaped ? unescape(h[i], arena, true) : h[i]});
  p.cef_vendor = p.fields[p.fields.size() - 6].value;
  p.cef_product = p.fields[p.fields.size() - 5].value;
  parse_extension(s.substr(ext), p.fields, arena);
  return true;
}

bool parse_leef(std::string_view s, ParsedLine& p, Arena& arena) {
  std::size_t at = s.substr(0, 160).find("LEEF:");
  if (at != std::string_view::npos) {
    s = s.substr(at + 5);
  } else if (!(s.size() > 4 && (s[0] == '1' || s[0] == '2') && s[1] == '.' && s[3] == '|')) {
    return false;
  }
  const bool v2 = s.size() > 1 && s[0] == '2';
  std::vector<std::string_view> h;
  bool escaped = false;
  const std::size_t ext = split_header(s, v2 ? 6 : 5, h, escaped);
  if (ext == std::string_view::npos) return false;
  static constexpr std::string_view kNames[] = {"leef.version", "leef.vendor", "leef.product",
                                                "leef.device_version", "leef.event_id"};
  for (std::size_t i = 0; i < 5; ++i) p.fields.push_back({kNames[i], h[i]});
  p.cef_vendor = h[1];
  p.cef_product = h[2];
  std::string delim = "\t";
  if (v2 && !h[5].empty()) {
    std::string_view d = h[5];
    if ((d.size() == 3 || d.size() == 4) &&
        (d[0] == 'x' || d[0] == 'X' || d.substr(0, 2) == "0x")) {
      const std::string_view hex = d.substr(d[0] == '0' ? 2 : 1);
      int v = 0;
      for (char c : hex) {
        v <<= 4;
        if (c >= '0' && c <= '9')
          v |= c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
          v |= (c | 0x20) - 'a' + 10;
      }
      delim.assign(1, static_cast<char>(v));
    } else {
      delim.assign(d.substr(0, 1));
    }
  }
  std::string_view rest = s.substr(ext);
  // Some senders use spaces although the header says TAB: fall back to CEF-style splitting.
  if (delim == "\t" && rest.find('\t') == std::string_view::npos) {
    parse_extension(rest, p.fields, arena);
    return true;
  }
  std::size_t i = 0;
  while (i <= rest.size()) {
    std::size_t e = rest.find(delim, i);
    if (e == std::string_view::npos) e = rest.size();
    std::string_view pair = rest.substr(i, e - i);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && eq > 0)
      p.fields.push_back({pair.substr(0, eq), pair.substr(eq + 1)});
    if (e == rest.size()) break;
    i = e + delim.size();
  }
  return true;
}

}  // namespace kk::netlog
