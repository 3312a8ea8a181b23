// The README's "A pipeline by hand", run as a new user would (issue #20): run twice, the
// second run leaves the same results; a rerun whose first step fails (no password) leaves
// every earlier result as it was. The commands are read from README.md itself.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "../test_util.hpp"

namespace {

namespace fs = std::filesystem;

// The indented block under "## A pipeline by hand", as shell text.
std::string readme_pipeline() {
  std::istringstream in(kk_test::read_file(std::string(KK_SOURCE_DIR) + "/README.md"));
  std::string script, line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) inside = line == "## A pipeline by hand";
    if (!inside) continue;
    if (line.rfind("    ", 0) == 0)
      script += line.substr(4) + "\n";
    else if (!script.empty() && !line.empty())
      break;  // the block ended
  }
  return script;
}

std::map<std::string, std::string> results(const fs::path& dir) {
  std::map<std::string, std::string> m;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) m[fs::relative(e.path(), dir).string()] = kk_test::read_file(e.path());
  return m;
}

}  // namespace

TEST_CASE("README pipeline: a rerun leaves the results; a failed rerun leaves them too") {
  const std::string bin = KK_BIN_DIR;
  for (const char* tool :
       {"unpack-cdir", "parse-evtx", "build-timeline", "filter-window", "detect"})
    if (!fs::exists(bin + "/" + tool)) {
      MESSAGE("skipped: " << tool << " not built");
      return;
    }
  if (std::system("command -v jq > /dev/null") != 0) {
    MESSAGE("skipped: jq not installed");
    return;
  }
  const std::string script = readme_pipeline();
  REQUIRE(script.find("unpack-cdir") != std::string::npos);
  const fs::path work = kk_test::temp_dir();
  fs::create_directories(work / "build" / "release");
  fs::create_directory_symlink(bin, work / "build" / "release" / "bin");
  fs::create_directory_symlink(std::string(KK_SOURCE_DIR) + "/samples", work / "samples");
  std::ofstream(work / "pipeline.sh") << "set -e -o pipefail\n" << script;
  const std::string run = "cd '" + work.string() + "' && bash pipeline.sh > /dev/null 2> err.txt";
  REQUIRE(WEXITSTATUS(std::system(run.c_str())) == 0);
  const auto first = results(work / "case");
  CHECK(first.size() > 20);  // manifest, evtx, timeline, window, findings + 18 evidence files
  CHECK(first.at("window.jsonl").size() > 1000);
  CHECK(first.at("findings.jsonl").size() > 1000);

  CHECK(WEXITSTATUS(std::system(run.c_str())) == 0);
  CHECK(results(work / "case") == first);

  // The same commands with a wrong or missing password: unpack-cdir fails first, nothing
  // after it may empty the results of the first run.
  std::ofstream(work / "wrong.txt") << "not the password\n";
  for (const char* pw : {"wrong.txt", "samples/no-such-pw.txt"}) {
    CAPTURE(pw);
    std::string broken = script;
    broken.replace(broken.find("samples/password.txt"), 20, pw);
    std::ofstream(work / "pipeline.sh") << broken;  // without set -e: every command runs
    std::system(("cd '" + work.string() + "' && bash pipeline.sh > /dev/null 2> err.txt").c_str());
    CHECK(results(work / "case") == first);
  }
  fs::remove_all(work);
}
