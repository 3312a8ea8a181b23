// A cut upload (issue #20): the sample bundle's zip truncated at 60 %. The notice must say
// the archive ends early, which files arrived (whole or in part), that the collector log
// never arrived — not that categories were "perhaps switched off in the collector's
// settings" — and no verdict may rest on the absence of records lost with the rest.
#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

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

// The same cut when the collector log travels first (other zip tools order entries so): the
// log lists every file, and the notice names those that never arrived.
TEST_CASE("truncated archive with its collector log first: the files that never arrived") {
  const fs::path base = kk_test::temp_dir();
  const fs::path whole = base / "whole.zip", cut = base / "MSEDGEWIN10_20190925100000.zip";
  {
    std::vector<std::pair<std::string, std::string>> files;  // (name, bytes), log first
    archive* in = archive_read_new();
    archive_read_support_format_zip(in);
    archive_read_add_passphrase(in, "infected");
    REQUIRE(archive_read_open_filename(in, KK_SOURCE_DIR "/samples/MSEDGEWIN10_20190925100000.zip",
                                       1 << 16) == ARCHIVE_OK);
    archive_entry* e;
    std::vector<char> buf(1 << 16);
    while (archive_read_next_header(in, &e) == ARCHIVE_OK) {
      if (archive_entry_filetype(e) != AE_IFREG) continue;
      std::string name = archive_entry_pathname(e), bytes;
      for (la_ssize_t n; (n = archive_read_data(in, buf.data(), buf.size())) > 0;)
        bytes.append(buf.data(), static_cast<std::size_t>(n));
      if (name.ends_with("/collector-log.txt"))
        files.insert(files.begin(), {name, bytes});
      else
        files.emplace_back(name, bytes);
    }
    archive_read_free(in);
    REQUIRE(files.size() == 17);  // 16 evidence files and the log
    REQUIRE(files.front().first.ends_with("collector-log.txt"));
    archive* w = archive_write_new();
    archive_write_set_format_zip(w);
    REQUIRE(archive_write_open_filename(w, whole.c_str()) == ARCHIVE_OK);
    for (const auto& [name, bytes] : files) {
      archive_entry* t = archive_entry_new();
      archive_entry_set_pathname(t, name.c_str());
      archive_entry_set_filetype(t, AE_IFREG);
      archive_entry_set_perm(t, 0644);
      archive_entry_set_size(t, static_cast<la_int64_t>(bytes.size()));
      REQUIRE(archive_write_header(w, t) == ARCHIVE_OK);
      archive_write_data(w, bytes.data(), bytes.size());
      archive_entry_free(t);
    }
    archive_write_close(w);
    archive_write_free(w);
    std::string zip = kk_test::read_file(whole.string());
    std::ofstream(cut, std::ios::binary)
        .write(zip.data(), static_cast<std::streamsize>(zip.size() * 6 / 10));
  }
  kk::triage::Options o;
  o.bundle = cut.string();
  o.out_dir = (base / "case").string();
  o.case_path = KK_SOURCE_DIR "/samples/CASE.json";
  o.jobs = 2;
  kk::Diagnostics diag("triage");
  diag.set_stderr_limit(0);
  kk::triage::Report r = kk::triage::run(o, diag);
  INFO(r.error);
  REQUIRE(r.status != "failed");
  std::string md = kk_test::read_file(o.out_dir + "/notice.md");
  CHECK(md.find("アーカイブが途中で切れています") != std::string::npos);
  const auto at = md.find("アーカイブが途中で切れたため届いていません");
  REQUIRE(at != std::string::npos);
  const std::string never = md.substr(at, md.find('\n', at) - at);
  CHECK(md.find("収集ログ（collector-log.txt）も届いていない") == std::string::npos);
  // The hives are stored last: listed in the log, never arrived.
  CHECK(never.find("SAM") != std::string::npos);
  CHECK(never.find("Amcache.hve") != std::string::npos);
  CHECK(never.find("CALC.EXE") == std::string::npos);  // arrived
  CHECK(md.find("収集設定で無効にされていた可能性") == std::string::npos);
  fs::remove_all(base);
}
