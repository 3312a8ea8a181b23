#include <doctest/doctest.h>

#include <map>
#include <set>

#include "notice/case_file.hpp"
#include "notice/catalog.hpp"

using namespace kk::notice;

namespace {
// The "{name}" placeholders of a message (std::regex trips GCC 12 -Werror under ASan).
std::set<std::string> placeholders(std::string_view text) {
  std::set<std::string> out;
  for (std::size_t open = text.find('{'); open != std::string_view::npos;
       open = text.find('{', open + 1)) {
    std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    std::string_view name = text.substr(open + 1, close - open - 1);
    bool word = !name.empty();
    for (char c : name) word = word && ((c >= 'a' && c <= 'z') || c == '_');
    if (word) out.emplace(name);
  }
  return out;
}
}  // namespace

TEST_CASE("both catalogs hold the same keys with the same placeholders, each key once") {
  std::map<std::string, std::string> ja, en;
  for (const auto& e : catalog_entries(Lang::kJa))
    CHECK_MESSAGE(ja.emplace(e.key, e.text).second, "duplicate ja key " << e.key);
  for (const auto& e : catalog_entries(Lang::kEn))
    CHECK_MESSAGE(en.emplace(e.key, e.text).second, "duplicate en key " << e.key);
  for (const auto& entry : ja) {  // named: clang 14 cannot capture a binding in a lambda
    const auto& k = entry.first;
    const auto& v = entry.second;
    auto it = en.find(k);
    CHECK_MESSAGE(it != en.end(), "missing in en: " << k);
    // Dates are the one place where languages order and name parts differently.
    if (it != en.end() && k != "date.long")
      CHECK_MESSAGE(placeholders(v) == placeholders(it->second), "placeholders differ: " << k);
  }
  for (const auto& entry : en)
    CHECK_MESSAGE(ja.count(entry.first), "missing in ja: " << entry.first);
  CHECK(ja.size() > 300);
}

TEST_CASE("every intake item has a label and a template comment in both languages") {
  for (Lang lang : {Lang::kJa, Lang::kEn}) {
    Catalog cat(lang);
    for (const auto& f : case_fields()) {
      CHECK_MESSAGE(cat.has("case." + std::string(f.path)), f.path);
      CHECK_MESSAGE(cat.has("case." + std::string(f.path) + ".help"), f.path);
    }
    for (auto g : case_groups())
      if (!g.empty()) CHECK(cat.has("case.group." + std::string(g) + ".title"));
  }
}

TEST_CASE("substitution") {
  CHECK(substitute("{a} and {b} {a} {c}", {{"a", "x"}, {"b", "y"}}) == "x and y x {c}");
  CHECK(substitute("{ … }", {}) == "{ … }");
  CHECK(Catalog(Lang::kEn).raw("no.such.key") == "[[no.such.key]]");
}
