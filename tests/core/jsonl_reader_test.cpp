#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "core/jsonl_reader.hpp"
#include "../test_util.hpp"

TEST_CASE("JSONL reader streams lines of any size, skips blanks, reports bad lines") {
  std::string path = kk_test::temp_file();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::string big(3 << 20, 'x');  // a 3 MiB string spans several read blocks
    std::fprintf(f, "{\"a\":1}\r\n\n  \n{\"big\":\"%s\"}\nnot json\n{\"z\":\"last\"}", big.c_str());
    std::fclose(f);
  }
  kk::JsonlReader r;
  std::string err;
  REQUIRE(r.open(path, &err));
  simdjson::dom::element doc;
  REQUIRE(r.next(&doc, &err));
  CHECK(err.empty());
  CHECK(kk::json_int(doc, "a") == 1);
  REQUIRE(r.next(&doc, &err));
  CHECK(kk::json_str(doc, "big").size() == (3u << 20));
  CHECK(r.line_number() == 4);
  REQUIRE(r.next(&doc, &err));
  CHECK_FALSE(err.empty());
  REQUIRE(r.next(&doc, &err));
  CHECK(err.empty());
  CHECK(kk::json_str(doc, "z") == "last");
  CHECK_FALSE(r.next(&doc, &err));
  std::remove(path.c_str());
  CHECK_FALSE(r.open("/nonexistent/x.jsonl", &err));
}
