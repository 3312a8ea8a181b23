// What a new user sees from the triage and unpack-cdir commands when something is wrong
// (issue #20): each error once, the same exit status from both for the same input, and a
// --help that says what -o is.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../test_util.hpp"

namespace {

struct Ran {
  int status = -1;
  std::vector<std::string> err;
  std::string out;
};

Ran run(const std::string& cmd) {
  std::string err = kk_test::temp_file(), out = kk_test::temp_file();
  Ran r;
  r.status = WEXITSTATUS(std::system((cmd + " > '" + out + "' 2> '" + err + "'").c_str()));
  std::istringstream in(kk_test::read_file(err));
  for (std::string l; std::getline(in, l);) r.err.push_back(l);
  r.out = kk_test::read_file(out);
  std::remove(err.c_str());
  std::remove(out.c_str());
  return r;
}

const std::string kBin = std::string(KK_BIN_DIR) + "/";

}  // namespace

TEST_CASE("triage and unpack-cdir: each error printed once, the same exit status") {
  namespace fs = std::filesystem;
  if (!fs::exists(kBin + "triage") || !fs::exists(kBin + "unpack-cdir")) {
    MESSAGE("skipped: triage or unpack-cdir not built");
    return;
  }
  const fs::path base = kk_test::temp_dir();
  fs::create_directories(base / "notabundle");
  std::ofstream(base / "notabundle" / "notes.txt") << "not evidence\n";
  const std::string sample = std::string(KK_SOURCE_DIR) + "/samples/MSEDGEWIN10_20190925100000.zip";
  struct Input {
    std::string path, expected;
  };
  const std::vector<Input> inputs = {
      {(base / "notabundle").string(), "no CDIR-C bundle found"},
      {(base / "missing").string(), "cannot open"},
      {sample, "give the password with --password-file"},  // encrypted, no password
  };
  int n = 0;
  for (const auto& in : inputs) {
    CAPTURE(in.path);
    Ran t = run(kBin + "triage '" + in.path + "' --detected-at '2019-07-19 05:40 JST' -o '" +
                (base / ("case" + std::to_string(++n))).string() + "'");
    CHECK(t.status == 1);
    REQUIRE(t.err.size() == 1);
    CHECK(t.err[0].find(in.expected) != std::string::npos);
    Ran u = run(kBin + "unpack-cdir '" + in.path + "' -o '" +
                (base / ("ev" + std::to_string(n))).string() + "' --min-free 0");
    CHECK(u.status == 1);
    REQUIRE(u.err.size() == 1);
    CHECK(u.err[0].find(in.expected) != std::string::npos);
  }
  fs::remove_all(base);
}

TEST_CASE("triage --help: -o is the case folder") {
  if (!std::filesystem::exists(kBin + "triage")) {
    MESSAGE("skipped: triage not built");
    return;
  }
  Ran h = run(kBin + "triage --help");
  CHECK(h.status == 0);
  CHECK(h.out.find("instead of standard output") == std::string::npos);
  CHECK(h.out.find("CASEDIR: the case folder to create") != std::string::npos);
  CHECK(h.out.find("2019-07-19 05:40 JST") != std::string::npos);
  CHECK(h.out.find("a date alone means 00:00") != std::string::npos);
}
