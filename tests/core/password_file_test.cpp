// One --password-file reader for triage and unpack-cdir (issue #22).
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "../test_util.hpp"
#include "core/password_file.hpp"

namespace {
kk::Result<std::string> read_with(const std::string& content) {
  std::string path = kk_test::temp_file();
  std::ofstream(path, std::ios::binary) << content;
  auto r = kk::read_password_file(path);
  std::remove(path.c_str());
  return r;
}
}  // namespace

TEST_CASE("password file: first line, CRLF and BOM stripped, no length cut, empty is an error") {
  CHECK(*read_with("infected\n") == "infected");
  CHECK(*read_with("infected") == "infected");
  CHECK(*read_with("infected\r\n") == "infected");  // a Windows file: no '\r' in the password
  CHECK(*read_with("\xEF\xBB\xBFinfected\r\nsecond line\r\n") == "infected");
  CHECK(*read_with(" pass word ") == " pass word ");  // spaces are part of a password
  std::string longpw(3000, 'k');
  CHECK(*read_with(longpw + "\n") == longpw);  // was cut at 1,024 bytes
  for (std::string empty : {"", "\n", "\r\n", "\xEF\xBB\xBF"}) {
    auto r = read_with(empty);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("is empty") != std::string::npos);
  }
  CHECK_FALSE(read_with(std::string("a\0b", 3)));
  CHECK_FALSE(read_with(std::string(70000, 'x')));
  auto missing = kk::read_password_file("/nonexistent/password.txt");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("/nonexistent/password.txt") != std::string::npos);
}
