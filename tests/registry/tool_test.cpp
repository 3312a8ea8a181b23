// The parse-registry binary: exit status, --raw/--key-regex, diagnostics format.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "../test_util.hpp"

namespace {

int run(const std::string& args, std::string* out = nullptr, std::string* err = nullptr) {
  std::string o = kk_test::temp_file(), e = kk_test::temp_file();
  int rc = std::system(
      (std::string(KK_BIN_DIR) + "/parse-registry " + args + " >" + o + " 2>" + e).c_str());
  if (out) *out = kk_test::read_file(o);
  if (err) *err = kk_test::read_file(e);
  std::filesystem::remove(o);
  std::filesystem::remove(e);
  return WEXITSTATUS(rc);
}

std::string data(const char* f) {
  return std::string(KK_TEST_DATA) + "/registry/" + f;
}

}  // namespace

TEST_CASE("parse-registry: exit status and raw output") {
  if (!std::filesystem::exists(std::string(KK_BIN_DIR) + "/parse-registry")) {
    MESSAGE("parse-registry not built, skipped");
    return;
  }
  std::string out, err;
  CHECK(run("--raw --key-regex '^99$' " + data("100_sub_keys.hiv"), &out) == 0);
  CHECK(out.find("\"key\":\"99\"") != std::string::npos);
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);
  // Damaged but readable: 0, or 1 with --strict; the diagnostic names file and offset.
  CHECK(run("--raw " + data("corrupt_sub_key_list.hiv"), &out, &err) == 0);
  CHECK(err.find("corrupt_sub_key_list.hiv@0x5480: key node") != std::string::npos);
  CHECK(run("--strict --raw " + data("corrupt_sub_key_list.hiv")) == 1);
  // Not a hive: 1, the other input still processed.
  CHECK(run("--raw " + data("Win80.bin") + " " + data("100_sub_keys.hiv"), &out) == 1);
  CHECK(std::count(out.begin(), out.end(), '\n') == 101);
  CHECK(run("--logs sometimes " + data("100_sub_keys.hiv")) == 2);
  CHECK(run("--raw --key-regex '(' " + data("100_sub_keys.hiv")) == 2);
}

TEST_CASE("parse-registry --raw agrees with regfexport on every key and value (live check)") {
  std::string corpus = std::string(KK_CORPUS) + "/registry/";
  if (!std::filesystem::exists(corpus) ||
      std::system("command -v regfexport >/dev/null 2>&1") != 0 ||
      std::system("command -v python3 >/dev/null 2>&1") != 0 ||
      !std::filesystem::exists(std::string(KK_BIN_DIR) + "/parse-registry")) {
    MESSAGE("corpus, regfexport, python3 or parse-registry missing, skipped");
    return;
  }
  // Exit 0: no key regfexport lists is missing and no value differs (apart from the 1-3 byte
  // inline values regfexport 20201007 misprints, counted separately by the script).
  std::string cmd = "python3 " + std::string(KK_SOURCE_DIR) +
                    "/tests/registry/compare_regfexport.py " + std::string(KK_BIN_DIR) +
                    "/parse-registry " + corpus + "plaso/NTUSER-WIN7.DAT " + corpus +
                    "plaso/winreg/win10-Amcache.hve " + corpus + "ez-registry/SECURITY " + corpus +
                    "ez-registry/BCD " + corpus + "plaso/regf/SAM >/dev/null 2>&1";
  CHECK(WEXITSTATUS(std::system(cmd.c_str())) == 0);
}
