// The tools end to end: exit codes, the template round trip through the CLI, and that a
// broken case never produces a notice.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

#include "notice_fixture.hpp"

namespace {
std::string bin(const char* tool) {
  return std::string(KK_BIN_DIR) + "/" + tool;
}

int run(const std::string& cmd) {
  int rc = std::system((cmd + " 2>/dev/null").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

bool have(const char* tool) {
  if (std::filesystem::exists(bin(tool))) return true;
  MESSAGE(tool << " not built; skipped");
  return false;
}
}  // namespace

TEST_CASE("render-notice: template out, filled case in, broken case refused") {
  if (!have("render-notice")) return;
  std::string dir = kk_test::temp_dir();
  std::string d = std::string(KK_TEST_DATA) + "/notice/";
  std::string inputs = d + "findings.jsonl " + d + "window.jsonl " + d +
                       "manifest.jsonl --diagnostics-in " + d + "diagnostics.jsonl";
  // The template itself is a case with only "required" errors: exit 1, no notice.
  CHECK(run(bin("render-notice") + " --case-template --lang en -o " + dir + "/case.json") == 0);
  CHECK(run(bin("render-notice") + " --case " + dir + "/case.json -o " + dir + "/none.html " +
            inputs) == 1);
  CHECK_FALSE(std::filesystem::exists(dir + "/none.html"));
  CHECK(run(bin("render-notice") + " --case " + dir + "/case.json --check-case") == 1);
  CHECK(run(bin("render-notice") + " --case " + d + "case.json --check-case") == 0);
  // The fixture case: HTML by default, Markdown by extension.
  CHECK(run(bin("render-notice") + " --case " + d + "case.json -o " + dir + "/n.html " + inputs) ==
        0);
  CHECK(run(bin("render-notice") + " --case " + d + "case.json --lang en -o " + dir + "/n.md " +
            inputs) == 0);
  std::string html = kk_test::read_file(dir + "/n.html"), md = kk_test::read_file(dir + "/n.md");
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(md.find("# Investigation Notice") != std::string::npos);
  // Usage errors: exit 2.
  CHECK(run(bin("render-notice") + " --case " + d + "case.json --lang fr") == 2);
  CHECK(run(bin("render-notice") + " --case " + d + "case.json --anonymize " + inputs) == 2);
  CHECK(run(bin("render-notice")) == 2);
  // A missing input file: the notice is still written, the status says so.
  CHECK(run(bin("render-notice") + " --case " + d + "case.json -o " + dir +
            "/m.html /nonexistent.jsonl") == 1);
  CHECK(std::filesystem::exists(dir + "/m.html"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("anonymize: any JSONL, stable across runs, hashes kept, identifiers gone") {
  if (!have("anonymize")) return;
  std::string dir = kk_test::temp_dir();
  std::string d = std::string(KK_TEST_DATA) + "/notice/";
  std::string cmd = bin("anonymize") + " --key k --case " + d + "case.json " + d + "window.jsonl " +
                    d + "findings.jsonl";
  CHECK(run(cmd + " -o " + dir + "/a.jsonl") == 0);
  CHECK(run(cmd + " -o " + dir + "/b.jsonl") == 0);
  CHECK(run("cat " + d + "window.jsonl " + d + "findings.jsonl | " + bin("anonymize") +
            " --key k --case " + d + "case.json -o " + dir + "/c.jsonl") == 0);
  std::string a = kk_test::read_file(dir + "/a.jsonl");
  CHECK(a == kk_test::read_file(dir + "/b.jsonl"));
  CHECK(a == kk_test::read_file(dir + "/c.jsonl"));  // stdin gives the same as files
  CHECK(kk_test::count_of(a, "\n") == 46);           // every record kept
  for (std::string gone : {"PC-SALES01", "tanaka", "192.168.10.23", "tanaka@example.co.jp"})
    CHECK_MESSAGE(a.find(gone) == std::string::npos, gone);
  for (std::string kept :
       {"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "203.0.113.5",
        "malicious.example.net", "\"id\":\"KK-LOGON-001\"", "T1021.001"})
    CHECK_MESSAGE(a.find(kept) != std::string::npos, kept);
  CHECK(run(bin("anonymize") + " " + d + "window.jsonl") == 2);  // no key
  std::filesystem::remove_all(dir);
}
