// Timesketch schema: every event importable as it is (required fields, integer
// timestamp), no key ever changes JSON type, distinct keys under the limit — checked on
// a timeline of real parser records (and of the shared corpus when the parsers are built).
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <set>

#include "timeline/vocabulary.hpp"
#include "timeline_test_util.hpp"

using namespace kk::timeline;
using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {
std::string type_of(element v) {
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
  std::map<std::string, std::set<std::string>> types;
};

SchemaReport check_schema(const std::vector<std::string>& lines) {
  std::map<std::string, std::string> declared;
  for (const auto& h : head_keys())
    declared[std::string(h.name)] =
        h.type == FieldType::kStringArray ? "array" : std::string(field_type_name(h.type));
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    const auto& f = field_info(static_cast<Field>(i));
    declared[std::string(f.name)] =
        f.type == FieldType::kStringArray ? "array" : std::string(field_type_name(f.type));
  }
  declared["details"] = "object";
  SchemaReport r;
  std::set<std::string> detail_keys;
  simdjson::dom::parser parser;
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
      if (it != declared.end() && t != "null") CHECK_MESSAGE(it->second == t, k);
    }
    for (auto [name, v] : simdjson::dom::object(e["details"])) {
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
  return r;
}
}  // namespace

TEST_CASE("schema of a timeline built from the real records in tests/data/timeline") {
  std::vector<std::string> inputs;
  for (auto n : {"evtx_records.jsonl", "prefetch_records.jsonl", "mft_records.jsonl",
                 "usnjrnl_records.jsonl", "registry_records.jsonl"})
    inputs.push_back(kk_test::data_path(n));
  auto r = check_schema(kk_test::build_lines(inputs));
  CHECK(r.events == 60);
  CHECK(r.types.size() < 300);
}

TEST_CASE("schema of a timeline of the shared corpus (when the parsers are built)") {
  namespace fs = std::filesystem;
  std::string bin = KK_BIN_DIR, corpus = KK_CORPUS;
  if (!fs::exists(corpus) || !fs::exists(bin + "/parse-evtx") ||
      !fs::exists(bin + "/parse-prefetch") || !fs::exists(bin + "/parse-registry")) {
    MESSAGE("skipped: needs ../shared/corpus and parse-evtx/parse-prefetch/parse-registry built");
    return;
  }
  std::string dir = kk_test::temp_dir();
  std::string cmd =
      "cd '" + corpus + "' && '" + bin +
      "/parse-evtx' --quiet evtx/evtx-attack-samples/*/*.evtx > '" + dir +
      "/evtx.jsonl' 2>/dev/null; '" + bin +
      "/parse-prefetch' --quiet $(find prefetch -name '*.pf') > '" + dir +
      "/pf.jsonl' 2>/dev/null; '" + bin +
      "/parse-registry' --quiet registry/plaso/NTUSER-WIN7.DAT registry/plaso/winreg/Amcache.hve "
      "registry/ez-registry/UsrClassDeletedBags.dat > '" +
      dir + "/reg.jsonl' 2>/dev/null; true";
  REQUIRE(std::system(cmd.c_str()) == 0);
  kk::timeline::BuildStats stats;
  auto lines = kk_test::build_lines({dir + "/evtx.jsonl", dir + "/pf.jsonl", dir + "/reg.jsonl"},
                                    {}, &stats);
  auto r = check_schema(lines);
  MESSAGE("corpus timeline: " << r.events << " events, " << r.types.size()
                              << " distinct top-level keys, " << r.detail_keys
                              << " distinct details keys");
  CHECK(r.events > 9000);
  CHECK(r.types.size() < 300);
  for (const auto& f : {"evtx.jsonl", "pf.jsonl", "reg.jsonl"})
    std::remove((dir + "/" + f).c_str());
  std::filesystem::remove(dir);
}
