// The member index must answer exactly as simdjson's own lookup, for the object it
// indexed only.
#include <doctest/doctest.h>

#include <simdjson.h>

#include <string>

#include "timeline/member_index.hpp"
#include "timeline/record_fields.hpp"

using namespace kk::timeline;

namespace {
// An object of N members "k0".."k{N-1}" (values their numbers), then EXTRA.
std::string object_of(int n, const std::string& extra = "") {
  std::string s = "{";
  for (int i = 0; i < n; ++i)
    s += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
  if (!extra.empty()) s += (n ? "," : "") + extra;
  return s + "}";
}
}  // namespace

TEST_CASE("the member index answers as a walk of the members, for its object only") {
  simdjson::dom::parser parser;
  const std::string text =
      object_of(20,
                "\"dup\":1,\"dup\":2,\"none\":null,\"a_long_key_of_more_than_16\":\"x\","
                "\"inner\":" +
                    object_of(20) + ",\"\":\"empty key\"");
  simdjson::dom::element rec = parser.parse(text);
  simdjson::dom::element inner = rec["inner"];
  MemberIndex index;
  REQUIRE(index.build(rec));
  CHECK(index.covers(rec));
  CHECK_FALSE(index.covers(inner));  // another place in the same document
  for (const char* key : {"k0", "k7", "k19", "dup", "none", "a_long_key_of_more_than_16", "",
                          "inner", "k20", "absent", "K0"}) {
    CAPTURE(key);
    simdjson::dom::element walked;
    const bool has = rec[key].get(walked) == simdjson::SUCCESS;
    auto found = index.find(key);
    REQUIRE(found.has_value() == has);
    if (has) CHECK(simdjson::minify(*found) == simdjson::minify(walked));  // the first "dup"
    // member() gives the same with the index current and without it.
    std::optional<simdjson::dom::element> plain = member(rec, key), indexed;
    {
      CurrentMemberIndex current(&index);
      indexed = member(rec, key);
      CHECK(member(inner, "k3").has_value());  // not the indexed object: walked
    }
    REQUIRE(plain.has_value() == indexed.has_value());
    if (plain) CHECK(simdjson::minify(*plain) == simdjson::minify(*indexed));
  }
  CHECK(MemberIndex::current() == nullptr);  // cleared on leaving
  // Small objects (a lookup walks a few members) and non-objects are not indexed.
  simdjson::dom::parser small_parser;
  CHECK_FALSE(index.build(small_parser.parse(object_of(3))));
  CHECK_FALSE(index.covers(rec));
  simdjson::dom::parser array_parser;
  CHECK_FALSE(index.build(array_parser.parse(std::string("[1,2,3]"))));
  simdjson::dom::parser large_parser;
  CHECK_FALSE(index.build(large_parser.parse(object_of(MemberIndex::kMaxMembers + 1))));
}
