// The built tools end to end: exit status, CSV, filters, unreadable input.
#include <doctest/doctest.h>

#include <cstdlib>

#include "ntfs_test_util.hpp"

namespace {
int sh(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}
}  // namespace

TEST_CASE("parse-mft and parse-usnjrnl command lines") {
  const std::string bin = KK_BIN_DIR;
  const std::string tmp = kk_test::temp_dir();
  const std::string mft = tmp + "/mft";
  {
    auto b = ntfs_test::gunzip(ntfs_test::data("volume.mft.gz"));
    std::FILE* f = std::fopen(mft.c_str(), "wb");
    REQUIRE(f);
    std::fwrite(b.data(), 1, b.size(), f);
    std::fclose(f);
  }
  CHECK(sh(bin + "/parse-mft --quiet --path-regex 'invoice\\.exe$' -o " + tmp + "/a.jsonl " +
           mft) == 0);
  const auto a = ntfs_test::lines(kk_test::read_file(tmp + "/a.jsonl"));
  REQUIRE(a.size() == 1);
  CHECK(a[0].find(R"("path":"\\Users\\alice\\Downloads\\invoice.exe")") != std::string::npos);
  CHECK(sh(bin + "/parse-mft --quiet --format csv --jobs 2 -o " + tmp + "/a.csv " + mft) == 0);
  const std::string csv = kk_test::read_file(tmp + "/a.csv");
  CHECK(csv.rfind("\xEF\xBB\xBF"
                  "entry,sequence,in_use,is_dir,path,",
                  0) == 0);
  CHECK(csv.find("74,1,true,false,\\Users\\alice\\Downloads\\invoice.exe,5000,") !=
        std::string::npos);
  CHECK(sh(bin + "/parse-mft --quiet " + tmp + "/missing 2>/dev/null >/dev/null") == 1);
  CHECK(sh(bin + "/parse-mft --since yesterday-ish " + mft + " 2>/dev/null >/dev/null") == 2);
  CHECK(sh(bin + "/parse-usnjrnl --quiet --mft " + mft + " -o " + tmp + "/u.jsonl " +
           ntfs_test::data("plaso-UsnJrnl.raw")) == 0);
  CHECK(ntfs_test::lines(kk_test::read_file(tmp + "/u.jsonl")).size() == 19);
  // The truncated last record is damage: reported, exit 0, but 1 with --strict.
  CHECK(sh(bin + "/parse-usnjrnl --quiet " + ntfs_test::data("velociraptor-UsnJrnl-J.bin") +
           " 2>/dev/null >/dev/null") == 0);
  CHECK(sh(bin + "/parse-usnjrnl --quiet --strict " +
           ntfs_test::data("velociraptor-UsnJrnl-J.bin") + " 2>/dev/null >/dev/null") == 1);
}

// Issue #20: parse-mft on random bytes printed one warning per 1 KiB slot (also with --quiet)
// and exited 0; parse-usnjrnl on an empty file printed nothing and exited 0.
TEST_CASE("parse-mft / parse-usnjrnl: nothing of the format in the input: one line, exit 1") {
  const std::string bin = KK_BIN_DIR;
  const std::string tmp = kk_test::temp_dir();
  const std::string rnd = tmp + "/random.bin", empty = tmp + "/empty", err = tmp + "/err";
  {
    std::FILE* f = std::fopen(rnd.c_str(), "wb");
    REQUIRE(f);
    std::uint32_t x = 20;
    for (int i = 0; i < 66 * 1024 + 100; ++i) {
      x = x * 1664525u + 1013904223u;  // a fixed pseudo-random sequence
      std::fputc(static_cast<int>(x >> 24), f);
    }
    std::fclose(f);
    std::fclose(std::fopen(empty.c_str(), "wb"));
  }
  auto one_line = [&](const std::string& args, const std::string& expected) {
    CAPTURE(args);
    CHECK(sh(bin + "/" + args + " > /dev/null 2> " + err) == 1);
    const auto lines = ntfs_test::lines(kk_test::read_file(err));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find(expected) != std::string::npos);
  };
  one_line("parse-mft " + rnd, "random.bin: not an $MFT: no FILE record signature in 67684 bytes");
  one_line("parse-mft --quiet " + rnd, "not an $MFT");
  one_line("parse-mft " + empty, "empty: empty file: no FILE records");
  one_line("parse-usnjrnl " + empty, "empty: empty file: no USN records");
  one_line("parse-usnjrnl --quiet " + rnd, "not a $UsnJrnl:$J: no USN record in 67684 bytes");
}
