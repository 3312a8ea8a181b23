// key=value payloads (FortiGate, SonicWall, WatchGuard, Sophos, ProxySG ELFF names) and
// "Key: value, …" payloads (Firepower NGIPS, Symantec SEP exports).
#include "core/byte_set.hpp"
#include "netlog/syntax.hpp"

namespace kk::netlog {

namespace {

// The bytes a key is made of.
constexpr ByteSet key_char([](int c) {
  return ascii_alnum(c) || c == '_' || c == '-' || c == '.' || c == ':' || c == '@' || c == '/' ||
         c == '(' || c == ')';
});
// What ends a bare value: a space or TAB, and in FortiGate's CSV form a comma too.
constexpr ByteSet space_or_tab([](int c) { return c == ' ' || c == '\t'; });
constexpr ByteSet space_tab_or_comma([](int c) { return c == ' ' || c == '\t' || c == ','; });
// What stops the scan of a quoted value.
constexpr ByteSet quote_or_backslash([](int c) { return c == '"' || c == '\\'; });

}  // namespace

std::size_t parse_kv(std::string_view s, FieldList& out, Arena& arena) {
  std::size_t i = 0, pairs = 0;
  const std::size_t n = s.size();
  const ByteSet* gap = &space_or_tab;  // between pairs (space_tab_or_comma in the CSV form)
  while (i < n) {
    while (i < n && (*gap)(s[i])) ++i;
    if (i >= n) break;
    const std::size_t k = i;
    while (i < n && key_char(s[i])) ++i;
    if (i == k || i >= n || s[i] != '=') {
      // Not a pair: skip this token (a leading message word, a stray character).
      while (i < n && !space_or_tab(s[i])) ++i;
      continue;
    }
    std::string_view key = s.substr(k, i - k);
    ++i;  // '='
    std::string_view value;
    if (i < n && s[i] == '"') {
      ++i;
      const std::size_t v = i;
      bool escaped = false;
      while (i < n) {
        while (i < n && !quote_or_backslash(s[i])) ++i;
        if (i >= n || s[i] == '"') break;
        if (i + 1 < n) {  // a backslash: the byte after it is part of the value
          escaped = true;
          ++i;
        }
        ++i;
      }
      value = s.substr(v, i - v);
      if (i < n) ++i;  // closing quote
      if (escaped) {
        std::string tmp;
        tmp.reserve(value.size());
        for (std::size_t j = 0; j < value.size(); ++j) {
          if (value[j] == '\\' && j + 1 < value.size() &&
              (value[j + 1] == '"' || value[j + 1] == '\\'))
            ++j;
          tmp.push_back(value[j]);
        }
        value = arena.keep(tmp);
      }
    } else {
      const std::size_t v = i;
      while (i < n && !(*gap)(s[i])) ++i;
      value = s.substr(v, i - v);
      // FortiGate's CSV form: "date=2019-05-10,time=…": the first comma that is followed
      // by another key= switches the separator for the rest of the line.
      if (pairs == 0 && gap == &space_or_tab) {
        const std::size_t comma = value.find(',');
        if (comma != std::string_view::npos) {
          std::size_t j = comma + 1;
          while (j < value.size() && key_char(value[j])) ++j;
          if (j < value.size() && value[j] == '=' && j > comma + 1) {
            gap = &space_tab_or_comma;
            i = v + comma;
            value = value.substr(0, comma);
          }
        }
      }
    }
    out.push_back({key, value});
    ++pairs;
  }
  return pairs;
}

std::size_t parse_colon_kv(std::string_view s, FieldList& out) {
  std::size_t pairs = 0, i = 0;
  const std::size_t n = s.size();
  while (i <= n) {
    std::size_t e = s.find(',', i);
    if (e == std::string_view::npos) e = n;
    std::string_view seg = s.substr(i, e - i);
    while (!seg.empty() && seg.front() == ' ') seg.remove_prefix(1);
    while (!seg.empty() && seg.back() == ' ') seg.remove_suffix(1);
    const std::size_t colon = seg.find(": ");
    bool named = false;
    if (colon != std::string_view::npos && colon > 0 && colon <= 40) {
      named = true;
      for (std::size_t j = 0; j < colon && named; ++j) {
        const char c = seg[j];
        named = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == ' ' || c == '_' || c == '-' || c == '.';
      }
    } else if (!seg.empty() && seg.back() == ':' && seg.size() <= 41) {
      out.push_back({seg.substr(0, seg.size() - 1), {}});  // "Rule: " with no value
      ++pairs;
      if (e == n) break;
      i = e + 1;
      continue;
    }
    if (named) {
      out.push_back({seg.substr(0, colon), seg.substr(colon + 2)});
      ++pairs;
    } else if (!seg.empty()) {
      out.push_back({{}, seg});  // an unnamed segment; the caller names it by position
    }
    if (e == n) break;
    i = e + 1;
  }
  return pairs;
}

}  // namespace kk::netlog
