#include "detect/value_matcher.hpp"

#include <array>
#include <charconv>
#include <cstring>

#include "detect/regex.hpp"

namespace kk::detect {

ValueMatcher::ValueMatcher() = default;
ValueMatcher::~ValueMatcher() = default;
ValueMatcher::ValueMatcher(ValueMatcher&&) noexcept = default;
ValueMatcher& ValueMatcher::operator=(ValueMatcher&&) noexcept = default;

namespace {

// Wildcard match with single-star backtracking: O(n·m) worst case, no recursion.
bool glob(std::string_view p, const std::vector<bool>& lit, std::string_view s) {
  std::size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && !lit[pi] && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (pi < p.size() && (lit[pi] ? p[pi] == s[si] : p[pi] == '?')) {
      ++pi, ++si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && !lit[pi] && p[pi] == '*') ++pi;
  return pi == p.size();
}

// Sigma text → literal text, when it holds no wildcard (escapes resolved).
std::optional<std::string> unescape_literal(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
      out.push_back(s[++i]);
    } else if (c == '*' || c == '?') {
      return std::nullopt;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string escape_wildcards(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '*' || c == '?' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(in[k]); };
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  if (i + 1 == in.size()) {
    unsigned v = b(i) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v = (b(i) << 16) | (b(i + 1) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

// UTF-8 → UTF-16 code units (invalid bytes pass through as U+FFFD).
std::u16string utf16(std::string_view s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp = 0xFFFD;
    std::size_t n = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 6 && i + 1 < s.size()) {
      cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F), n = 2;
    } else if ((c >> 4) == 14 && i + 2 < s.size()) {
      cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F), n = 3;
    } else if ((c >> 3) == 30 && i + 3 < s.size()) {
      cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) |
           (s[i + 3] & 0x3F),
      n = 4;
    }
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

std::string encode_utf16(std::string_view s, bool big_endian, bool bom) {
  std::string out;
  if (bom) out += big_endian ? std::string("\xFE\xFF", 2) : std::string("\xFF\xFE", 2);
  for (char16_t u : utf16(s)) {
    char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>(u >> 8);
    if (big_endian)
      out += hi, out += lo;
    else
      out += lo, out += hi;
  }
  return out;
}

// pySigma SigmaBase64OffsetModifier: the three encodings of VALUE at byte offsets 0, 1, 2
// inside a longer base64 text, trimmed to the characters that do not depend on neighbours.
std::vector<std::string> base64_offsets(std::string_view value) {
  static constexpr int kStart[] = {0, 2, 3};
  static constexpr int kEndTrim[] = {0, 3, 2};  // chars cut from the end, by (len + i) % 3
  std::vector<std::string> out;
  for (int i = 0; i < 3; ++i) {
    std::string enc = base64(std::string(static_cast<std::size_t>(i), ' ') + std::string(value));
    std::size_t start = static_cast<std::size_t>(kStart[i]);
    std::size_t trim =
        static_cast<std::size_t>(kEndTrim[(value.size() + static_cast<std::size_t>(i)) % 3]);
    if (enc.size() >= start + trim) out.push_back(enc.substr(start, enc.size() - start - trim));
  }
  return out;
}

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// pySigma SigmaWindowsDashModifier: every "-" or "/" that starts a word (regex \B[-/]\b)
// may be any of - / – — ―; all combinations are generated. Real rules have one or two
// switches per value; a hostile rule with many would explode (5^n), so only the first
// kMaxWindashSwitches are expanded.
constexpr std::size_t kMaxWindashSwitches = 4;
std::vector<std::string> windash(const std::string& v) {
  static const std::array<std::string, 5> kDashes = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94",
                                                     "\xE2\x80\x95"};
  std::vector<std::size_t> pos;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if ((v[i] == '-' || v[i] == '/') && (i == 0 || !is_word(v[i - 1])) && i + 1 < v.size() &&
        is_word(v[i + 1]))
      pos.push_back(i);
  }
  std::vector<std::string> out = {""};
  std::size_t last = 0;
  if (pos.size() > kMaxWindashSwitches)
    pos.resize(kMaxWindashSwitches);  // later ones stay as written
  for (std::size_t p : pos) {
    std::vector<std::string> next;
    for (const auto& prefix : out)
      for (const auto& d : kDashes) next.push_back(prefix + v.substr(last, p - last) + d);
    out = std::move(next);
    last = p + 1;
  }
  for (auto& s : out) s += v.substr(last);
  return out;
}

bool parse_number(std::string_view s, double* out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  if (s.empty()) return false;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    std::uint64_t v = 0;
    auto r = std::from_chars(s.data() + 2, s.data() + s.size(), v, 16);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return false;
    *out = static_cast<double>(v);
    return true;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

Pattern literal_pattern(std::string_view text, Pattern::Kind kind, bool cased) {
  Pattern p;
  p.kind = kind;
  p.cased = cased;
  p.text = cased ? std::string(text) : ascii_lower(text);
  return p;
}

Pattern make_pattern(std::string_view s, bool cased, bool lead_star, bool trail_star) {
  // Unescaped stars at either end (or added by contains/startswith/endswith) become
  // startswith/endswith/contains when the middle is literal.
  bool lead = lead_star, trail = trail_star;
  std::string_view mid = s;
  if (!mid.empty() && mid.front() == '*') lead = true, mid.remove_prefix(1);
  if (!mid.empty() && mid.back() == '*') {
    std::size_t bs = 0;  // backslashes before the final star: an odd count escapes it
    for (std::size_t i = mid.size() - 1; i > 0 && mid[i - 1] == '\\'; --i) ++bs;
    if (bs % 2 == 0) trail = true, mid.remove_suffix(1);
  }
  if (auto lit = unescape_literal(mid)) {
    auto kind = lead && trail ? Pattern::Kind::kContains
                : lead        ? Pattern::Kind::kEndsWith
                : trail       ? Pattern::Kind::kStartsWith
                              : Pattern::Kind::kEquals;
    return literal_pattern(*lit, kind, cased);
  }
  Pattern p;
  p.kind = Pattern::Kind::kGlob;
  p.cased = cased;
  if (lead_star) p.text.push_back('*'), p.literal.push_back(false);
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
      p.text.push_back(cased ? s[++i] : ascii_lower(s[++i]));
      p.literal.push_back(true);
    } else {
      p.text.push_back(cased ? c : ascii_lower(c));
      p.literal.push_back(c != '*' && c != '?');
    }
  }
  if (trail_star) p.text.push_back('*'), p.literal.push_back(false);
  return p;
}

bool Pattern::matches(const Field& f) const {
  std::string_view v = cased ? f.value : f.lower;
  switch (kind) {
    case Kind::kEquals:
      return v == text;
    case Kind::kStartsWith:
      return v.starts_with(text);
    case Kind::kEndsWith:
      return v.ends_with(text);
    case Kind::kContains:
      return v.find(text) != std::string_view::npos;
    case Kind::kGlob:
      return glob(text, literal, v);
  }
  return false;
}

bool parse_ip(std::string_view t, unsigned char out[16], bool* v6) {
  std::memset(out, 0, 16);
  if (t.find(':') == std::string_view::npos) {
    *v6 = false;
    int part = 0;
    std::size_t i = 0;
    while (part < 4) {
      unsigned v = 0;
      auto r = std::from_chars(t.data() + i, t.data() + t.size(), v);
      if (r.ec != std::errc() || v > 255 || r.ptr == t.data() + i) return false;
      out[part++] = static_cast<unsigned char>(v);
      i = static_cast<std::size_t>(r.ptr - t.data());
      if (part < 4) {
        if (i >= t.size() || t[i] != '.') return false;
        ++i;
      }
    }
    return i == t.size();
  }
  *v6 = true;
  if (t.size() > 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
  if (auto pct = t.find('%'); pct != std::string_view::npos) t = t.substr(0, pct);  // zone id
  // Groups before and after "::"; an embedded dotted IPv4 tail is allowed (::ffff:1.2.3.4).
  std::vector<std::uint16_t> head, tail;
  bool gap = false;
  std::size_t i = 0;
  if (t.starts_with("::")) gap = true, i = 2;
  while (i < t.size()) {
    std::size_t j = t.find(':', i);
    std::string_view g = t.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
    auto& dst = gap ? tail : head;
    if (g.find('.') != std::string_view::npos) {
      unsigned char v4[16];
      bool is6;
      if (!parse_ip(g, v4, &is6) || is6) return false;
      dst.push_back(static_cast<std::uint16_t>(v4[0] << 8 | v4[1]));
      dst.push_back(static_cast<std::uint16_t>(v4[2] << 8 | v4[3]));
      i = t.size();
      break;
    }
    unsigned v = 0;
    auto r = std::from_chars(g.data(), g.data() + g.size(), v, 16);
    if (g.empty() || g.size() > 4 || r.ptr != g.data() + g.size()) return false;
    dst.push_back(static_cast<std::uint16_t>(v));
    if (j == std::string_view::npos) {
      i = t.size();
    } else if (j + 1 < t.size() && t[j + 1] == ':') {
      if (gap) return false;
      gap = true;
      i = j + 2;
    } else {
      i = j + 1;
      if (i == t.size()) return false;
    }
  }
  std::size_t n = head.size() + tail.size();
  if (n > 8 || (!gap && n != 8)) return false;
  for (std::size_t k = 0; k < head.size(); ++k)
    out[2 * k] = head[k] >> 8, out[2 * k + 1] = head[k] & 0xFF;
  for (std::size_t k = 0; k < tail.size(); ++k) {
    std::size_t at = 8 - tail.size() + k;
    out[2 * at] = tail[k] >> 8, out[2 * at + 1] = tail[k] & 0xFF;
  }
  return true;
}

bool ValueMatcher::matches(const Field& f, const Event& e) const {
  switch (kind) {
    case Kind::kPatterns:
      for (const Pattern& p : alternatives)
        if (p.matches(f)) return true;
      return false;
    case Kind::kRegex:
      return regex->search(f.value);
    case Kind::kCidr: {
      unsigned char ip[16];
      bool is6;
      if (!parse_ip(f.value, ip, &is6) || is6 != v6) return false;
      int full = prefix / 8, rest = prefix % 8;
      if (std::memcmp(ip, net, static_cast<std::size_t>(full)) != 0) return false;
      if (rest == 0) return true;
      unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
      return (ip[full] & mask) == (net[full] & mask);
    }
    case Kind::kCompare: {
      double v;
      if (!parse_number(f.value, &v)) return false;
      switch (cmp) {
        case Cmp::kLt:
          return v < number;
        case Cmp::kLte:
          return v <= number;
        case Cmp::kGt:
          return v > number;
        case Cmp::kGte:
          return v >= number;
      }
      return false;
    }
    case Kind::kFieldRef:
      return e.any_value(other_id, [&](const Field& o) { return o.lower == f.lower; });
    case Kind::kExists:
    case Kind::kNull:
      return false;  // decided on presence by the caller
  }
  return false;
}

Result<ValueMatcher> compile_value(const std::optional<std::string>& value,
                                   const std::vector<std::string>& mods,
                                   std::vector<std::string>& warnings) {
  using R = Result<ValueMatcher>;
  ValueMatcher m;
  if (!value) {
    if (!mods.empty() && !(mods.size() == 1 && mods[0] == "all"))
      return R::fail("null value with modifiers");
    m.kind = ValueMatcher::Kind::kNull;
    return m;
  }
  bool cased = false, contains = false, starts = false, ends = false;
  bool is_re = false;
  std::string re_flags;
  enum class Wide { kNone, kLe, kBe, kBom } wide = Wide::kNone;
  bool b64 = false, b64off = false, dash = false;
  for (const std::string& mod : mods) {
    if (mod == "contains")
      contains = true;
    else if (mod == "startswith")
      starts = true;
    else if (mod == "endswith")
      ends = true;
    else if (mod == "all")
      continue;  // field-level, handled by the caller
    else if (mod == "cased")
      cased = true;
    else if (mod == "re")
      is_re = true;
    else if (is_re && (mod == "i" || mod == "m" || mod == "s"))
      re_flags += mod;
    else if (mod == "base64")
      b64 = true;
    else if (mod == "base64offset")
      b64off = true;
    else if (mod == "wide" || mod == "utf16le")
      wide = Wide::kLe;
    else if (mod == "utf16be")
      wide = Wide::kBe;
    else if (mod == "utf16")
      wide = Wide::kBom;
    else if (mod == "windash")
      dash = true;
    else if (mod == "expand")
      warnings.push_back("|expand ignored: placeholder matched literally");
    else if (mod == "cidr" || mod == "exists" || mod == "lt" || mod == "lte" || mod == "gt" ||
             mod == "gte" || mod == "fieldref") {
      if (mods.size() > 1 + static_cast<std::size_t>(std::count(mods.begin(), mods.end(), "all")))
        return R::fail("|" + mod + " combined with other modifiers");
      if (mod == "cidr") {
        auto slash = value->find('/');
        std::string_view addr = std::string_view(*value).substr(0, slash);
        if (!parse_ip(addr, m.net, &m.v6)) return R::fail("bad cidr value \"" + *value + "\"");
        m.prefix = m.v6 ? 128 : 32;
        if (slash != std::string::npos) {
          int p = -1;
          auto r = std::from_chars(value->data() + slash + 1, value->data() + value->size(), p);
          if (r.ec != std::errc() || p < 0 || p > m.prefix)
            return R::fail("bad cidr prefix \"" + *value + "\"");
          m.prefix = p;
        }
        m.kind = ValueMatcher::Kind::kCidr;
      } else if (mod == "exists") {
        std::string v = ascii_lower(*value);
        if (v != "true" && v != "false" && v != "yes" && v != "no")
          return R::fail("|exists needs true or false");
        m.kind = ValueMatcher::Kind::kExists;
        m.want = v == "true" || v == "yes";
      } else if (mod == "fieldref") {
        m.kind = ValueMatcher::Kind::kFieldRef;
        m.other_field = *value;
      } else {
        if (!parse_number(*value, &m.number)) return R::fail("|" + mod + " needs a number");
        m.kind = ValueMatcher::Kind::kCompare;
        m.cmp = mod == "lt"    ? ValueMatcher::Cmp::kLt
                : mod == "lte" ? ValueMatcher::Cmp::kLte
                : mod == "gt"  ? ValueMatcher::Cmp::kGt
                               : ValueMatcher::Cmp::kGte;
      }
      return m;
    } else {
      return R::fail("unsupported modifier |" + mod);
    }
  }
  if (is_re) {
    if (contains || starts || ends || b64 || b64off || dash || wide != Wide::kNone)
      return R::fail("|re combined with value modifiers");
    auto re = Regex::compile(*value, re_flags);
    if (!re) return R::fail(re.error().message);
    m.kind = ValueMatcher::Kind::kRegex;
    m.regex = *re;
    return m;
  }
  if (int(contains) + int(starts) + int(ends) > 1)
    return R::fail("more than one of contains/startswith/endswith");
  // Value transformations, in Sigma order: encoding, base64, windash, then wildcards.
  std::vector<std::string> alts = {*value};
  if (wide != Wide::kNone || b64 || b64off) {
    auto lit = unescape_literal(*value);
    if (!lit) return R::fail("wildcards inside a base64/utf16 value");
    std::string bytes = *lit;
    if (wide != Wide::kNone) bytes = encode_utf16(bytes, wide == Wide::kBe, wide == Wide::kBom);
    if (b64 && b64off) return R::fail("|base64 with |base64offset");
    if (b64)
      alts = {escape_wildcards(base64(bytes))};
    else if (b64off) {
      alts.clear();
      for (auto& s : base64_offsets(bytes)) alts.push_back(escape_wildcards(s));
    } else {
      return R::fail("|wide/|utf16 without |base64 or |base64offset");
    }
  }
  if (dash) {
    std::vector<std::string> out;
    for (const auto& a : alts)
      for (auto& d : windash(a)) out.push_back(std::move(d));
    alts = std::move(out);
  }
  for (const auto& a : alts) {
    m.alternatives.push_back(make_pattern(a, cased, contains || ends, contains || starts));
  }
  return m;
}

}  // namespace kk::detect
