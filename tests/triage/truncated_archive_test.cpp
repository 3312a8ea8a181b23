// A cut upload (issue #20): the sample bundle's zip truncated at 60 %. The notice must say
// the archive ends early, which files arrived (whole or in part), that the collector log
// never arrived — not that categories were "perhaps switched off in the collector's
// settings" — and no verdict may rest on the absence of records lost with the rest.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "core/jsonl_reader.hpp"
#include "triage/triage.hpp"

namespace fs = std::filesystem;

TEST_CASE("truncated archive: the notice says what arrived and judges nothing on what did not") {
  const fs::path base = kk_test::temp_dir();
  // Same name as the sample: the name carries the host and the collection time.
  const fs::path cut = base / "MSEDGEWIN10_20190925100000.zip";
  {
    std::string zip = kk_test::read_file(KK_SOURCE_DIR "/samples/MSEDGEWIN10_20190925100000.zip");
    REQUIRE(zip.size() > 300000);
    std::ofstream(cut, std::ios::binary)
        .write(zip.data(), static_cast<std::streamsize>(zip.size() * 6 / 10));
  }
  kk::triage::Options o;
  o.bundle = cut.string();
  o.out_dir = (base / "case").string();
  o.password = "infected";
  o.case_path = KK_SOURCE_DIR "/samples/CASE.json";
  o.jobs = 2;
  kk::Diagnostics diag("triage");
  diag.set_stderr_limit(0);
  kk::triage::Report r = kk::triage::run(o, diag);
  INFO(r.error);
  REQUIRE(r.status != "failed");
  const std::string dir = o.out_dir;

  // The manifest: the summary says why, the file cut through is marked incomplete.
  std::string manifest = kk_test::read_file(dir + "/manifest.jsonl");
  CHECK(manifest.find("\"archive_truncated\":\"") != std::string::npos);
  CHECK(manifest.find("\"source\":\"Prefetch/CMD.EXE-D269B812.pf\"") != std::string::npos);
  CHECK(manifest.find("collector-log.txt") == std::string::npos);  // stored last: lost

  std::string md = kk_test::read_file(dir + "/notice.md");
  CHECK(md.find("アーカイブが途中で切れています") != std::string::npos);
  // What arrived (whole), what arrived in part, and that the collector log did not.
  CHECK(md.find("切れる前に格納されていた次の 11 件のファイル") != std::string::npos);
  CHECK(md.find("Prefetch/CALC.EXE-3FBEF7FD.pf") != std::string::npos);
  CHECK(md.find("次の 1 件のファイルは途中までしか届いていません") != std::string::npos);
  CHECK(md.find("Prefetch/DEVENV.EXE-854D7862.pf") != std::string::npos);
  CHECK(md.find("収集ログ（collector-log.txt）も届いていない") != std::string::npos);
  CHECK(md.find("届いたファイル 11 件、途中まで届いたファイル 1 件") != std::string::npos);
  // Not the wording for a bundle that arrived whole.
  CHECK(md.find("収集設定で無効にされていた可能性") == std::string::npos);

  // notice.json: what was found stands; nothing is "not found" on data that may be lost.
  kk::JsonlReader reader;
  std::string err;
  REQUIRE(reader.open(dir + "/notice.json", &err));
  simdjson::dom::element notice;
  REQUIRE(reader.next(&notice, &err));
  int found = 0, cannot_tell = 0;
  for (simdjson::dom::element q : notice["questions"].get_array()) {
    std::string_view verdict = kk::json_str(q, "verdict");
    CAPTURE(kk::json_str(q, "id"));
    CHECK(verdict != "not_found");
    if (verdict == "found") ++found;
    if (verdict == "cannot_tell") {
      ++cannot_tell;
      bool lost = false;
      for (simdjson::dom::element m : q["missing"].get_array())
        lost = lost || m.get_string().value() == "archive_truncated";
      CHECK(lost);
      CHECK(kk::json_str(q, "statement").find("途中で切れて") != std::string_view::npos);
    }
  }
  CHECK(found > 0);         // the evidence that arrived still proves what it shows
  CHECK(cannot_tell >= 2);  // the suspect's creation and execution: not "not found"
  fs::remove_all(base);
}
