// A bundle's SRUM/ folder through triage: SRUDB.dat parsed in-process (its logs beside
// it are not "unparsed"), its rows in records/ and on the timeline.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "../ese/ese_fixture.hpp"
#include "triage/triage.hpp"

namespace fs = std::filesystem;

TEST_CASE("triage: a bundle's SRUM database gives srum_* records and timeline events") {
  const fs::path root = kk_test::temp_dir();
  const fs::path srum = root / "SRUMPC_20211117000000" / "SRUM";
  fs::create_directories(srum);
  auto db = kk_test::small_srum();
  {
    std::ofstream f(srum / "SRUDB.dat", std::ios::binary);
    f.write(reinterpret_cast<const char*>(db.data()), static_cast<std::streamsize>(db.size()));
    std::ofstream(srum / "SRU.chk") << std::string(8192, '\0');
  }
  kk::triage::Options o;
  o.bundle = (root / "SRUMPC_20211117000000").string();
  o.out_dir = (root / "case").string();
  o.detected_at = kk::parse_user_time("2021-11-17T04:00:00Z").value();
  o.jobs = 2;
  kk::Diagnostics diag("triage");
  diag.set_stderr_limit(0);
  auto r = kk::triage::run(o, diag);
  INFO(r.error);
  REQUIRE(r.status != "failed");
  CHECK(r.records["srum_app_usage"] == 203);
  CHECK(r.records["srum_connectivity"] == 3);
  CHECK(r.records["srum_other"] == 6 + 3 + 3 + 2);
  CHECK(r.counts["unparsed_files"] == 0);
  const std::string timeline = kk_test::read_file((root / "case" / "timeline.jsonl").string());
  CHECK(timeline.find("\"timestamp_desc\":\"SRUM App Resource Usage Recorded\"") !=
        std::string::npos);
  CHECK(timeline.find("System32\\\\sihost.exe") != std::string::npos);
  fs::remove_all(root);
}
