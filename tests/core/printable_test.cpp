// Control characters from evidence never reach a terminal raw (issue #22).
#include <doctest/doctest.h>

#include <unistd.h>
#include <cstdio>
#include <fstream>

#include "../test_util.hpp"
#include "core/diagnostics.hpp"
#include "core/printable.hpp"

TEST_CASE("printable: C0, DEL, C1 and bidi overrides escaped; text and backslashes kept") {
  CHECK(kk::printable("Evtx\\Security.evtx") == "Evtx\\Security.evtx");
  CHECK(kk::printable("日本語.txt") == "日本語.txt");
  CHECK(kk::printable("a\x1b]0;owned\x07z") == "a\\x1b]0;owned\\x07z");
  CHECK(kk::printable("x\r\ntriage: all hashes match") == "x\\r\\ntriage: all hashes match");
  CHECK(kk::printable("\t\x7f") == "\\t\\x7f");
  CHECK(kk::printable("\xc2\x9b"
                      "2J") == "\\u009b2J");                        // C1 CSI
  CHECK(kk::printable("exe.\xe2\x80\xaetxt") == "exe.\\u202etxt");  // right-to-left override
  CHECK(kk::printable("\xc2\xa0") == "\xc2\xa0");                   // NBSP is no control
}

namespace {
// What FN writes to stderr.
template <typename Fn>
std::string capture_stderr(Fn fn) {
  std::string path = kk_test::temp_file();
  std::fflush(stderr);
  int keep = dup(2);
  REQUIRE(std::freopen(path.c_str(), "w", stderr));
  fn();
  std::fflush(stderr);
  dup2(keep, 2);
  close(keep);
  std::string text = kk_test::read_file(path);
  std::remove(path.c_str());
  return text;
}
}  // namespace

TEST_CASE("diagnostics: 1,500 files with the same damage give 5 lines and one summary") {
  std::string json_path = kk_test::temp_file();
  std::string text = capture_stderr([&] {
    kk::Diagnostics d("triage");
    REQUIRE(d.open_jsonl(json_path, nullptr));
    for (int i = 0; i < 1500; ++i)
      d.unreadable("Evtx/tiny" + std::to_string(i) + ".evtx",
                   "not an EVTX file (no \"ElfFile\" signature)");
    d.warning("Evtx/other.evtx", 4096, "chunk 1: bad magic");
    CHECK(d.errors() == 1500);
    d.finish();
  });
  INFO(text);
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  CHECK(lines == 7);
  CHECK(text.find("triage: 1495 more errors like this: not an EVTX file") != std::string::npos);
  CHECK(text.find("Evtx/other.evtx@0x1000: chunk 1: bad magic") != std::string::npos);
  std::size_t records = 0;
  for (char c : kk_test::read_file(json_path)) records += c == '\n';
  CHECK(records == 1501);  // the JSONL file has every one (CONTRACT.md)
  std::remove(json_path.c_str());
}

TEST_CASE("diagnostics: an entry name with ESC/BEL/CR/LF is one escaped stderr line") {
  std::string err_path = kk_test::temp_file();
  std::string json_path = kk_test::temp_file();
  {
    // stderr goes to a file for the duration of this block.
    std::fflush(stderr);
    int keep = dup(2);
    std::FILE* f = std::freopen(err_path.c_str(), "w", stderr);
    REQUIRE(f);
    kk::Diagnostics d("triage");
    REQUIRE(d.open_jsonl(json_path, nullptr));
    d.warning("evil\x1b]2;pwned\x07.evtx", std::nullopt,
              "bad\r\ntriage: all hashes match collector-log.txt; no damage found");
    d.finish();
    std::fflush(stderr);
    dup2(keep, 2);
    close(keep);
  }
  std::string text = kk_test::read_file(err_path);
  CHECK(text ==
        "triage: evil\\x1b]2;pwned\\x07.evtx: bad\\r\\ntriage: all hashes match collector-log.txt; "
        "no damage found\n");
  // The JSONL record keeps the exact text, JSON-escaped.
  std::string json = kk_test::read_file(json_path);
  CHECK(json.find("evil\\u001b]2;pwned\\u0007.evtx") != std::string::npos);
  CHECK(json.find('\x1b') == std::string::npos);
  std::remove(err_path.c_str());
  std::remove(json_path.c_str());
}
