// Rule files are read one YAML document at a time, with caps (yaml-cpp 0.7.0's LoadAll,
// used before libyaml, yielded empty documents forever on a 3-byte rule:
// tests/data/detect/hostile/), into nodes with yaml-cpp's meaning of null.
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
  REQUIRE_FALSE(doc);  // libyaml: a "," cannot start a token
  REQUIRE(doc.error().offset);
  CHECK(doc.error().message.rfind("YAML: line 2, column 1: ", 0) == 0);
  // (Loading it as a rule is checked in a child process below, under a memory cap.)
}

TEST_CASE("yaml document: one document read, a second one noticed, a third never asked for") {
  auto one = load_yaml_document(kGoodRule);
  REQUIRE(one);
  CHECK(one->root()["id"].text == "good-1");
  CHECK(one->root()["detection"]["sel"]["EventID"].text == "4625");
  CHECK_FALSE(one->root()["missing"]);
  CHECK_FALSE(one->root()["id"]["deeper"]);
  CHECK_FALSE(one->more);
  auto two = load_yaml_document(std::string(kGoodRule) + "---\ntitle: x\n---\n---\n");
  REQUIRE(two);
  CHECK(two->more);
  auto none = load_yaml_document("");
  REQUIRE(none);
  CHECK(none->root().is_null());
  CHECK_FALSE(none->more);
}

TEST_CASE("yaml document: keys keep their order, anchors and aliases resolve, nulls stay null") {
  auto doc = load_yaml_document(
      "a: &x [1, 2]\nb: *x\nc: ~\nd:\n  - &y {k: v}\n  - *y\nz: 1\ne:\nf: ''\ng: 'null'\n"
      "h: !!str null\ni: NULL\nj: |\n  two\n  lines\n");
  REQUIRE(doc);
  const kk::detect::YamlNode& root = doc->root();
  std::vector<std::string> keys;
  for (const auto& [k, v] : root.entries) keys.push_back(k->text);
  CHECK(keys == std::vector<std::string>{"a", "b", "c", "d", "z", "e", "f", "g", "h", "i", "j"});
  CHECK(root["b"].items.size() == 2);
  CHECK(root["b"].items[1]->text == "2");
  CHECK(&root["b"] == &root["a"]);  // an alias is its anchored node, not a copy
  CHECK(root["c"].is_null());
  CHECK(root["d"].items[1]->operator[]("k").text == "v");
  // Null is an untagged plain "", "~", "null", "Null" or "NULL"; quoted or tagged it is text.
  CHECK(root["e"].is_null());
  CHECK(root["f"].is_scalar());
  CHECK(root["f"].text.empty());
  CHECK(root["g"].is_scalar());
  CHECK(root["g"].text == "null");
  CHECK(root["h"].is_scalar());
  CHECK(root["i"].is_null());
  CHECK(root["j"].text == "two\nlines\n");
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
  CHECK(cycle.error().message == "alias to a node that is not complete");
  auto bad = load_yaml_document("a: b: c\n");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.rfind("YAML: line 1, column 5: ", 0) == 0);
  CHECK(bad.error().offset == 4u);
  // An alias bomb: nine levels of ten aliases each, 10^9 nodes if they were copied.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += (i ? ", *" : "*") + prev;
    bomb += "]\n";
  }
  auto bombed = load_yaml_document(bomb);
  REQUIRE(bombed);
  CHECK(bombed->root()["j"].items.size() == 10);
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
  CHECK(r.find(R"("status":"skipped","reason":"YAML: line 2, column 1: )") != std::string::npos);
  CHECK(r.find(R"("id":"good-1","title":"good","status":"loaded")") != std::string::npos);
  std::filesystem::remove_all(dir);
}
