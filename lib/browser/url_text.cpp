#include "browser/url_text.hpp"

#include "core/ascii_case.hpp"

namespace kk::browser {

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::string file_uri_to_path(std::string_view uri) {
  if (!istarts_with(uri, "file://")) return std::string(uri);
  std::string_view rest = uri.substr(7);
  std::string path;
  if (!rest.empty() && rest[0] == '/') {
    rest.remove_prefix(1);  // "/C:/…"
    // A POSIX path (no drive letter) keeps its leading slash.
    if (!(rest.size() >= 2 && rest[1] == ':')) path = "/";
  } else {
    path = "//";  // file://server/share
  }
  path += percent_decode(rest, false);
  bool windows = path.size() >= 2 && (path[1] == ':' || path.starts_with("//"));
  if (windows)
    for (char& c : path)
      if (c == '/') c = '\\';
  return path;
}

namespace {
struct Engine {
  std::string_view host_part;  // matched inside the host name
  std::string_view path_part;  // required in the path ("" = any)
  std::string_view param;
  std::string_view name;
};
constexpr Engine kEngines[] = {
    {"google.", "/search", "q", "google"},     {"bing.com", "/search", "q", "bing"},
    {"duckduckgo.com", "", "q", "duckduckgo"}, {"search.yahoo.", "/search", "p", "yahoo"},
    {"yandex.", "/search", "text", "yandex"},  {"baidu.com", "/s", "wd", "baidu"},
    {"ecosia.org", "/search", "q", "ecosia"},
};
}  // namespace

std::optional<SearchTerm> search_term_from_url(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::nullopt;
  std::string_view rest = url.substr(scheme + 3);
  auto slash = rest.find('/');
  std::string host = ascii_lower(rest.substr(0, slash));
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  auto q = path.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = path.substr(q + 1);
  path = path.substr(0, q);
  if (auto h = query.find('#'); h != std::string_view::npos) query = query.substr(0, h);
  for (const auto& e : kEngines) {
    if (host.find(e.host_part) == std::string::npos) continue;
    if (!e.path_part.empty() && !path.starts_with(e.path_part)) continue;
    std::size_t start = 0;
    while (start <= query.size()) {
      auto amp = query.find('&', start);
      std::string_view kv = query.substr(start, amp == std::string_view::npos ? amp : amp - start);
      auto eq = kv.find('=');
      if (eq != std::string_view::npos && kv.substr(0, eq) == e.param && eq + 1 < kv.size())
        return SearchTerm{std::string(e.name), percent_decode(kv.substr(eq + 1), true)};
      if (amp == std::string_view::npos) break;
      start = amp + 1;
    }
  }
  return std::nullopt;
}

}  // namespace kk::browser
