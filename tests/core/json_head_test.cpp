// core/json_head: the string members read from an object's head are those simdjson reads
// from the whole object, or the reader gives up; it never answers wrongly.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <array>
#include <string>

#include "core/json_head.hpp"

namespace {

constexpr std::array<std::string_view, 2> kKeys{"artifact", "source"};

// What a full parse says: the first member of each key, "" when absent or not a string;
// nullopt when TEXT is not a JSON object.
std::optional<std::array<std::string, 2>> parsed(const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(text).get(e) != simdjson::SUCCESS || !e.is_object()) return std::nullopt;
  std::array<std::string, 2> out;
  for (std::size_t i = 0; i < kKeys.size(); ++i) {
    std::string_view v;
    if (e[kKeys[i]].get_string().get(v) == simdjson::SUCCESS) out[i] = v;
  }
  return out;
}

// Head-read and parsed agree wherever the head read answers; returns whether it answered.
bool agrees(const std::string& text) {
  CAPTURE(text);
  std::array<std::string_view, 2> head;
  if (!kk::json_head_strings(text, kKeys, head)) return false;
  auto full = parsed(text);
  if (!full) {  // answered on a text a parse rejects: only past the members it read
    return true;
  }
  CHECK(std::string(head[0]) == (*full)[0]);
  CHECK(std::string(head[1]) == (*full)[1]);
  return true;
}

}  // namespace

TEST_CASE("json_head_strings: a timeline line's artifact and source, the rest not read") {
  const std::string line =
      R"({"datetime":"2019-07-19T15:09:40.973075Z","timestamp":1563548980973075,)"
      R"("timestamp_desc":"Event Recorded","message":"4688 \"a\",\"artifact\":\"x\" C:\\Windows",)"
      R"("artifact":"evtx","source":"Evtx/Security.evtx","host":"PC","tags":[],"details":"{\"a\":1}"})"
      "\n";
  std::array<std::string_view, 2> head;
  REQUIRE(kk::json_head_strings(line, kKeys, head));
  CHECK(head[0] == "evtx");
  CHECK(head[1] == "Evtx/Security.evtx");
  CHECK(agrees(line));
  // Cut just after the source: the rest is never read.
  const std::string cut = line.substr(0, line.find(",\"host\"") + 1);
  REQUIRE(kk::json_head_strings(cut, kKeys, head));
  CHECK(head[1] == "Evtx/Security.evtx");
}

TEST_CASE("json_head_strings: agrees with a full parse, or gives up") {
  const char* answered[] = {
      R"({"artifact":"mft","source":"NTFS/$MFT"})",
      R"(  { "source" : "b" , "artifact" : "a" } )",
      R"({"x":{"artifact":"nested","y":[1,{"source":"deep"}]},"artifact":"top","source":"s"})",
      R"({"artifact":"first","artifact":"second","source":"s"})",
      R"({"artifact":7,"source":null})",
      R"({"artifact":["a"],"source":{"k":"v"}})",
      R"({"n":-1.5e3,"t":true,"f":false,"z":null,"artifact":"a","source":"s"})",
      R"({"other":"x"})",
      R"({})",
      R"({"s":"\\","artifact":"a","source":"s"})",
      R"({"s":"\"}","artifact":"a","source":"s"})",
      R"({"s":"[{\"","artifact":"a","source":"s"})",
  };
  for (const char* t : answered) CHECK(agrees(t));
  const char* given_up[] = {
      R"([1,2])",
      R"("artifact")",
      R"({"artifact":"C:\\Windows","source":"s"})",  // an escape in a wanted value
      R"({"art\u0069fact":"a","source":"s"})",       // an escape in a key
      R"({"artifact":"a")",                          // ended before the source
      R"({"x":[1,2},"artifact":"a","source":"s"})",  // brackets that do not match
      R"({"x":tru,"artifact":"a","source":"s"})",
      R"({"x" "y","artifact":"a","source":"s"})",
      R"({"artifact":"a",,"source":"s"})",
      R"({"artifact":"unterminated)",
      "",
  };
  for (const char* t : given_up) {
    CAPTURE(t);
    std::array<std::string_view, 2> head;
    CHECK_FALSE(kk::json_head_strings(t, kKeys, head));
  }
  std::string deep = "{\"x\":";  // nested deeper than the reader follows
  for (int i = 0; i < 70; ++i) deep += "[";
  for (int i = 0; i < 70; ++i) deep += "]";
  deep += ",\"artifact\":\"a\",\"source\":\"s\"}";
  std::array<std::string_view, 2> head;
  CHECK_FALSE(kk::json_head_strings(deep, kKeys, head));
}

TEST_CASE("json_head_strings: every cut of a line answers right or gives up") {
  const std::string line =
      R"({"d":"x\"y","n":[1,{"a":"}"}],"artifact":"evtx","m":"\\","source":"S.evtx","z":1})";
  for (std::size_t n = 0; n <= line.size(); ++n) agrees(line.substr(0, n));
  for (std::size_t i = 0; i < line.size(); ++i)  // and every byte changed to a quote or brace
    for (char c : {'"', '{', '}', '\\', ','}) {
      std::string t = line;
      t[i] = c;
      agrees(t);
    }
}
