// parse-srum as a command: exit status, diagnostics line, folders.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "../ese/ese_fixture.hpp"

namespace {
struct Out {
  int status;
  std::string out, err;
};
Out sh(const std::string& args) {
  const std::string err = kk_test::temp_file();
  const std::string out = kk_test::temp_file();
  const std::string cmd =
      std::string(KK_BIN_DIR) + "/parse-srum " + args + " >" + out + " 2>" + err;
  const int rc = std::system(cmd.c_str());
  Out o{WEXITSTATUS(rc), kk_test::read_file(out), kk_test::read_file(err)};
  std::remove(out.c_str());
  std::remove(err.c_str());
  return o;
}
std::size_t count_lines(const std::string& s) {
  return std::count(s.begin(), s.end(), '\n');
}
}  // namespace

TEST_CASE("parse-srum: a folder, a 0-byte file and a non-ESE file") {
  namespace fs = std::filesystem;
  const fs::path dir = kk_test::temp_dir();
  fs::create_directories(dir / "SRUM");
  auto db = kk_test::small_srum();
  {
    std::ofstream f(dir / "SRUM" / "SRUDB.dat", std::ios::binary);
    f.write(reinterpret_cast<const char*>(db.data()), static_cast<std::streamsize>(db.size()));
    std::ofstream(dir / "empty.dat");
    std::ofstream(dir / "History") << "SQLite format 3" << std::string(8192, '\0');
  }
  auto ok = sh((dir / "SRUM").string());
  CHECK(ok.status == 0);
  CHECK(count_lines(ok.out) == 220);
  CHECK(ok.err.empty());

  auto bad = sh((dir / "empty.dat").string() + " " + (dir / "History").string() + " " +
                (dir / "SRUM" / "SRUDB.dat").string());
  CHECK(bad.status == 1);
  CHECK(count_lines(bad.out) == 220);  // the good file is still read
  CHECK(bad.err.find("empty.dat@0x0: file of 0 bytes is too small for an ESE database header") !=
        std::string::npos);
  CHECK(bad.err.find("History@0x4: not an ESE database") != std::string::npos);
  CHECK(count_lines(bad.err) == 2);

  CHECK(sh("").status == 2);
  CHECK(sh("--version").status == 0);
  fs::remove_all(dir);
}
