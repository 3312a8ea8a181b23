// PatternSet, the flattened form of an OR'ed value list: the same answer as trying the
// values one by one, for every pattern kind, cased values, and lists it must refuse.
#include <doctest/doctest.h>

#include "detect/pattern_set.hpp"

namespace {

using kk::detect::Field;
using kk::detect::PatternSet;
using kk::detect::ValueMatcher;

std::vector<ValueMatcher> values(const std::vector<std::string>& texts,
                                 const std::vector<std::string>& modifiers) {
  std::vector<ValueMatcher> out;
  std::vector<std::string> warnings;
  for (const auto& t : texts) {
    auto m = kk::detect::compile_value(t, modifiers, warnings);
    REQUIRE(m);
    out.push_back(std::move(*m));
  }
  return out;
}

// The answer value by value, as FieldCondition gives it without a PatternSet.
bool one_by_one(const std::vector<ValueMatcher>& vs, const Field& f) {
  kk::detect::Event none;
  for (const auto& m : vs)
    if (m.matches(f, none)) return true;
  return false;
}

Field field(const std::string& value, std::string& lower) {
  lower = kk::ascii_lower(value);
  return Field{"F", value, lower};
}

}  // namespace

TEST_CASE("a pattern set answers as its values one by one") {
  const std::vector<std::vector<std::string>> modifier_sets = {
      {}, {"contains"}, {"startswith"}, {"endswith"}, {"contains", "cased"}, {"windash"}};
  const std::vector<std::string> texts = {"cmd.exe", "\\Temp\\*.ps1", "-enc", "A?C", "MiXeD"};
  const std::vector<std::string> inputs = {"cmd.exe",
                                           "C:\\Windows\\CMD.EXE",
                                           "c:\\temp\\x.ps1",
                                           "powershell /enc abc",
                                           "ABC",
                                           "xMiXeDy",
                                           "mixed",
                                           "",
                                           "-ENC at start",
                                           "abc"};
  for (const auto& mods : modifier_sets) {
    auto vs = values(texts, mods);
    PatternSet set;
    REQUIRE(set.assign(vs));
    for (const auto& in : inputs) {
      std::string lower;
      Field f = field(in, lower);
      CHECK_MESSAGE(set.matches(f) == one_by_one(vs, f), in);
    }
  }
}

TEST_CASE("a pattern set refuses lists that are not plain patterns") {
  PatternSet set;
  CHECK_FALSE(set.assign({}));
  CHECK(set.empty());
  CHECK_FALSE(set.assign(values({"^a.*b$"}, {"re"})));
  CHECK_FALSE(set.assign(values({"10.0.0.0/8"}, {"cidr"})));
  auto mixed = values({"abc"}, {"contains"});
  auto re = values({"x+"}, {"re"});
  mixed.push_back(std::move(re[0]));
  CHECK_FALSE(set.assign(mixed));
  CHECK(set.empty());
  // A plain list after a refused one: the set holds only the new list.
  REQUIRE(set.assign(values({"abc"}, {"endswith"})));
  std::string lower;
  CHECK(set.matches(field("xABC", lower)));
  CHECK_FALSE(set.matches(field("abcx", lower)));
}
