// JSON lines (Suricata EVE, Zscaler NSS, Sophos Central, Palo Alto Strata, any SIEM export)
// flattened to dotted keys, so the product tables and the generic names see one shape.
#include <charconv>
#include <string>

#include "netlog/syntax.hpp"

namespace kk::netlog {

namespace {

// PATH names E; ONE_KEY is PATH too when it is a single key (simdjson's copy of it, valid
// until the parser's next document, so the field keeps it without an arena copy), else
// null.
void flatten(simdjson::dom::element e, std::string& path, std::string_view one_key, FieldList& out,
             Arena& arena, int depth) {
  using simdjson::dom::element_type;
  auto name = [&] { return one_key.data() ? one_key : arena.keep(path); };
  switch (e.type()) {
    case element_type::OBJECT: {
      if (depth > 16) break;
      const std::size_t base = path.size();
      for (auto [k, v] : e.get_object()) {
        if (base) path.push_back('.');
        path.append(k.data(), k.size());
        flatten(v, path, base ? std::string_view{} : k, out, arena, depth + 1);
        path.resize(base);
      }
      return;
    }
    case element_type::STRING: {
      std::string_view s = e.get_string().value_unsafe();
      out.push_back({name(), s});
      return;
    }
    // Integers, booleans and null as simdjson::minify writes them, without its string
    // builder and a std::string per value (most values of firewall JSON are numbers).
    case element_type::INT64:
    case element_type::UINT64: {
      char buf[24];
      const auto r = e.type() == element_type::INT64
                         ? std::to_chars(buf, buf + sizeof buf, e.get_int64().value_unsafe())
                         : std::to_chars(buf, buf + sizeof buf, e.get_uint64().value_unsafe());
      out.push_back({name(), arena.keep(std::string_view(buf, r.ptr))});
      return;
    }
    case element_type::BOOL:
      out.push_back({name(), e.get_bool().value_unsafe() ? "true" : "false"});
      return;
    case element_type::NULL_VALUE:
      out.push_back({name(), "null"});
      return;
    case element_type::DOUBLE:
    case element_type::ARRAY:
      break;
  }
  std::string text = simdjson::minify(e);
  if (e.type() == element_type::DOUBLE) {
    // Keep integers written as 1.0e3 readable: simdjson renders doubles in full.
    double d = e.get_double().value_unsafe();
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, d);
    text.assign(buf, r.ptr);
  }
  out.push_back({name(), arena.keep(text)});
}

}  // namespace

bool parse_json_fields(std::string_view s, FieldList& out, Arena& arena,
                       simdjson::dom::parser& parser) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  if (s.empty() || s.front() != '{' || s.back() != '}') return false;
  simdjson::dom::element doc;
  if (parser.parse(s.data(), s.size(), true).get(doc) != simdjson::SUCCESS) return false;
  if (!doc.is_object()) return false;
  thread_local std::string path;
  path.clear();
  flatten(doc, path, {}, out, arena, 0);
  return true;
}

}  // namespace kk::netlog
