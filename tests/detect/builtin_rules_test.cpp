// Every built-in rule against real corpus records (tests/data/detect/builtin_*, picked from the
// EVTX attack samples and the parser robustness samples) and, where no public sample exists,
// hand-made records (synthetic_*): each rule must fire on its "fires" record and stay
// silent on its "silent" near miss, with all records fed to one detector.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "detect/finding_table.hpp"
#include "test_support.hpp"

namespace {

struct Case {
  std::string rule, expect, key;
};

std::vector<Case> read_cases(const std::string& path) {
  std::vector<Case> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream ss(line);
    std::string rule, expect, source, id;
    std::getline(ss, rule, '\t');
    std::getline(ss, expect, '\t');
    std::getline(ss, source, '\t');
    std::getline(ss, id, '\t');
    out.push_back({rule, expect, source + "#" + id});
  }
  return out;
}

// rule id → the evidence keys (source#record_id, or source#offset) of all its findings.
std::map<std::string, std::set<std::string>> run(const std::vector<std::string>& files) {
  kk::Diagnostics diag("test");
  kk::detect::Options o;
  o.evidence_cap = 100000;
  kk::detect::Detector d(o, diag);
  d.load_rules();
  for (const auto& f : files) {
    std::ifstream in(f);
    REQUIRE(in);
    std::string line;
    while (std::getline(in, line)) REQUIRE(d.add_json(line));
  }
  std::string out = d.finish();
  std::map<std::string, std::set<std::string>> hits;
  simdjson::dom::parser p;
  std::stringstream ss(out);
  std::string line;
  while (std::getline(ss, line)) {
    simdjson::dom::element f = p.parse(line).value();
    std::string rule(std::string_view(f["rule"]["id"].get_string().value()));
    simdjson::dom::array evidence;
    REQUIRE(f["evidence"].get_array().get(evidence) == simdjson::SUCCESS);
    for (auto ev : evidence) {
      std::string src(std::string_view(ev["source"].get_string().value()));
      std::int64_t id = 0;
      if (ev["record_id"].get_int64().get(id) != simdjson::SUCCESS)
        id = ev["offset"].get_int64().value();
      hits[rule].insert(src + "#" + std::to_string(id));
    }
  }
  return hits;
}

void check_cases(const std::vector<Case>& cases,
                 const std::map<std::string, std::set<std::string>>& hits) {
  for (const auto& c : cases) {
    auto it = hits.find(c.rule);
    bool fired = it != hits.end() && it->second.count(c.key);
    INFO(c.rule << " " << c.expect << " " << c.key);
    CHECK(fired == (c.expect == "fires"));
  }
}

}  // namespace

TEST_CASE("built-in rules on real corpus records") {
  std::string dir = std::string(KK_TEST_DATA) + "/detect/";
  auto cases = read_cases(dir + "builtin_cases.tsv");
  REQUIRE(cases.size() > 50);
  check_cases(cases, run({dir + "builtin_records.jsonl"}));
}

TEST_CASE("built-in rules without a public sample, on hand-made records") {
  std::string dir = std::string(KK_TEST_DATA) + "/detect/";
  auto cases = read_cases(dir + "synthetic_cases.tsv");
  REQUIRE(cases.size() > 40);
  check_cases(cases, run({dir + "synthetic_records.jsonl"}));
}

TEST_CASE("every built-in rule loads and has a firing and a silent case") {
  std::string dir = std::string(KK_TEST_DATA) + "/detect/";
  std::set<std::string> fires, silent;
  for (const auto& file : {"builtin_cases.tsv", "synthetic_cases.tsv"})
    for (const auto& c : read_cases(dir + file))
      (c.expect == "fires" ? fires : silent).insert(c.rule);
  kk::Diagnostics diag("test");
  kk::detect::Detector d(kk::detect::Options{}, diag);
  d.load_rules();
  std::size_t n = 0;
  for (const auto& st : d.rule_statuses()) {
    INFO(st.path << ": " << st.reason);
    CHECK(st.status == "loaded");
    CHECK(fires.count(st.id) == 1);
    CHECK(silent.count(st.id) == 1);
    ++n;
  }
  CHECK(n == kk::detect::builtin_rule_files().size());
}

TEST_CASE("restart: a second run over the same records gives the same findings, rules kept") {
  kk::Diagnostics diag("test");
  kk::detect::Detector d(kk::detect::Options{}, diag);
  const std::size_t loaded = d.load_rules();
  REQUIRE(loaded > 0);
  auto feed = [&] {
    std::ifstream in(std::string(KK_TEST_DATA) + "/detect/builtin_records.jsonl");
    REQUIRE(in);
    std::string line;
    while (std::getline(in, line)) REQUIRE(d.add_json(line));
    return d.finish();
  };
  const std::string first = feed();
  const kk::detect::Stats one = d.stats();
  REQUIRE_FALSE(first.empty());
  d.restart();
  CHECK(d.stats().records == 0);
  CHECK(d.stats().rules_loaded == loaded);
  CHECK(d.finish().empty());  // nothing of the first run is left
  d.restart();
  CHECK(feed() == first);  // the EVTX records are not taken for duplicates of the first run
  CHECK(d.stats().duplicates == one.duplicates);
  CHECK(d.stats().findings == one.findings);
}

TEST_CASE("finish(sink): each finding's line as finish() writes it, with its severity") {
  kk::Diagnostics diag("test");
  kk::detect::Detector d(kk::detect::Options{}, diag);
  REQUIRE(d.load_rules() > 0);
  auto feed = [&] {
    std::ifstream in(std::string(KK_TEST_DATA) + "/detect/builtin_records.jsonl");
    REQUIRE(in);
    std::string line;
    while (std::getline(in, line)) REQUIRE(d.add_json(line));
  };
  feed();
  const std::string whole = d.finish();
  d.restart();
  feed();
  std::string streamed;
  std::size_t lines = 0;
  std::set<int> severities;
  simdjson::dom::parser p;
  d.finish([&](std::string_view line, int severity) {
    ++lines;
    REQUIRE(!line.empty());
    CHECK(line.back() == '\n');
    CHECK(line.find('\n') == line.size() - 1);  // one finding a call
    simdjson::dom::element f = p.parse(line.data(), line.size()).value();
    CHECK(severity == kk::detect::severity_level(f["severity"].get_string().value()));
    severities.insert(severity);
    streamed.append(line);
  });
  CHECK(streamed == whole);
  CHECK(lines == d.stats().findings);
  CHECK(severities.size() > 1);  // the pack's records give findings of several levels
}
