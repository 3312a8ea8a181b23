// FieldList and Arena replace std::vector / std::string with inline fast paths: check them
// where they are easy to get wrong — growing (a field of our own pushed while we grow),
// insert at the front, shrinking, and Arena spilling past its main buffer.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "netlog/line.hpp"

using kk::netlog::Arena;
using kk::netlog::Field;
using kk::netlog::FieldList;

TEST_CASE("FieldList keeps every field across growth, insert and resize") {
  std::string names;
  for (int i = 0; i < 300; ++i) names += static_cast<char>('a' + i % 26);
  FieldList l;
  for (std::size_t i = 0; i < 200; ++i) {
    if (i % 2 == 1)
      l.push_back(l[i - 1]);  // our own element, also when this push grows the list
    else
      l.push_back({std::string_view(names).substr(i, 1), std::string_view(names).substr(0, i)});
  }
  REQUIRE(l.size() == 200);
  for (std::size_t i = 0; i < 200; ++i) {
    const std::size_t j = i - i % 2;
    CHECK(l[i].key == std::string_view(names).substr(j, 1));
    CHECK(l[i].value.size() == j);
  }
  l.insert(l.begin(), Field{"message", "m"});
  REQUIRE(l.size() == 201);
  CHECK(l[0].key == "message");
  CHECK(l[1].key == "a");
  CHECK(l.back().value.size() == 198);
  l.resize(3);
  CHECK(l.size() == 3);
  l.resize(10);  // never grows
  CHECK(l.size() == 3);
  FieldList copy = l;
  l.clear();
  CHECK(l.empty());
  REQUIRE(copy.size() == 3);
  CHECK(copy[2].key == "a");
}

TEST_CASE("Arena keeps values apart, in and past its main buffer") {
  Arena a;
  a.reset(10);
  const std::string_view x = a.keep("12345");
  const std::string_view y = a.keep("");
  const std::string_view z = a.keep("6789012");  // does not fit: spilled
  const std::string_view w = a.keep("abcde");
  CHECK(x == "12345");
  CHECK(y.empty());
  CHECK(z == "6789012");
  CHECK(w == "abcde");
  a.reset(4);  // keeps the larger buffer
  CHECK(a.keep("0123456789") == "0123456789");
  CHECK(a.keep("x") == "x");
}
