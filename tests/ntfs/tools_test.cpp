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
