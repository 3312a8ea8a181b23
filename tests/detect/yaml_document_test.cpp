// Rule files are read one YAML document at a time, with caps: yaml-cpp 0.7.0's LoadAll
// yielded empty documents forever on a 3-byte rule (tests/data/detect/hostile/).
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "detect/yaml_document.hpp"
#include "test_support.hpp"

using kk::detect::load_yaml_document;
using kk::detect::YamlLimits;

namespace {

const std::string kRunaway = std::string(KK_TEST_DATA) + "/detect/hostile/yaml-loadall-runaway.yml";

constexpr const char* kGoodRule = R"(title: good
id: good-1
logsource: {product: windows, service: security}
detection:
  sel: {EventID: 4625}
  condition: sel
)";

}  // namespace

TEST_CASE("yaml document: the LoadAll runaway input ends at once, the rule skipped") {
  std::string text = kk_test::read_file(kRunaway);
  REQUIRE(text == "\n,\n");
  auto doc = load_yaml_document(text);
  REQUIRE(doc);
  CHECK_FALSE(doc->root.IsMap());
  CHECK(doc->more);  // an empty document, then another: no third is asked for
  // (Loading it as a rule is checked in a child process below, under a memory cap.)
}

TEST_CASE("yaml document: one document read, a second one noticed, a third never asked for") {
  auto one = load_yaml_document(kGoodRule);
  REQUIRE(one);
  CHECK(one->root["id"].Scalar() == "good-1");
  CHECK(one->root["detection"]["sel"]["EventID"].Scalar() == "4625");
  CHECK_FALSE(one->more);
  auto two = load_yaml_document(std::string(kGoodRule) + "---\ntitle: x\n---\n---\n");
  REQUIRE(two);
  CHECK(two->more);
  auto none = load_yaml_document("");
  REQUIRE(none);
  CHECK(none->root.IsNull());
  CHECK_FALSE(none->more);
}

TEST_CASE("yaml document: keys keep their order, anchors and aliases resolve, nulls stay null") {
  auto doc = load_yaml_document("a: &x [1, 2]\nb: *x\nc: ~\nd:\n  - &y {k: v}\n  - *y\nz: 1\n");
  REQUIRE(doc);
  std::vector<std::string> keys;
  for (const auto& kv : doc->root) keys.push_back(kv.first.Scalar());
  CHECK(keys == std::vector<std::string>{"a", "b", "c", "d", "z"});
  CHECK(doc->root["b"].size() == 2);
  CHECK(doc->root["b"][1].Scalar() == "2");
  CHECK(doc->root["c"].IsNull());
  CHECK(doc->root["d"][1]["k"].Scalar() == "v");
}

TEST_CASE("yaml document: size, node count, depth and cyclic aliases are capped") {
  YamlLimits small;
  small.max_bytes = 64;
  small.max_nodes = 10;
  small.max_depth = 4;
  auto big = load_yaml_document(std::string(100, '#'), small);
  REQUIRE_FALSE(big);
  CHECK(big.error().message.find("larger than") == 0);
  auto many = load_yaml_document("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", small);
  REQUIRE_FALSE(many);
  CHECK(many.error().message.find("YAML nodes") != std::string::npos);
  auto deep = load_yaml_document("[[[[[1]]]]]", small);
  REQUIRE_FALSE(deep);
  CHECK(deep.error().message.find("nested") != std::string::npos);
  auto cycle = load_yaml_document("&a [*a]");
  REQUIRE_FALSE(cycle);
  kk::Diagnostics diag("test");
  kk::detect::Options o;
  o.builtin = false;
  kk::detect::Detector d(o, diag);
  auto st = kk_detect_test::load_one(d, std::string(200, '[') + std::string(200, ']'));
  CHECK(st.status == "skipped");
  CHECK(st.reason.find("nested more than") != std::string::npos);
}

TEST_CASE("yaml document: detect --rules on the runaway rule, in bounded memory and time") {
  const std::string tool = std::string(KK_BIN_DIR) + "/detect";
  if (!std::filesystem::exists(tool)) {
    MESSAGE("detect not built; skipped");
    return;
  }
  auto dir = std::filesystem::path(kk_test::temp_dir());
  std::filesystem::copy_file(kRunaway, dir / "a.yml");
  std::ofstream((dir / "b.yml").string()) << kGoodRule;
  auto report = (dir / "report.jsonl").string(), err = (dir / "err.txt").string();
  auto records = (dir / "records.jsonl").string();  // detect wants at least one record
  std::ofstream(records)
      << R"({"artifact":"evtx","source":"s","record_id":1,"time":"2024-01-01T00:00:00Z","event_id":4625,"channel":"Security","data":{}})"
      << "\n";
  std::string command =
      kk_test::bounded(tool + " --no-builtin --quiet --rules '" + dir.string() +
                           "' --rule-report '" + report + "' -o /dev/null '" + records + "'",
                       1024, 60) +
      " 2>'" + err + "'";
  int status = std::system(command.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);  // was std::bad_alloc or the OOM killer
  std::string r = kk_test::read_file(report);
  CHECK(r.find(R"("status":"skipped","reason":"not a YAML mapping")") != std::string::npos);
  CHECK(r.find(R"("id":"good-1","title":"good","status":"loaded")") != std::string::npos);
  std::filesystem::remove_all(dir);
}
