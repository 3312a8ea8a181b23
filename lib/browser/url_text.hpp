// URL pieces the browser records need: percent-decoding, a file:/// URI as a Windows
// path (Firefox keeps download targets that way), and the search terms of a search
// engine's result URL (Firefox keeps no search table). Private to lib/browser.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kk::browser {

// %XX decoded; with PLUS_IS_SPACE, '+' becomes ' ' (query strings). Bad escapes stay.
std::string percent_decode(std::string_view s, bool plus_is_space);

// "file:///C:/Users/a/x.exe" → "C:\Users\a\x.exe"; "file://server/share/x" → "\\server\share\x".
// Anything else is returned unchanged.
std::string file_uri_to_path(std::string_view uri);

struct SearchTerm {
  std::string engine;  // "google", "bing", …
  std::string term;
};
// The query typed into a well-known search engine, from its result page URL.
std::optional<SearchTerm> search_term_from_url(std::string_view url);

}  // namespace kk::browser
