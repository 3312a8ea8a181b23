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

// The project documents its own interface (docs/interface.md); a user of the repository has
// no ../shared folder, so the README and the docs never send them there.
TEST_CASE("README and docs point only inside the repository") {
  namespace fs = std::filesystem;
  const fs::path src = KK_SOURCE_DIR;
  REQUIRE(fs::exists(src / "docs" / "interface.md"));
  std::vector<fs::path> docs = {src / "README.md", src / "docs" / "DEVELOPING.md",
                                src / "docs" / "records.md", src / "docs" / "interface.md"};
  for (const auto& p : docs) {
    CAPTURE(p.string());
    std::istringstream in(kk_test::read_file(p.string()));
    for (std::string line; std::getline(in, line);) {
      if (line.find("KK_CORPUS_DIR") != std::string::npos) continue;  // the test corpus option
      CHECK_MESSAGE(line.find("../shared") == std::string::npos, line);
      CHECK_MESSAGE(line.find("CONTRACT.md") == std::string::npos, line);
    }
  }
  std::string interface = kk_test::read_file((src / "docs" / "interface.md").string());
  for (const char* tool : {"unpack-cdir", "parse-evtx", "build-timeline", "filter-window",
                           "render-notice", "triage", "record_time", "JST"})
    CHECK_MESSAGE(interface.find(tool) != std::string::npos, tool);
}

// scripts/demo.sh builds what the demo runs (triage), not every target with the tests
// (232 targets, 12.5 min on 2 cores on a fresh machine).
TEST_CASE("scripts/demo.sh builds only the triage target") {
  std::istringstream in(kk_test::read_file(std::string(KK_SOURCE_DIR) + "/scripts/demo.sh"));
  int builds = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find("cmake --build") == std::string::npos || line.rfind("#", 0) == 0) continue;
    ++builds;
    CHECK_MESSAGE(line.find("--target triage") != std::string::npos, line);
  }
  CHECK(builds == 1);
}

// The demo's summary line on the bundled sample read "triage: completed_with_damage — 56
// findings": a new user took it for a failure. It says the run is complete and what was
// damaged (run.json keeps the status word).
TEST_CASE("triage on the sample: the summary says the run is complete and names the damage") {
  namespace fs = std::filesystem;
  if (!fs::exists(kBin + "triage")) {
    MESSAGE("skipped: triage not built");
    return;
  }
  const std::string samples = std::string(KK_SOURCE_DIR) + "/samples/";
  const fs::path base = kk_test::temp_dir();
  Ran r = run(kBin + "triage --quiet '" + samples + "MSEDGEWIN10_20190925100000.zip' " +
              "--password-file '" + samples + "password.txt' --case '" + samples +
              "CASE.json' -o '" + (base / "case").string() + "'");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("triage: run complete — ", 0) == 0);
  CHECK(r.out.find("completed_with_damage") == std::string::npos);
  CHECK(r.out.find("damaged input read as far as possible") != std::string::npos);
  CHECK(r.out.find("NTFS/C_$UsnJrnl-$J") != std::string::npos);  // its last record is cut
  CHECK(kk_test::read_file((base / "case" / "run.json").string()).find("completed_with_damage") !=
        std::string::npos);
  fs::remove_all(base);
}

// The README says which tools take --jobs: every tool either has it or says in --help why it
// works on one thread (issue #20); parse-wmi reads its repositories in parallel.
TEST_CASE("--jobs: every tool has it or its --help says why not") {
  const std::vector<std::string> tools = {
      "unpack-cdir",   "parse-evtx",     "parse-prefetch", "parse-mft",
      "parse-usnjrnl", "parse-registry", "parse-browser",  "parse-srum",
      "parse-wmi",     "parse-netlog",   "build-timeline", "filter-window",
      "detect",        "render-notice",  "anonymize",      "triage"};
  for (const auto& tool : tools) {
    if (!std::filesystem::exists(kBin + tool)) continue;
    CAPTURE(tool);
    Ran r = run(kBin + tool + " --help");
    CHECK(r.status == 0);
    const bool jobs = r.out.find("--jobs UINT") != std::string::npos;
    const bool why = r.out.find("No --jobs: ") != std::string::npos;
    CHECK(jobs != why);
  }
  if (!std::filesystem::exists(kBin + "parse-wmi")) return;
  const std::string wmi = std::string(KK_CORPUS) + "/wmi";
  if (!std::filesystem::exists(wmi)) return;
  // The same records, in the same order, on one thread and on two (two real repositories,
  // stored gzipped in the corpus).
  const std::string dir = kk_test::temp_dir();
  std::string list;
  int n = 0;
  for (const char* repo : {"dfir-artifact-museum/Win10/APTSimulatorVM_Defender", "dissect-cim"}) {
    const std::string to = dir + "/" + std::to_string(++n);
    std::string cmd = "mkdir -p '" + to + "'";
    for (const char* f : {"OBJECTS.DATA", "MAPPING1.MAP", "MAPPING2.MAP", "MAPPING3.MAP"})
      cmd += " && gunzip -c '" + wmi + "/" + repo + "/" + f + ".gz' > '" + to + "/" + f + "'";
    REQUIRE(std::system(cmd.c_str()) == 0);
    list += " '" + to + "'";
  }
  Ran one = run(kBin + "parse-wmi --quiet --jobs 1" + list);
  Ran two = run(kBin + "parse-wmi --quiet --jobs 2" + list);
  std::filesystem::remove_all(dir);
  CHECK(one.out == two.out);
  CHECK(one.out.find("\"artifact\":\"wmi_") != std::string::npos);
}
