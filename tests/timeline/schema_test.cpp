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
