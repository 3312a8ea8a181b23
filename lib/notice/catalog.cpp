#include "notice/catalog.hpp"

#include <string>
#include <unordered_map>

namespace kk::notice {

std::span<const CatalogEntry> catalog_ja();
std::span<const CatalogEntry> catalog_en();

bool parse_lang(std::string_view text, Lang* out) {
  if (text == "ja") {
    *out = Lang::kJa;
    return true;
  }
  if (text == "en") {
    *out = Lang::kEn;
    return true;
  }
  return false;
}

std::span<const CatalogEntry> catalog_entries(Lang lang) {
  return lang == Lang::kJa ? catalog_ja() : catalog_en();
}

namespace {
using Index = std::unordered_map<std::string_view, std::string_view>;

const Index& index_of(Lang lang) {
  static const Index ja = [] {
    Index m;
    for (const auto& e : catalog_ja()) m.emplace(e.key, e.text);
    return m;
  }();
  static const Index en = [] {
    Index m;
    for (const auto& e : catalog_en()) m.emplace(e.key, e.text);
    return m;
  }();
  return lang == Lang::kJa ? ja : en;
}
}  // namespace

bool Catalog::has(std::string_view key) const {
  return index_of(lang_).count(key) != 0;
}

std::string_view Catalog::raw(std::string_view key) const {
  const Index& idx = index_of(lang_);
  auto it = idx.find(key);
  if (it != idx.end()) return it->second;
  thread_local std::string missing;
  missing = "[[" + std::string(key) + "]]";
  return missing;
}

std::string Catalog::operator()(std::string_view key, Args args) const {
  return substitute(raw(key), args);
}

std::string substitute(std::string_view text, Args args) {
  std::string out;
  out.reserve(text.size() + 32);
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      std::size_t close = text.find('}', i + 1);
      if (close != std::string_view::npos) {
        std::string_view name = text.substr(i + 1, close - i - 1);
        bool found = false;
        for (const auto& [k, v] : args) {
          if (k == name) {
            out.append(v);
            found = true;
            break;
          }
        }
        if (found) {
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

}  // namespace kk::notice
