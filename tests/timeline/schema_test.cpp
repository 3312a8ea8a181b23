// Timesketch schema: every event importable as it is (required fields, integer
// timestamp), no key ever changes JSON type, distinct keys under the limit — checked on
// a timeline of real parser records (and of the shared corpus when the parsers are built).
#include <doctest/doctest.h>

#include <filesystem>

#include "schema_check.hpp"
#include "timeline_test_util.hpp"

using kk_test::check_schema;

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

// Timesketch (issue #20): a stock OpenSearch index takes 1,000 fields, and the corpus's
// timeline had 1,441 distinct `details` keys as a nested object. The default timeline keeps
// `details` as one text field: every parser's records over the whole corpus flatten to at
// most 450 distinct keys. (The nested form, --details object, is counted for the record.)
TEST_CASE("Timesketch: the default timeline of the whole corpus has at most 450 flattened keys") {
  namespace fs = std::filesystem;
  std::string bin = KK_BIN_DIR, corpus = KK_CORPUS;
  std::vector<std::pair<std::string, std::string>> parsers = {
      {"parse-evtx", "-name '*.evtx'"},
      {"parse-prefetch", "-name '*.pf'"},
      {"parse-registry", "-path '*registry*' -size +4k"},
      {"parse-mft", "-path './mft/*'"},
      {"parse-usnjrnl", "-path './usnjrnl/*'"},
      {"parse-browser", "-path './browser/*'"},
      {"parse-srum", "-path './srum/*'"},
  };
  if (!fs::exists(corpus + "/evtx") || !fs::exists(bin + "/parse-evtx")) {
    MESSAGE("skipped: needs ../shared/corpus and the parsers built");
    return;
  }
  std::string dir = kk_test::temp_dir();
  std::vector<std::string> inputs;
  std::string used;
  for (const auto& [tool, find] : parsers) {
    if (!fs::exists(bin + "/" + tool)) continue;
    std::string out = dir + "/" + tool + ".jsonl";
    std::string cmd = "cd '" + corpus + "' && find . -type f " + find + " -print0 | xargs -0 -r '" +
                      bin + "/" + tool + "' --quiet > '" + out + "' 2>/dev/null; true";
    REQUIRE(std::system(cmd.c_str()) == 0);
    inputs.push_back(out);
    used += tool + " ";
  }
  kk::timeline::BuildOptions text;  // the default
  auto r = check_schema(kk_test::build_lines(inputs, text));
  kk::timeline::BuildOptions object;
  object.details_as_text = false;
  auto nested = check_schema(kk_test::build_lines(inputs, object));
  MESSAGE("whole corpus (" << used << "): " << r.events << " events; flattened keys: "
                           << r.flattened_keys << " (details as text, the default), "
                           << nested.flattened_keys << " with --details object");
  CHECK(r.events > 30000);
  CHECK(r.flattened_keys <= 450);
  CHECK(nested.flattened_keys > 1000);  // why the default is text
  for (const auto& in : inputs) std::remove(in.c_str());
  fs::remove(dir);
}
