#include "timeline/record_fields.hpp"

#include <charconv>

#include "core/json_writer.hpp"
#include "timeline/member_index.hpp"

namespace kk::timeline {

std::optional<element> member(element obj, std::string_view key) {
  if (const MemberIndex* index = MemberIndex::current(); index && index->covers(obj)) {
    auto v = index->find(key);
    if (!v || v->is_null()) return std::nullopt;
    return v;
  }
  element v;
  if (!obj.is_object() || obj[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  return v;
}

std::string_view str(element obj, std::string_view key) {
  auto v = member(obj, key);
  std::string_view s;
  if (v && v->get(s) == simdjson::SUCCESS) return s;
  return {};
}

std::string scalar_text(element v) {
  switch (v.type()) {
    case simdjson::dom::element_type::STRING:
      return std::string(std::string_view(v));
    case simdjson::dom::element_type::INT64:
      return std::to_string(std::int64_t(v));
    case simdjson::dom::element_type::UINT64:
      return std::to_string(std::uint64_t(v));
    case simdjson::dom::element_type::DOUBLE: {
      std::string s = simdjson::to_string(v);
      return s;
    }
    case simdjson::dom::element_type::BOOL:
      return bool(v) ? "true" : "false";
    default:
      return {};
  }
}

std::string text(element obj, std::string_view key) {
  auto v = member(obj, key);
  return v ? scalar_text(*v) : std::string();
}

std::optional<std::int64_t> parse_integer_text(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  std::int64_t v = 0;
  if (base == 16) {
    std::uint64_t u = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), u, 16);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), v, 10);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> to_integer(element v) {
  switch (v.type()) {
    case simdjson::dom::element_type::INT64:
      return std::int64_t(v);
    case simdjson::dom::element_type::UINT64:
      return static_cast<std::int64_t>(std::uint64_t(v));
    case simdjson::dom::element_type::STRING:
      return parse_integer_text(std::string_view(v));
    default:
      return std::nullopt;
  }
}

std::optional<std::int64_t> integer(element obj, std::string_view key) {
  auto v = member(obj, key);
  return v ? to_integer(*v) : std::nullopt;
}

std::optional<bool> boolean(element obj, std::string_view key) {
  auto v = member(obj, key);
  bool b;
  if (v && v->get(b) == simdjson::SUCCESS) return b;
  return std::nullopt;
}

namespace {
bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

std::optional<UtcMicros> parse_record_time(std::string_view s) {
  // Fast path: the contract's form "YYYY-MM-DDTHH:MM:SS[.ffffff]Z".
  int y, mo, d, h, mi, se;
  if (s.size() >= 20 && s.back() == 'Z' && digits(s, 0, 4, y) && s[4] == '-' &&
      digits(s, 5, 2, mo) && s[7] == '-' && digits(s, 8, 2, d) && s[10] == 'T' &&
      digits(s, 11, 2, h) && s[13] == ':' && digits(s, 14, 2, mi) && s[16] == ':' &&
      digits(s, 17, 2, se)) {
    std::int64_t frac = 0;
    std::size_t i = 19;
    if (s[i] == '.') {
      int nd = 0;
      for (++i; i < s.size() - 1; ++i, ++nd) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        if (nd < 6) frac = frac * 10 + (s[i] - '0');
      }
      for (; nd < 6; ++nd) frac *= 10;
    }
    if (i == s.size() - 1) {
      auto base = from_systemtime(y, mo, d, h, mi, se, 0);
      if (!base) return std::nullopt;
      return *base + frac;
    }
  }
  if (s.empty()) return std::nullopt;
  auto r = parse_user_time(s, "UTC");  // other ISO 8601 spellings and offsets
  if (!r) return std::nullopt;
  return *r;
}

std::optional<UtcMicros> time_member(element obj, std::string_view key) {
  std::string_view s = str(obj, key);
  if (s.empty()) return std::nullopt;
  return parse_record_time(s);
}

std::string_view base_name(std::string_view path) {
  std::size_t p = path.find_last_of("\\/");
  return p == std::string_view::npos ? path : path.substr(p + 1);
}

void append_detail_text(std::string& body, std::string_view key, std::string_view value) {
  // One piece per member: the key and value escaped in room for the worst case, then
  // appended once. Short members (nearly all; an EVTX record has dozens) are written on the
  // stack: room made in BODY would be zero-filled first. Long ones go straight into BODY.
  const std::size_t bound = 2 + json_string_bound(key.size()) + json_string_bound(value.size());
  const std::size_t at = body.size();
  char buf[2048];
  const bool in_body = bound > sizeof buf;
  if (in_body) body.resize(at + bound);
  char* const begin = in_body ? body.data() + at : buf;
  char* p = begin;
  if (at != 0) *p++ = ',';
  p = write_json_string(p, key);
  *p++ = ':';
  p = write_json_string(p, value);
  if (in_body)
    body.resize(at + static_cast<std::size_t>(p - begin));
  else
    body.append(buf, static_cast<std::size_t>(p - buf));
}

void append_detail(std::string& body, std::string_view key, element value) {
  using T = simdjson::dom::element_type;
  switch (value.type()) {
    case T::NULL_VALUE:
      return;
    case T::OBJECT: {
      std::string prefix(key);
      append_details(body, prefix, value);
      return;
    }
    case T::ARRAY: {
      bool scalars = true;
      for (element x : simdjson::dom::array(value))
        if (x.is_object() || x.is_array()) scalars = false;
      if (!body.empty()) body.push_back(',');
      append_json_string(body, key);
      body.push_back(':');
      if (scalars) {
        body.push_back('[');
        bool first = true;
        for (element x : simdjson::dom::array(value)) {
          if (x.is_null()) continue;
          if (!first) body.push_back(',');
          first = false;
          append_json_string(body, scalar_text(x));
        }
        body.push_back(']');
      } else {
        append_json_string(body, simdjson::minify(value));
      }
      return;
    }
    case T::STRING:
      append_detail_text(body, key, std::string_view(value));
      return;
    default:
      append_detail_text(body, key, scalar_text(value));
  }
}

void append_details(std::string& body, std::string_view prefix, element obj) {
  if (!obj.is_object()) return;
  std::string key;
  for (auto [k, v] : simdjson::dom::object(obj)) {
    key.assign(prefix);
    if (!key.empty()) key.push_back('.');
    key.append(k);
    append_detail(body, key, v);
  }
}

}  // namespace kk::timeline
