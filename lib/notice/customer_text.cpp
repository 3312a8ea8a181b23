#include "notice/customer_text.hpp"

#include <cctype>

#include "notice/defang.hpp"

namespace kk::notice {

namespace {
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Text in the Windows message-code style ("%%1833"), resolved by the catalog's
// "msgcode.N" entries; unknown codes are dropped with the "Name=" in front of them.
std::string resolve_codes(std::string_view s, const Catalog& cat) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '%' && i + 2 < s.size() && s[i + 1] == '%' &&
        std::isdigit(static_cast<unsigned char>(s[i + 2]))) {
      std::size_t j = i + 2;
      while (j < s.size() && j < i + 8 && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      std::string key = "msgcode." + std::string(s.substr(i + 2, j - i - 2));
      if (cat.has(key)) {
        out += cat.raw(key);
      } else if (!out.empty() && out.back() == '=') {
        while (!out.empty() && !is_space(out.back()) && out.back() != '/' && out.back() != ',')
          out.pop_back();
        while (!out.empty() && is_space(out.back())) out.pop_back();
      }
      i = j;
      continue;
    }
    out.push_back(s[i++]);
  }
  return out;
}

// Defender names each resource "file:_C:\x", "containerfile:_C:\y.zip", "regkey:_HKLM\…".
std::string strip_resource_prefixes(std::string s) {
  for (std::string_view p : {"containerfile:_", "file:_", "regkey:_", "process:_", "webfile:_"}) {
    for (std::size_t at = s.find(p); at != std::string::npos; at = s.find(p, at))
      s.erase(at, p.size());
  }
  return s;
}
}  // namespace

bool looks_mojibake(std::string_view t) {
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    unsigned char a = static_cast<unsigned char>(t[i]), b = static_cast<unsigned char>(t[i + 1]);
    // "â€" = C3 A2 E2 82 AC; "Ã" + a Latin-1 letter = C3 83 C2 xx / C3 83 C3 xx; "ï»¿" = C3 AF C2
    // BB.
    if (a == 0xC3 && b == 0xA2 && t.substr(i + 2, 3) == "\xE2\x82\xAC") return true;
    if (a == 0xC3 && b == 0x83 && i + 2 < t.size() &&
        (static_cast<unsigned char>(t[i + 2]) == 0xC2 ||
         static_cast<unsigned char>(t[i + 2]) == 0xC3))
      return true;
    if (a == 0xC3 && b == 0xAF && t.substr(i + 2, 4) == "\xC2\xBB\xC2\xBF") return true;
    if (a == 0xEF && b == 0xBF && i + 2 < t.size() && static_cast<unsigned char>(t[i + 2]) == 0xBD)
      return true;  // U+FFFD, a character the decoder could not read
  }
  return false;
}

std::string defang_urls(std::string_view text) {
  std::string out;
  std::size_t done = 0;
  for (std::size_t at = text.find("://"); at != std::string_view::npos;
       at = text.find("://", at + 3)) {
    std::size_t begin = at;
    while (begin > done && std::isalpha(static_cast<unsigned char>(text[begin - 1]))) --begin;
    if (begin == at) continue;  // no scheme
    std::size_t end = at + 3;
    while (end < text.size() && !is_space(text[end]) && text[end] != '"' && text[end] != '\'' &&
           text[end] != '<' && text[end] != '>' && text[end] != ')' && text[end] != '`')
      ++end;
    out += text.substr(done, begin - done);
    out += defang(text.substr(begin, end - begin));
    done = end;
    at = end - 3;  // go on after this URL
  }
  out += text.substr(done);
  return out;
}

std::string customer_text(std::string_view raw, const Catalog& cat) {
  if (looks_mojibake(raw)) return std::string(cat.raw("text.mojibake"));
  return defang_urls(strip_resource_prefixes(resolve_codes(raw, cat)));
}

}  // namespace kk::notice
