// parse-prefetch as a program: exit status, record counts, CSV shape, --files and
// output order independent of --jobs.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "../test_util.hpp"

namespace {

struct Run {
  int status;
  std::string out, err;
};

Run run(const std::string& args) {
  const std::string out = kk_test::temp_file(), err = kk_test::temp_file();
  const std::string cmd =
      std::string(KK_BIN_DIR) + "/parse-prefetch " + args + " >" + out + " 2>" + err;
  const int rc = std::system(cmd.c_str());
  Run r{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, kk_test::read_file(out), kk_test::read_file(err)};
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

std::size_t lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

const std::string kData = std::string(KK_TEST_DATA) + "/prefetch";

}  // namespace

TEST_CASE("parse-prefetch: a folder of prefetch files, one unreadable") {
  if (!std::filesystem::exists(std::string(KK_BIN_DIR) + "/parse-prefetch")) {
    MESSAGE("parse-prefetch not built; skipped");
    return;
  }
  Run r = run("--quiet " + kData);
  CHECK(r.status == 1);  // notAPrefetch.pf could not be read as prefetch
  CHECK(lines(r.out) == 5);
  CHECK(r.err.find("Bad/notAPrefetch.pf: not a prefetch file: signature \"SCCA\" expected at "
                   "offset 4, found \"SDCA\"") != std::string::npos);
  CHECK(r.out.find("\"prefetch_hash\":\"D269B812\"") != std::string::npos);

  // Deterministic order whatever the number of threads.
  CHECK(run("--quiet --jobs 1 " + kData).out == run("--quiet --jobs 4 " + kData).out);

  Run ok = run("--quiet " + kData + "/Win10/CMD.EXE-D269B812.pf");
  CHECK(ok.status == 0);
  CHECK(ok.err.empty());
}

TEST_CASE("parse-prefetch: --format csv and --files") {
  if (!std::filesystem::exists(std::string(KK_BIN_DIR) + "/parse-prefetch")) return;
  const std::string win10 = kData + "/Win10/CMD.EXE-D269B812.pf";
  Run csv = run("--format csv " + win10);
  REQUIRE(csv.status == 0);
  CHECK(lines(csv.out) == 2);
  CHECK(csv.out.rfind("source,format,version,executable,executable_path,prefetch_hash,run_count,",
                      0) == 0);
  CHECK(csv.out.find(",MAM,30,CMD.EXE,\\VOLUME{01d1217a9c4c6779-8c9f49ec}\\WINDOWS\\SYSTEM32\\CMD."
                     "EXE,D269B812,55,"
                     "2016-01-12T20:07:03.981069Z,") != std::string::npos);

  Run files = run("--files " + win10);
  REQUIRE(files.status == 0);
  CHECK(lines(files.out) == 62);  // sccainfo: "Number of filenames: 62"
  CHECK(files.out.rfind("{\"artifact\":\"prefetch_file\",", 0) == 0);

  Run files_csv = run("--files --format csv " + win10);
  CHECK(lines(files_csv.out) == 63);

  const std::string empty = kk_test::temp_dir();
  Run none = run(empty);
  CHECK(none.status == 0);
  CHECK(none.err.find("folder holds no .pf files") != std::string::npos);
  CHECK(run("--strict " + empty).status == 1);
  std::filesystem::remove(empty);

  CHECK(run("--format xml " + win10).status == 2);
  CHECK(run("--help").status == 0);
}
