// The Timesketch schema check shared by the timeline and triage tests: every event
// importable as it is (required keys, integer timestamp), every key of the declared
// vocabulary type, details values text only. Uses doctest's CHECKs.
#pragma once

#include <doctest/doctest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "timeline/vocabulary.hpp"

namespace kk_test {

using simdjson::dom::element;
using simdjson::dom::element_type;

inline std::string type_of(element v) {
  switch (v.type()) {
    case element_type::STRING:
      return "string";
    case element_type::INT64:
    case element_type::UINT64:
      return "integer";
    case element_type::DOUBLE:
      return "double";
    case element_type::BOOL:
      return "boolean";
    case element_type::ARRAY:
      return "array";
    case element_type::OBJECT:
      return "object";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "?";
}

struct SchemaReport {
  std::size_t events = 0, detail_keys = 0;
  std::size_t flattened_keys = 0;  // distinct field names once objects are flattened
  std::map<std::string, std::set<std::string>> types;
};

inline SchemaReport check_schema(const std::vector<std::string>& lines) {
  std::map<std::string, std::string> declared;
  for (const auto& h : kk::timeline::head_keys())
    declared[std::string(h.name)] = h.type == kk::timeline::FieldType::kStringArray
                                        ? "array"
                                        : std::string(kk::timeline::field_type_name(h.type));
  for (std::size_t i = 0; i < kk::timeline::kFieldCount; ++i) {
    const auto& f = kk::timeline::field_info(static_cast<kk::timeline::Field>(i));
    declared[std::string(f.name)] = f.type == kk::timeline::FieldType::kStringArray
                                        ? "array"
                                        : std::string(kk::timeline::field_type_name(f.type));
  }
  declared["details"] = "string";  // one JSON text by default; "object" with --details object
  SchemaReport r;
  std::set<std::string> detail_keys, flat;
  simdjson::dom::parser parser, details_parser;
  for (const auto& l : lines) {
    if (l.empty()) continue;
    element e = parser.parse(l).value();
    ++r.events;
    for (auto k : {"datetime", "timestamp", "timestamp_desc", "message"})
      REQUIRE_MESSAGE(e[k].error() == simdjson::SUCCESS, l);
    CHECK(e["timestamp"].is_int64());
    CHECK(!std::string_view(e["message"]).empty());
    CHECK(!std::string_view(e["timestamp_desc"]).empty());
    for (auto [name, v] : simdjson::dom::object(e)) {
      std::string k(name);  // doctest's macros are lambdas: no structured binding inside
      std::string t = type_of(v);
      if (t != "null") r.types[k].insert(t);
      auto it = declared.find(k);
      CHECK_MESSAGE(it != declared.end(), k);
      if (k == "details" && t == "object") t = "string";  // --details object: same content
      if (it != declared.end() && t != "null") CHECK_MESSAGE(it->second == t, k);
      // The fields an OpenSearch index gets: objects flatten to "a.b" (details only).
      if (v.is_object())
        for (auto [sub, sv] : simdjson::dom::object(v)) flat.insert(k + "." + std::string(sub));
      else
        flat.insert(k);
    }
    element details = e["details"];
    if (details.is_string())
      details = details_parser.parse(std::string(std::string_view(details))).value();
    for (auto [name, v] : simdjson::dom::object(details)) {
      std::string k(name);
      detail_keys.insert(k);
      // Details values are text (or lists of text), so they never conflict either.
      bool ok = v.is_string();
      if (v.is_array()) {
        ok = true;
        for (element x : simdjson::dom::array(v)) ok = ok && x.is_string();
      }
      CHECK_MESSAGE(ok, k);
    }
  }
  for (const auto& entry : r.types) CHECK_MESSAGE(entry.second.size() == 1, entry.first);
  r.detail_keys = detail_keys.size();
  r.flattened_keys = flat.size();
  return r;
}

}  // namespace kk_test
