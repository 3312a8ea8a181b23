// Message catalogs: every sentence, label and heading the notice shows comes from
// here, one table per language (catalog_ja.cpp, catalog_en.cpp), so the logic never
// carries user-visible text and both languages always hold the same keys.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace kk::notice {

enum class Lang { kJa, kEn };

// "ja" / "en"; anything else gives false.
bool parse_lang(std::string_view text, Lang* out);
// The inverse of parse_lang: "ja" / "en" (HTML lang, the documents' JSON).
constexpr std::string_view lang_code(Lang lang) {
  return lang == Lang::kJa ? "ja" : "en";
}

struct CatalogEntry {
  std::string_view key;
  std::string_view text;
};

// The raw table of one language (for tests that compare the languages).
std::span<const CatalogEntry> catalog_entries(Lang lang);

// Placeholder values for "{name}" in a message.
using Args = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Catalog {
 public:
  explicit Catalog(Lang lang) : lang_(lang) {}
  Lang lang() const { return lang_; }
  // The message KEY; a key missing from the table yields "[[KEY]]" so tests catch it.
  std::string_view raw(std::string_view key) const;
  bool has(std::string_view key) const;
  // The message with "{name}" placeholders replaced by ARGS.
  std::string operator()(std::string_view key, Args args = {}) const;

 private:
  Lang lang_;
};

// Replaces "{name}" in TEXT by the matching value of ARGS (unknown names stay as they are).
std::string substitute(std::string_view text, Args args);

}  // namespace kk::notice
