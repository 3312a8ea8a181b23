// Value renderings as Windows shows them (EVTX format documentation, "Value types").
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "evtx/binxml.hpp"
#include "evtx/csv.hpp"
#include "evtx/values.hpp"

using namespace kk::evtx;

namespace {
std::string json(std::uint8_t type, const std::vector<std::uint8_t>& b) {
  TextBuffer t;
  any_value_json(t, type, b.data(), b.size());
  return std::string(t.view());
}
std::string text(std::uint8_t type, const std::vector<std::uint8_t>& b,
                 TimeStyle ts = TimeStyle::kTicks) {
  TextBuffer t;
  value_text(t, type, b.data(), b.size(), Escape::kXmlText, ts);
  return std::string(t.view());
}
std::vector<std::uint8_t> u16s(const char16_t* s, bool nul = false) {
  std::vector<std::uint8_t> b;
  for (; *s; ++s) {
    b.push_back(static_cast<std::uint8_t>(*s & 0xff));
    b.push_back(static_cast<std::uint8_t>(*s >> 8));
  }
  if (nul) b.insert(b.end(), {0, 0});
  return b;
}
}  // namespace

TEST_CASE("integers are JSON numbers, hex types 0x strings") {
  CHECK(json(kInt8, {0xff}) == "-1");
  CHECK(json(kUInt16, {0x34, 0x12}) == "4660");
  CHECK(json(kInt32, {0xfe, 0xff, 0xff, 0xff}) == "-2");
  CHECK(json(kUInt64, {1, 0, 0, 0, 0, 0, 0, 0x80}) == "9223372036854775809");
  CHECK(json(kHexInt64, {0xe7, 3, 0, 0, 0, 0, 0, 0}) == "\"0x3e7\"");
  CHECK(json(kHexInt32, {0x6a, 0, 0, 0xc0}) == "\"0xc000006a\"");
  CHECK(json(kSizeT, {4, 0, 0, 0, 0, 0, 0, 0}) == "4");  // decimal, as both reference parsers
  CHECK(json(kBool, {1, 0, 0, 0}) == "true");
  CHECK(json(kBool, {2, 0, 0, 0}) == "true");  // irregular bool values: any non-zero
  CHECK(json(kReal64, {0, 0, 0, 0, 0, 0, 0xf8, 0x3f}) == "1.5");
  CHECK(json(kUInt32, {1, 2}) == "null");  // too short for its type
}

TEST_CASE("GUID, SID, binary, times") {
  std::vector<std::uint8_t> g = {0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49,
                                 0xa5, 0xba, 0x3e, 0x3b, 0x03, 0x28, 0xc3, 0x0d};
  CHECK(json(kGuid, g) == "\"{54849625-5478-4994-A5BA-3E3B0328C30D}\"");
  CHECK(json(kSid, {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0}) == "\"S-1-5-18\"");
  CHECK(json(kBinary, {0xd9, 0x06, 0, 0}) == "\"D9060000\"");
  // 2016-06-29T15:24:34.346Z as FILETIME 131116430743460000
  std::uint64_t ft = 131116874743460000ULL;
  std::vector<std::uint8_t> f(8);
  std::memcpy(f.data(), &ft, 8);
  CHECK(json(kFileTime, f) == "\"2016-06-29T15:24:34.346000Z\"");
  CHECK(text(kFileTime, f) == "2016-06-29T15:24:34.3460000Z");
  CHECK(json(kFileTime, std::vector<std::uint8_t>(8, 0)) == "\"1601-01-01T00:00:00.000000Z\"");
  // SYSTEMTIME 2019-07-24 13:04:09.000 (year, month, weekday, day, h, m, s, ms)
  std::vector<std::uint8_t> st = {0xe3, 7, 7, 0, 3, 0, 24, 0, 13, 0, 4, 0, 9, 0, 0, 0};
  CHECK(json(kSysTime, st) == "\"2019-07-24T13:04:09.000000Z\"");
}

TEST_CASE("strings: NUL ends them, escaping per output") {
  CHECK(json(kString, u16s(u"a\"b", true)) == "\"a\\\"b\"");
  CHECK(text(kString, u16s(u"<a&b>")) == "&lt;a&amp;b&gt;");
  CHECK(json(kString, u16s(u"caf\u00e9 \U0001F600")) == "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
  std::vector<std::uint8_t> lone = {0x00, 0xd8, 'x', 0};  // unpaired high surrogate
  CHECK(json(kString, lone) == "\"\xef\xbf\xbdx\"");
  CHECK(json(kAnsiString, {'a', 0x80, 0}) == "\"a\xe2\x82\xac\"");  // CP1252 euro sign
}

TEST_CASE("arrays become JSON arrays") {
  CHECK(json(kArray | kString, u16s(u"ab\0cd", false)) == "[\"ab\"]");
  std::vector<std::uint8_t> two = u16s(u"ab");
  two.insert(two.end(), {0, 0, 'c', 0, 'd', 0, 0, 0});
  CHECK(json(kArray | kString, two) == "[\"ab\",\"cd\"]");
  CHECK(json(kArray | kUInt16, {1, 0, 2, 0}) == "[1,2]");
  CHECK(json(kArray | kHexInt32, {1, 0, 0, 0, 0xff, 0, 0, 0}) == "[\"0x1\",\"0xff\"]");
  CHECK(json(kArray | kUInt32, {1, 0, 0}) == "\"010000\"");  // does not divide: hex of the bytes
}

TEST_CASE("--format csv: computer and event data that are formulas stay text (issue #22)") {
  TextBuffer out;
  jsonl_to_csv(
      R"j({"artifact":"evtx","source":"S.evtx","record_id":1,"time":null,"event_id":4624,)j"
      R"j("provider":"=1+1","channel":"Security","computer":"@HYPERLINK(\"http://x\")",)j"
      R"j("data":{"a":"b"}})j"
      "\n",
      false, out);
  std::string csv(out.view());
  INFO(csv);
  CHECK(csv.find(",\"'=1+1\",") != std::string::npos);
  CHECK(csv.find(",\"'@HYPERLINK(\"\"http://x\"\")\",") != std::string::npos);
  CHECK(csv.find(",{\"\"a\"\"") == std::string::npos);  // JSON text: quoted as a whole
}
