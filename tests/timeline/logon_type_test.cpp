// LogonType, one JSON type per place (issue #20, docs/records.md): a number in parse-evtx's
// records (`data.LogonType`, the UInt32 Windows writes) and an integer in the timeline
// (`logon_type`); text only inside text maps — the timeline's `details` and a finding's
// evidence `fields`, where every value is text. Checked over every record of the corpus.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "../test_util.hpp"
#include "timeline_test_util.hpp"

namespace {

bool is_logon_type_key(std::string_view k) {
  std::string s;
  for (char c : k)
    if (c != '_') s.push_back(static_cast<char>(c | 0x20));
  return s == "logontype";
}

// Counts "PLACE TYPE" for every LogonType key under E. PLACE is "record" outside text maps,
// "text" inside a timeline's details (either form) or a finding's evidence fields.
void census(simdjson::dom::element e, bool in_text, std::map<std::string, std::size_t>& out,
            simdjson::dom::parser& text_parser) {
  simdjson::dom::object o;
  simdjson::dom::array a;
  if (e.get(a) == simdjson::SUCCESS) {
    for (auto x : a) census(x, in_text, out, text_parser);
    return;
  }
  if (e.get(o) != simdjson::SUCCESS) return;
  for (auto [k, v] : o) {
    if (is_logon_type_key(k)) {
      const char* type = v.is_int64()    ? "integer"
                         : v.is_number() ? "number"
                         : v.is_string() ? "string"
                                         : "other";
      ++out[std::string(in_text ? "text " : "record ") + type];
    }
    const bool text_map = k == "details" || k == "fields";
    std::string_view s;
    if (k == "details" && v.get(s) == simdjson::SUCCESS) {
      // The default timeline: details is one JSON text.
      simdjson::dom::element d;
      std::string copy(s);
      if (text_parser.parse(copy).get(d) == simdjson::SUCCESS) {
        simdjson::dom::parser inner;
        census(d, true, out, inner);
      }
      continue;
    }
    census(v, in_text || text_map, out, text_parser);
  }
}

std::map<std::string, std::size_t> census_of(const std::vector<std::string>& lines) {
  std::map<std::string, std::size_t> out;
  simdjson::dom::parser p, text;
  for (const auto& l : lines) {
    simdjson::dom::element e;
    if (p.parse(l).get(e) == simdjson::SUCCESS) census(e, false, out, text);
  }
  return out;
}

std::string census_text(const std::map<std::string, std::size_t>& c) {
  std::string s;
  for (const auto& [k, n] : c) s += k + "=" + std::to_string(n) + " ";
  return s;
}

}  // namespace

TEST_CASE("LogonType: a number in records and the timeline, text only in text maps (corpus)") {
  namespace fs = std::filesystem;
  std::string bin = KK_BIN_DIR, corpus = KK_CORPUS;
  if (!fs::exists(corpus + "/evtx") || !fs::exists(bin + "/parse-evtx") ||
      !fs::exists(bin + "/detect")) {
    MESSAGE("skipped: needs ../shared/corpus, parse-evtx and detect built");
    return;
  }
  std::string dir = kk_test::temp_dir();
  const std::string records = dir + "/evtx.jsonl", findings = dir + "/findings.jsonl";
  // Every corpus EVTX file, deleted records carved too (--recover).
  std::string cmd = "cd '" + corpus + "' && find . -name '*.evtx' -print0 | xargs -0 '" + bin +
                    "/parse-evtx' --quiet --recover > '" + records + "' 2>/dev/null; true";
  REQUIRE(std::system(cmd.c_str()) == 0);
  cmd = "'" + bin + "/detect' --quiet -o '" + findings + "' '" + records + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);

  auto parsed = census_of(kk_test::split_lines(kk_test::read_file(records)));
  MESSAGE("parse-evtx: " << census_text(parsed));
  CHECK(parsed.size() == 1);
  CHECK(parsed["record integer"] > 2000);  // 2,216 records carry a LogonType

  kk::timeline::BuildOptions text;  // details as one JSON text (the default)
  auto timeline = census_of(kk_test::build_lines({records}, text));
  kk::timeline::BuildOptions object;
  object.details_as_text = false;
  auto nested = census_of(kk_test::build_lines({records}, object));
  MESSAGE("timeline: " << census_text(timeline) << "| --details object: " << census_text(nested));
  CHECK(timeline.size() == 2);
  CHECK(timeline["record integer"] > 1000);                    // logon_type
  CHECK(timeline["text string"] == parsed["record integer"]);  // details.LogonType
  CHECK(nested == timeline);

  auto found = census_of(kk_test::split_lines(kk_test::read_file(findings)));
  MESSAGE("findings: " << census_text(found));
  CHECK(found.size() == 1);
  CHECK(found["text string"] > 0);  // evidence fields
  fs::remove_all(dir);
}
