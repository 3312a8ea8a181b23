// Small files the user names (rules, case files) are read whole, but never past a cap.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "../test_util.hpp"
#include "core/small_file.hpp"

TEST_CASE("small file: read whole up to the cap, larger and unreadable ones are errors") {
  std::string path = kk_test::temp_file();
  std::string text(100000, 'x');  // more than one read
  text += "\r\n\0end";
  std::ofstream(path, std::ios::binary) << text;
  auto all = kk::read_small_file(path, text.size());
  REQUIRE(all);
  CHECK(*all == text);
  auto over = kk::read_small_file(path, text.size() - 1);
  REQUIRE_FALSE(over);
  CHECK(over.error().offset == text.size() - 1);
  CHECK(over.error().message ==
        path + " is larger than " + std::to_string(text.size() - 1) + " bytes");
  std::remove(path.c_str());
  auto missing = kk::read_small_file(path, 100);
  REQUIRE_FALSE(missing);
  CHECK_FALSE(missing.error().offset);
  CHECK(missing.error().message.rfind("cannot read " + path + ": ", 0) == 0);
  // A device that never ends stops at the cap (ifstream + stringstream grew without bound).
  auto zero = kk::read_small_file("/dev/zero", 1 << 20);
  REQUIRE_FALSE(zero);
  CHECK(zero.error().offset == (1u << 20));
  auto empty = kk::read_small_file("/dev/null", 10);
  REQUIRE(empty);
  CHECK(empty->empty());
}
