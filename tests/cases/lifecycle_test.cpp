// A case with two PCs through the tools, as an analyst runs it, with --now moving through
// its month: init -> add -> run (two runs at once) -> status -> complete -> purge -> stats.
// PC "MSEDGEWIN10" is the sample archive, PC "PC02" the same bundle unpacked into a folder
// named PC02_<time>; each is triaged once (without the Sigma set, to stay fast).
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "cases/registry.hpp"

namespace fs = std::filesystem;
using namespace kk::cases;

namespace {

std::string bin(const char* tool) {
  return std::string(KK_BIN_DIR) + "/" + tool;
}

// Runs CMD; its exit status; its standard output and error in *OUT.
int sh(const std::string& cmd, std::string* out = nullptr) {
  std::string file = kk_test::temp_file();
  int rc = std::system(("(" + cmd + ") >" + file + " 2>&1").c_str());
  if (out) *out = kk_test::read_file(file);
  fs::remove(file);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

bool have_tools() {
  for (const char* t : {"cases", "triage", "unpack-cdir"})
    if (!fs::exists(bin(t))) {
      MESSAGE(t << " not built; skipped");
      return false;
    }
  return true;
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

int count_actions(Registry& r, const std::string& case_id, const std::string& action,
                  const std::string& host) {
  int n = 0;
  for (const AuditRow& a : r.audit_trail(case_id))
    if (a.action == action && a.details.find("\"host\":\"" + host + "\"") != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("cases: two PCs from intake to deletion") {
  if (!have_tools()) return;
  const std::string t = kk_test::temp_dir();
  const std::string samples = std::string(KK_SOURCE_DIR) + "/samples";
  const std::string zip = samples + "/MSEDGEWIN10_20190925100000.zip";
  const std::string pw = samples + "/password.txt";
  REQUIRE(sh(bin("unpack-cdir") + " " + zip + " --password-file " + pw + " --quiet -o " + t +
             "/ex >/dev/null") == 0);
  fs::rename(t + "/ex/MSEDGEWIN10_20190925100000", t + "/PC02_20190925100000");
  const std::string root = t + "/root", cd = root + "/KK-TEST-1";
  const std::string cases = bin("cases") + " --tz Asia/Tokyo";
  std::string out;

  // A bad intake creates nothing and names every field.
  write(t + "/bad.json", R"({"analyst":"A","completion_date":"2019-07-01","customer":{},
      "detection":{"detected_at":"2031-01-01 00:00"}})");
  CHECK(sh(cases + " init " + cd + " --case " + t + "/bad.json --now '2019-09-25 12:00'", &out) ==
        1);
  CHECK(out.find("case_id") != std::string::npos);
  CHECK(out.find("customer.company") != std::string::npos);
  CHECK(out.find("detection.detected_at: 2030-12-31T15:00:00.000000Z is in the future") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(cd));

  std::string intake = kk_test::read_file(samples + "/CASE.json");
  write(t + "/CASE.json", replace_all(intake, "KK-SAMPLE-0001", "KK-TEST-1"));
  REQUIRE(sh(cases + " init " + cd + " --case " + t + "/CASE.json --now '2019-09-25 12:00'",
             &out) == 0);
  REQUIRE(sh(cases + " add " + cd + " " + zip + " " + t +
                 "/PC02_20190925100000 --now '2019-09-25 13:00'",
             &out) == 0);
  CHECK(out.find("PC MSEDGEWIN10") != std::string::npos);
  CHECK(out.find("PC PC02") != std::string::npos);
  // The same archive again, under another name: refused by its hash.
  fs::copy_file(zip, t + "/again.zip");
  CHECK(sh(cases + " add " + cd + " " + t + "/again.zip --now '2019-09-25 14:00'", &out) == 1);
  CHECK(out.find("already received as MSEDGEWIN10_20190925100000.zip") != std::string::npos);
  CHECK_FALSE(fs::exists(cd + "/received/again.zip"));

  // Not delivered two weeks after receipt: overdue.
  CHECK(sh(cases + " status " + cd + " --json --now '2019-10-10'", &out) == 0);
  CHECK(out.find("\"state\":\"received\"") != std::string::npos);
  CHECK(out.find("\"due_at\":\"2019-10-09T04:00:00.000000Z\"") != std::string::npos);
  CHECK(out.find("\"overdue\":true") != std::string::npos);
  CHECK(sh(cases + " status " + cd + " --now '2019-10-10'", &out) == 0);
  CHECK(out.find("due          2019-10-09 13:00:00 JST   ** OVERDUE **") != std::string::npos);
  CHECK(sh(cases + " list " + root + " --now '2019-10-03'", &out) == 0);
  CHECK(out.find("due this week:\n  KK-TEST-1 (2019-10-09 13:00:00 JST)\n") != std::string::npos);
  // No purge before completion, and no forced one without a reason.
  CHECK(sh(cases + " purge " + cd + " --execute --now '2019-10-10'", &out) == 1);
  CHECK(out.find("not completed") != std::string::npos);
  CHECK(sh(cases + " purge " + cd + " --execute --force --now '2019-10-10'") == 2);
  CHECK(fs::exists(cd + "/received"));

  // Two runs at once share the PCs: each PC is triaged exactly once.
  std::string run = cases + " run " + cd + " --no-sigma --password-file " + pw +
                    " --pcs 1 --jobs 1 --quiet --now '2019-09-27 10:00'";
  CHECK(sh("(" + run + " >" + t + "/run1.txt 2>&1 & " + run + " >" + t +
           "/run2.txt 2>&1 & wait)") == 0);
  auto reg = Registry::open(root, "");
  for (const char* host : {"MSEDGEWIN10", "PC02"}) {
    CHECK(count_actions(*reg, "KK-TEST-1", "triage-start", host) == 1);
    CHECK(count_actions(*reg, "KK-TEST-1", "triage-done", host) == 1);
    CHECK(fs::exists(cd + "/" + host + "/notice.html"));
  }
  CHECK(reg->find_case("KK-TEST-1")->state == CaseState::kDelivered);
  // The case notice across the two PCs shows the suspect file on both.
  std::string case_notice = kk_test::read_file(cd + "/case-notice.json");
  CHECK(case_notice.find("Get-Keystrokes.ps1") != std::string::npos);
  CHECK(case_notice.find("\"PC02\"") != std::string::npos);
  CHECK(fs::exists(cd + "/case-notice.html"));
  // A third run finds nothing to do.
  CHECK(sh(run, &out) == 0);
  CHECK(out.find("no PC left to triage") != std::string::npos);

  CHECK(sh(cases + " status " + cd + " --json --now '2019-10-10'", &out) == 0);
  CHECK(out.find("\"state\":\"delivered\"") != std::string::npos);
  CHECK(out.find("\"overdue\":false") != std::string::npos);
  CHECK(out.find("{\"host\":\"PC02\",\"state\":\"triaged\"") != std::string::npos);

  REQUIRE(sh(cases + " complete " + cd + " --now '2019-10-05 10:00' --meeting '2019-10-04 15:00'",
             &out) == 0);
  CHECK(fs::exists(cd + "/completion-notice.html"));
  CHECK(sh(cases + " status " + cd + " --json --now '2019-10-20'", &out) == 0);
  CHECK(out.find("\"kind\":\"completion_notice\",\"host\":null,\"version\":1,\"file\":\"completion-"
                 "notice.html\"") != std::string::npos);
  CHECK(out.find("\"inquiry_until\":\"2019-11-05T01:00:00.000000Z\"") != std::string::npos);
  CHECK(out.find("\"delete_after\":\"2019-11-05T01:00:00.000000Z\"") != std::string::npos);
  CHECK(out.find("\"report_meeting\":\"2019-10-04T06:00:00.000000Z\"") != std::string::npos);

  // Inquiries are still accepted: no purge; the dry run (the default) lists and keeps.
  CHECK(sh(cases + " purge " + cd + " --execute --now '2019-10-20'", &out) == 1);
  CHECK(out.find("has not come") != std::string::npos);
  CHECK(sh(cases + " list " + root + " --json --now '2019-11-06'", &out) == 0);
  CHECK(out.find("\"delete_today\":[\"KK-TEST-1\"]") != std::string::npos);
  CHECK(sh(cases + " purge " + cd + " --now '2019-11-06'", &out) == 0);
  CHECK(out.find("dry run") != std::string::npos);
  CHECK(out.find("received/MSEDGEWIN10_20190925100000.zip") != std::string::npos);
  CHECK(fs::exists(cd + "/received/MSEDGEWIN10_20190925100000.zip"));

  // Links planted in the case folder are removed, their targets untouched.
  write(t + "/canary.txt", "outside the case");
  fs::create_directory(t + "/outside");
  write(t + "/outside/keep.txt", "outside too");
  fs::create_symlink(t + "/canary.txt", cd + "/PC02/link-to-file");
  fs::create_directory_symlink(t + "/outside", cd + "/MSEDGEWIN10/link-to-dir");
  // A FIFO under a name purge reads (a PC's notice.json) must not hang it.
  fs::remove(cd + "/PC02/notice.json");
  REQUIRE(mkfifo((cd + "/PC02/notice.json").c_str(), 0600) == 0);
  REQUIRE(sh(cases + " purge " + cd + " --execute --now '2019-11-06'", &out) == 0);
  CHECK(out.find("verified: nothing left") != std::string::npos);
  CHECK(kk_test::read_file(t + "/canary.txt") == "outside the case");
  CHECK(kk_test::read_file(t + "/outside/keep.txt") == "outside too");
  std::vector<std::string> left;
  for (const auto& e : fs::recursive_directory_iterator(cd))
    left.push_back(e.path().filename().string());
  for (const auto& name : left) {
    INFO(name);
    CHECK((name == "deletion-record.json" || name.starts_with("completion-notice.") ||
           name.starts_with("deletion-report.")));
  }
  std::string record = kk_test::read_file(cd + "/deletion-record.json");
  CHECK(record.find("\"verified_empty\":true") != std::string::npos);
  CHECK(record.find("\"path\":\"received/MSEDGEWIN10_20190925100000.zip\",\"type\":\"file\","
                    "\"size\":394503,\"sha256\":\"") != std::string::npos);
  CHECK(record.find("\"path\":\"PC02/link-to-file\",\"type\":\"link\"") != std::string::npos);
  CHECK(record.find("\"path\":\"PC02/notice.json\",\"type\":\"other\"") != std::string::npos);
  reg = Registry::open(root, "");
  CHECK(reg->find_case("KK-TEST-1")->state == CaseState::kPurged);
  REQUIRE(reg->deletions("KK-TEST-1").size() == 1);
  CHECK(reg->deletions("KK-TEST-1")[0].record == record);
  CHECK(fs::exists(cd + "/deletion-report.html"));
  CHECK(sh(cases + " purge " + cd + " --execute --now '2019-11-07'", &out) == 1);

  // The statistics keep the malware facts and nothing that names the customer.
  std::string csv, jsonl;
  CHECK(sh(cases + " stats " + root + " --format csv", &csv) == 0);
  CHECK(sh(cases + " stats " + root + " --format jsonl", &jsonl) == 0);
  CHECK(csv.starts_with("incident_month,os,kind,value,detail\n"));
  CHECK(csv.find("2019-07,Windows 10 Enterprise "
                 "Evaluation,threat_name,Trojan:PowerShell/Powersploit.M,") != std::string::npos);
  CHECK(csv.find(",domain,raw.githubusercontent.com,") != std::string::npos);
  CHECK(csv.find(",attack_technique,T1059.001,") != std::string::npos);
  CHECK(csv.find(",rule_id,KK-AV-001,") != std::string::npos);
  for (const char* identifying :
       {"サンプル商事", "総務部", "山田", "花子", "佐藤", "hanako", "example.co.jp", "03-0000",
        "MSEDGEWIN10", "PC02", "IEUser", "KK-TEST-1", "\\Users\\", "/tmp/"}) {
    INFO(identifying);
    CHECK(csv.find(identifying) == std::string::npos);
    CHECK(jsonl.find(identifying) == std::string::npos);
  }
  fs::remove_all(t);
}

TEST_CASE("cases run: a PC left claimed by a killed run is taken over; a failed PC is retried") {
  if (!have_tools()) return;
  const std::string t = kk_test::temp_dir();
  const std::string samples = std::string(KK_SOURCE_DIR) + "/samples";
  const std::string root = t + "/root", cd = root + "/KK-TEST-2";
  const std::string cases = bin("cases") + " --quiet";
  std::string intake = kk_test::read_file(samples + "/CASE.json");
  write(t + "/CASE.json", replace_all(intake, "KK-SAMPLE-0001", "KK-TEST-2"));
  REQUIRE(sh(cases + " init " + cd + " --case " + t + "/CASE.json --now '2019-09-25 12:00'") == 0);
  REQUIRE(sh(cases + " add " + cd + " " + samples +
             "/MSEDGEWIN10_20190925100000.zip --now '2019-09-25 13:00'") == 0);
  // A run on this machine was killed while triaging: its claim names a process that is gone,
  // and it left a half-written PC folder.
  char machine[256] = {};
  gethostname(machine, sizeof machine - 1);
  {
    auto reg = Registry::open(root, "");
    Transaction tx(reg->db());
    CHECK(reg->claim_host("KK-TEST-2", "MSEDGEWIN10", std::string(machine) + ":4194303", 1));
    tx.commit();
  }
  fs::create_directory(cd + "/MSEDGEWIN10");
  write(cd + "/MSEDGEWIN10/partial", "x");
  // A triage that fails: the PC is recorded as failed, the case not delivered.
  write(t + "/failing-triage", "#!/bin/sh\nexit 1\n");
  fs::permissions(t + "/failing-triage", fs::perms::owner_all);
  std::string out;
  CHECK(sh(cases + " run " + cd + " --triage " + t + "/failing-triage --now '2019-09-26'", &out) ==
        1);
  CHECK(out.find("MSEDGEWIN10: FAILED") != std::string::npos);
  CHECK(fs::exists(cd + "/MSEDGEWIN10.previous-1/partial"));  // kept aside, not deleted
  CHECK(sh(cases + " status " + cd + " --json", &out) == 0);
  CHECK(out.find("\"state\":\"analysing\"") != std::string::npos);
  CHECK(out.find("{\"host\":\"MSEDGEWIN10\",\"state\":\"failed\"") != std::string::npos);
  // Run again: the failed PC is triaged, the case delivered.
  CHECK(sh(cases + " run " + cd + " --no-sigma --jobs 1 --password-file " + samples +
               "/password.txt --now '2019-09-27'",
           &out) == 0);
  CHECK(out.find("MSEDGEWIN10: triaged") != std::string::npos);
  auto reg = Registry::open(root, "");
  CHECK(reg->find_case("KK-TEST-2")->state == CaseState::kDelivered);
  CHECK(count_actions(*reg, "KK-TEST-2", "triage-failed", "MSEDGEWIN10") == 1);
  CHECK(count_actions(*reg, "KK-TEST-2", "triage-done", "MSEDGEWIN10") == 1);
  fs::remove_all(t);
}
