#include "core/url_parts.hpp"

namespace kk {

namespace {
// After "scheme://" (a scheme of at most 10 characters); npos when there is none.
std::size_t authority_at(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos || scheme > 10) return std::string_view::npos;
  return scheme + 3;
}
}  // namespace

std::string_view url_host(std::string_view url) {
  const std::size_t at = authority_at(url);
  if (at == std::string_view::npos) return {};
  url.remove_prefix(at);
  url = url.substr(0, url.find_first_of("/?#"));
  if (const std::size_t user = url.rfind('@'); user != std::string_view::npos)
    url.remove_prefix(user + 1);
  if (!url.empty() && url.front() != '[') url = url.substr(0, url.find(':'));
  return url;
}

std::string_view url_file_name(std::string_view url) {
  const std::size_t at = authority_at(url);
  if (at == std::string_view::npos) return {};
  url.remove_prefix(at);
  url = url.substr(0, url.find_first_of("?#"));
  const std::size_t path = url.find('/');
  if (path == std::string_view::npos) return {};
  return url.substr(url.rfind('/') + 1);
}

}  // namespace kk
