// The stages after parsing (build-timeline, filter-window, detect) given what is not a
// parser's records: an .evtx, random bytes, an empty file (a redirect emptied by a failed
// step). Issue #20: each printed hundreds of "invalid JSON, skipped" lines, or nothing, and
// exited 0 with an empty result; now one line naming the file and what to do, exit 1.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../test_util.hpp"

namespace {

struct Ran {
  int status = -1;
  std::vector<std::string> err;  // stderr lines
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

}  // namespace

TEST_CASE("stage tools: an .evtx, random bytes or an empty file: one line, exit 1") {
  const std::string bin = std::string(KK_BIN_DIR) + "/";
  const std::vector<std::string> tools = {"build-timeline", "detect",
                                          "filter-window --anchor '2019-07-19 05:40 +09:00'"};
  for (const auto& tool : tools) {
    if (!std::ifstream(bin + tool.substr(0, tool.find(' ')))) {
      MESSAGE("skipped: " << tool << " not built");
      return;
    }
  }
  const std::string evtx = std::string(KK_TEST_DATA) + "/evtx/Security_short_selected.evtx";
  std::string random = kk_test::temp_file() + ".bin", empty = kk_test::temp_file();
  {
    std::mt19937 gen(20);
    std::ofstream f(random, std::ios::binary);
    for (int i = 0; i < 100000; ++i) f.put(static_cast<char>(gen() & 0xff));
  }
  for (const auto& tool : tools) {
    const std::string name = tool.substr(0, tool.find(' '));
    for (const std::string quiet : {"", " --quiet"}) {
      CAPTURE(tool + quiet);
      Ran r = run(bin + tool + quiet + " '" + evtx + "'");
      CHECK(r.status == 1);
      REQUIRE(r.err.size() == 1);
      CHECK(r.err[0] == name + ": " + evtx + ": not JSON Lines — run parse-evtx on it first");
      CHECK(r.out.empty());

      r = run(bin + tool + quiet + " '" + random + "'");
      CHECK(r.status == 1);
      REQUIRE(r.err.size() == 1);
      CHECK(r.err[0].find(random + ": not JSON Lines — run the parser for its kind") !=
            std::string::npos);

      r = run(bin + tool + quiet + " '" + empty + "'");
      CHECK(r.status == 1);
      REQUIRE(r.err.size() == 1);
      CHECK(r.err[0] == name + ": " + empty +
                            ": no records in it (empty): the step that writes it failed or did "
                            "not run");
      // Empty standard input (a pipe whose upstream found nothing): said, not an error.
      r = run(bin + tool + " < /dev/null");
      CHECK(r.status == 0);
      CHECK(r.err.size() >= 1);
      CHECK(r.err[0] == name + ": standard input: no records in it (empty)");
    }
  }
  std::remove(random.c_str());
  std::remove(empty.c_str());
}
