#include "notice/defang.hpp"

#include <algorithm>

#include "core/ascii_case.hpp"

namespace kk::notice {

std::string defang(std::string_view s) {
  std::string out(s);
  // Already defanged: leave as it is.
  if (out.find("[.]") != std::string::npos || out.find("[:]") != std::string::npos) return out;
  for (std::string_view scheme : {"https://", "http://", "ftp://"}) {
    if (istarts_with(out, scheme)) {
      if (scheme[0] == 'h') out.replace(0, 4, "hxxp");
      if (scheme[0] == 'f') out.replace(0, 3, "fxp");
      break;
    }
  }
  // The host part: between "://" (if any) and the first '/'.
  std::size_t host_at = out.find("://");
  host_at = host_at == std::string::npos ? 0 : host_at + 3;
  std::size_t host_end = out.find('/', host_at);
  if (host_end == std::string::npos) host_end = out.size();
  std::string host = out.substr(host_at, host_end - host_at);
  std::string fanged;
  if (host.find(':') != std::string::npos && host.find('.') == std::string::npos) {
    for (char c : host) fanged += c == ':' ? std::string("[:]") : std::string(1, c);  // IPv6
  } else {
    std::size_t dot = host.rfind('.');
    fanged = dot == std::string::npos ? host : host.substr(0, dot) + "[.]" + host.substr(dot + 1);
  }
  return out.substr(0, host_at) + fanged + out.substr(host_end);
}

}  // namespace kk::notice
