// The shared CSV cell writer: RFC 4180 quoting, and formula-looking cells kept as text.
#include <doctest/doctest.h>

#include "core/csv.hpp"

namespace {
std::string cell(std::string_view v) {
  std::string s;
  kk::append_csv_field(s, v);
  return s;
}
}  // namespace

TEST_CASE("append_csv_field: plain, quoted, and every formula lead neutralised") {
  CHECK(cell("Security.evtx") == "Security.evtx");
  CHECK(cell("") == "");
  CHECK(cell("a,b") == "\"a,b\"");
  CHECK(cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(cell("two\r\nlines") == "\"two\r\nlines\"");
  for (std::string lead : {"=", "+", "-", "@", "\t", "\r"}) {
    std::string v = lead + "cmd|' /C calc'!A0";
    INFO(v);
    CHECK(cell(v) == "\"'" + v + "\"");
  }
  CHECK(cell("=\"x\"") == "\"'=\"\"x\"\"\"");
  CHECK(cell("a=1") == "a=1");  // only a leading sign makes a formula
}
