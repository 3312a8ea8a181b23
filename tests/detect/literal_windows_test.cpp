// LiteralWindows, the prefilter's search for long literals: every literal that occurs in a
// value is reported, none that does not, wherever it lies and however many share a window.
#include <doctest/doctest.h>

#include <random>
#include <set>

#include "detect/literal_windows.hpp"

namespace {

using kk::detect::LiteralWindows;
using Literals = std::vector<std::pair<std::string, std::uint32_t>>;

std::set<std::uint32_t> found(const LiteralWindows& w, std::string_view value) {
  std::set<std::uint32_t> ids;
  w.scan(value, [&](std::uint32_t id) { ids.insert(id); });
  return ids;
}

// The answer by searching for each literal in turn.
std::set<std::uint32_t> expected(const Literals& lits, std::string_view value) {
  std::set<std::uint32_t> ids;
  for (const auto& [text, id] : lits)
    if (value.find(text) != std::string_view::npos) ids.insert(id);
  return ids;
}

}  // namespace

TEST_CASE("long literals are found wherever they lie in a value") {
  const Literals lits = {{"\\certutil.exe", 0},
                         {"\\windows\\system32\\", 1},
                         {"-urlcache", 2},
                         {"\\windows\\temp\\", 3},
                         {"\\certutil.exe", 4},  // the same text for another rule
                         {"md5=5be61a24f50eb4c94d98b8a82ef58dcf", 5},
                         {"exactly8", 6}};
  LiteralWindows w;
  w.build(lits);
  CHECK(found(w, "c:\\windows\\system32\\certutil.exe -urlcache -f http://x/a a") ==
        std::set<std::uint32_t>{0, 1, 2, 4});
  CHECK(found(w, "exactly8") == std::set<std::uint32_t>{6});   // the whole value
  CHECK(found(w, "xexactly8") == std::set<std::uint32_t>{6});  // at the end
  CHECK(found(w, "exactly8x") == std::set<std::uint32_t>{6});  // at the start
  CHECK(found(w, "exactly").empty());                          // shorter than a window
  CHECK(found(w, "").empty());
  CHECK(found(w, "\\windows\\system3").empty());  // cut one byte short
  CHECK(found(w, "sha1=x,md5=5be61a24f50eb4c94d98b8a82ef58dcf") == std::set<std::uint32_t>{5});
  CHECK(found(w, "md5=5be61a24f50eb4c94d98b8a82ef58dcX").empty());  // the last byte differs
}

TEST_CASE("many literals sharing windows: the same answer as searching for each") {
  // A small alphabet makes literals share windows and values hold them by chance; NUL and
  // bytes above 0x7f are among the letters.
  const std::string alphabet = std::string("ab\\.\x00\xe3", 6);
  std::mt19937 rng(20261206);
  auto text = [&](std::size_t len) {
    std::string s;
    for (std::size_t i = 0; i < len; ++i) s.push_back(alphabet[rng() % alphabet.size()]);
    return s;
  };
  for (int round = 0; round < 20; ++round) {
    Literals lits;
    const std::size_t n = 1 + rng() % 300;
    for (std::uint32_t id = 0; id < n; ++id) {
      if (id > 0 && rng() % 8 == 0)  // a text again, for another rule
        lits.emplace_back(lits[rng() % lits.size()].first, id);
      else
        lits.emplace_back(text(LiteralWindows::kWidth + rng() % 12), id);
    }
    LiteralWindows w;
    w.build(lits);
    for (int v = 0; v < 200; ++v) {
      std::string value = text(rng() % 80);
      if (rng() % 2 == 0) {  // plant a literal somewhere
        const std::string& lit = lits[rng() % lits.size()].first;
        value.insert(rng() % (value.size() + 1), lit);
      }
      INFO("round " << round << ", value " << v);
      REQUIRE(found(w, value) == expected(lits, value));
    }
  }
}

TEST_CASE("an index built again forgets the literals of the one before") {
  LiteralWindows w;
  w.build({{"first-literal", 1}});
  w.build({{"second-literal", 2}});
  CHECK(found(w, "first-literal second-literal") == std::set<std::uint32_t>{2});
  w.build({});
  CHECK(w.empty());
  CHECK(found(w, "second-literal").empty());
}
