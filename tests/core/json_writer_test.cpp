#include <doctest/doctest.h>

#include <simdjson.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "core/json_writer.hpp"
#include "core/utf.hpp"

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

namespace {
// The escaping rules spelled out byte by byte: what the fast path must equal.
std::string reference_json_string(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = kk::valid_utf8_prefix(s.substr(i));
      out.append(n ? s.substr(i, n) : std::string_view("\xEF\xBF\xBD"));
      i += n ? n : 1;
      continue;
    }
    static constexpr std::string_view kShort[] = {"\\\"", "\\\\", "\\n", "\\r",
                                                  "\\t",  "\\b",  "\\f"};
    const std::string_view which = "\"\\\n\r\t\b\f";
    const std::size_t k = which.find(static_cast<char>(c));
    if (c != 0 && k != std::string_view::npos) {
      out.append(kShort[k]);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out.append(buf);
    } else {
      out.push_back(static_cast<char>(c));
    }
    ++i;
  }
  return out + "\"";
}
}  // namespace

TEST_CASE("JSON string escaping equals the byte-by-byte rules on every length and position") {
  // Pieces that end or start at every offset of the 16-byte scan and the 1,024-byte
  // chunks: plain text, escapes, controls, UTF-8 of 2–4 bytes, broken UTF-8.
  const std::string_view pieces[] = {
      "a", "plain text ", "\"", "\\",   "\n",       "\x01", "\x1f",         "\x7f",
      "é", "日本",        "😀",  "\xff", "\xe6\x97", "\xc3", "\xed\xa0\x80", "0123456789abcdef"};
  std::uint64_t seed = 12345;
  auto next = [&] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(seed >> 33);
  };
  int checked = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    const std::size_t target = round < 2000 ? next() % 40 : next() % 3000;
    while (s.size() < target) s += pieces[next() % std::size(pieces)];
    if (round % 3 == 0) s.resize(target);  // cut inside a sequence too
    std::string got = "prefix";
    kk::append_json_string(got, s);
    REQUIRE(got == "prefix" + reference_json_string(s));
    // The JSON-text escaper: its fast path (valid UTF-8, no control) or the general one.
    std::string text = "prefix";
    kk::append_json_text_string(text, s);
    REQUIRE(text == got);
    // Into memory sized by json_string_bound (the netlog records' writer).
    std::vector<char> mem(kk::json_string_bound(s.size()));
    char* end = kk::write_json_string(mem.data(), s);
    REQUIRE(static_cast<std::size_t>(end - mem.data()) <= mem.size());
    REQUIRE(std::string(mem.data(), end) == reference_json_string(s));
    // The JSON-text escaper into memory sized by json_text_string_bound (timeline events).
    std::vector<char> room(kk::json_text_string_bound(s.size()));
    end = kk::write_json_text_string(room.data(), s);
    REQUIRE(static_cast<std::size_t>(end - room.data()) <= room.size());
    REQUIRE(std::string(room.data(), end) == reference_json_string(s));
    ++checked;
  }
  CHECK(checked == 3000);
  // Through the writer: separators and keys share the same path.
  std::string out;
  kk::JsonWriter w(out);
  w.begin_object().field("k\"1", "v\x01").field("k2", std::string(2000, 'x') + "\"").end_object();
  CHECK(out == "{\"k\\\"1\":\"v\\u0001\",\"k2\":\"" + std::string(2000, 'x') + "\\\"\"}");
}

TEST_CASE("JSON text kept as a string: a details object escaped once more, byte for byte") {
  // Objects as the timeline writes them (quotes, escaped quotes and backslashes, \u escapes,
  // UTF-8), at every length around the 16-byte vectors.
  std::string object = "{";
  kk::JsonWriter w(object);
  int checked = 0;
  for (int i = 0; i < 200; ++i) {
    object.pop_back();
    w.field("k" + std::to_string(i), i % 3 ? std::string("C:\\Users\\a \"b\"") : "日本\x01");
    object += '}';
    std::string fast, general;
    kk::append_json_text_string(fast, object);
    kk::append_json_string(general, object);
    REQUIRE(fast == general);
    REQUIRE(fast.size() > object.size());
    ++checked;
  }
  CHECK(checked == 200);
  std::string out;
  kk::append_json_text_string(out, R"({"a":"x\"y"})");
  CHECK(out == R"("{\"a\":\"x\\\"y\"}")");
}

TEST_CASE("JsonEscapeMap writes every slice of its text as write_json_string does") {
  // Texts of every length around the 16-byte vectors and 64-bit map words, slices at every
  // offset and length (the short path up to 48 bytes, the map-jumping path beyond, slices
  // ending at the text's end where no padding of the text itself may be read), in memory of
  // exactly json_string_bound (ASan sees an overrun); strings that are not slices too.
  const std::string_view pieces[] = {
      "a",  "plain text ", "\"",   "\\", "\n",   "\x01",     "\x7f",
      "\t", "é",           "日本", "😀",  "\xff", "\xe6\x97", "0123456789abcdef"};
  std::uint64_t seed = 777;
  auto next = [&] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(seed >> 33);
  };
  kk::JsonEscapeMap map;
  std::string first_wrong;
  auto check = [&](std::string_view s) {
    std::vector<char> mem(kk::json_string_bound(s.size()));
    char* end = map.write(mem.data(), s);
    if ((static_cast<std::size_t>(end - mem.data()) > mem.size() ||
         std::string_view(mem.data(), static_cast<std::size_t>(end - mem.data())) !=
             reference_json_string(s)) &&
        first_wrong.empty())
      first_wrong = std::string(s);
  };
  int slices = 0;
  for (int round = 0; round < 200; ++round) {
    // The text in memory of its exact size (a read past it is an ASan error).
    std::string built;
    const std::size_t target = round < 150 ? next() % 150 : next() % 1500;
    while (built.size() < target) built += pieces[next() % std::size(pieces)];
    if (round % 2 == 0) built.resize(target);
    auto text = std::make_unique<char[]>(built.size() + 1);
    std::memcpy(text.get(), built.data(), built.size());
    const std::string_view t(text.get(), built.size());
    map.build(t);
    std::size_t high = 0, controls = 0;
    for (unsigned char c : t) {
      high |= c >= 0x80;
      controls += (c < 0x20 && c != '\t') || c == 0x7f;
    }
    CHECK(map.any_high() == (high != 0));
    CHECK(map.controls() == controls);
    for (std::size_t from = 0; from <= t.size(); from += 1 + next() % (round < 150 ? 5 : 60))
      for (std::size_t len = 0; from + len <= t.size(); len += 1 + next() % (len < 64 ? 3 : 80)) {
        check(t.substr(from, len));
        ++slices;
      }
    check(built);  // equal bytes elsewhere: the plain writer
    check("not a slice \"");
  }
  CHECK_MESSAGE(first_wrong.empty(), "first slice written wrong: " << first_wrong);
  CHECK(slices > 10000);
}
