#include <doctest/doctest.h>

#include <simdjson.h>

#include <cstdio>

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

TEST_CASE("append_json_string: the 8-bytes-at-a-time scan finds every byte to escape") {
  // Each byte value at each position of an ASCII string longer than two words, against
  // a byte-by-byte reference (a lone byte >= 0x80 is invalid UTF-8: U+FFFD).
  auto reference = [](const std::string& s) {
    std::string r = "\"";
    for (unsigned char c : s) {
      if (c == '"')
        r += "\\\"";
      else if (c == '\\')
        r += "\\\\";
      else if (c == '\n')
        r += "\\n";
      else if (c == '\r')
        r += "\\r";
      else if (c == '\t')
        r += "\\t";
      else if (c == '\b')
        r += "\\b";
      else if (c == '\f')
        r += "\\f";
      else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        r += buf;
      } else if (c >= 0x80)
        r += "\xEF\xBF\xBD";
      else
        r.push_back(static_cast<char>(c));
    }
    return r + "\"";
  };
  for (int c = 0; c < 256; ++c)
    for (std::size_t pos = 0; pos < 19; ++pos) {
      std::string s(19, 'a');
      s[pos] = static_cast<char>(c);
      std::string out;
      kk::append_json_string(out, s);
      REQUIRE_MESSAGE(out == reference(s), "byte " << c << " at " << pos);
    }
}
