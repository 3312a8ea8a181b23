#include <doctest/doctest.h>

#include <simdjson.h>

#include "core/json_writer.hpp"

TEST_CASE("JSON writer nests and separates") {
  std::string s;
  kk::JsonWriter w(s);
  w.begin_object()
      .field("a", 1)
      .key("b")
      .begin_array()
      .integer(-2)
      .boolean(true)
      .null()
      .end_array();
  w.key("c")
      .begin_object()
      .end_object()
      .field("d", std::uint64_t{18446744073709551615ULL})
      .end_object();
  CHECK(s == R"({"a":1,"b":[-2,true,null],"c":{},"d":18446744073709551615})");
}

TEST_CASE("JSON strings escape control characters and repair invalid UTF-8") {
  std::string s;
  kk::append_json_string(s, std::string("q\"\\\n\t\x01\x7f", 7));
  CHECK(s == "\"q\\\"\\\\\\n\\t\\u0001\x7f\"");
  s.clear();
  kk::append_json_string(s, "ok\xff\xfe日本");
  CHECK(s == "\"ok\xEF\xBF\xBD\xEF\xBF\xBD日本\"");
  simdjson::dom::parser p;
  CHECK(p.parse(s).error() == simdjson::SUCCESS);
}

TEST_CASE("numbers and times") {
  std::string s;
  kk::JsonWriter w(s);
  w.begin_array().number(0.5).number(1.0 / 0.0).time(0).end_array();
  CHECK(s == R"([0.5,null,"1970-01-01T00:00:00.000000Z"])");
}
