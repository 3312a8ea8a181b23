// Proxy access logs in their native forms: Squid's access.log ("native" logformat,
// squid.conf documentation: time elapsed remotehost code/status bytes method URL rfc931
// peerstatus/peerhost type) and the Common/Combined Log Format (Apache, Squid "common").
#include "core/ascii_digit.hpp"
#include "netlog/syntax.hpp"

namespace kk::netlog {

namespace {

std::string_view next_token(std::string_view s, std::size_t& i) {
  while (i < s.size() && s[i] == ' ') ++i;
  const std::size_t b = i;
  while (i < s.size() && s[i] != ' ') ++i;
  return s.substr(b, i - b);
}

std::string_view quoted(std::string_view s, std::size_t& i) {
  while (i < s.size() && s[i] == ' ') ++i;
  if (i >= s.size() || s[i] != '"') return next_token(s, i);
  const std::size_t b = ++i;
  while (i < s.size() && s[i] != '"') {
    if (s[i] == '\\') ++i;
    ++i;
  }
  std::string_view v = s.substr(b, std::min(i, s.size()) - b);
  if (i < s.size()) ++i;
  return v;
}

}  // namespace

bool parse_squid(std::string_view s, FieldList& out) {
  std::size_t i = 0;
  std::string_view time = next_token(s, i);
  // 1564576741.982: epoch seconds with milliseconds.
  const std::size_t dot = time.find('.');
  if (dot < 9 || dot > 10 || time.size() != dot + 4) return false;
  for (char c : time)
    if (!is_ascii_digit(c) && c != '.') return false;
  std::string_view elapsed = next_token(s, i);
  std::string_view client = next_token(s, i);
  std::string_view code = next_token(s, i);
  const std::size_t slash = code.find('/');
  if (slash == std::string_view::npos || elapsed.empty()) return false;
  std::string_view bytes = next_token(s, i);
  std::string_view method = next_token(s, i);
  std::string_view url = next_token(s, i);
  std::string_view ident = next_token(s, i);
  std::string_view hier = next_token(s, i);
  std::string_view type = next_token(s, i);
  out.push_back({"squid.time", time});
  out.push_back({"squid.elapsed", elapsed});
  out.push_back({"squid.client", client});
  out.push_back({"squid.result_code", code.substr(0, slash)});
  out.push_back({"squid.status", code.substr(slash + 1)});
  out.push_back({"squid.bytes", bytes});
  out.push_back({"squid.method", method});
  out.push_back({"squid.url", url});
  if (!ident.empty() && ident != "-") out.push_back({"squid.user", ident});
  const std::size_t hs = hier.find('/');
  out.push_back({"squid.hierarchy", hier.substr(0, hs)});
  if (hs != std::string_view::npos) out.push_back({"squid.peer", hier.substr(hs + 1)});
  if (!type.empty()) out.push_back({"squid.content_type", type});
  // Optional "referer" "user-agent" of a combined-style native format.
  std::size_t j = i;
  while (j < s.size() && s[j] == ' ') ++j;
  if (j < s.size() && s[j] == '"') {
    out.push_back({"squid.referer", quoted(s, i)});
    out.push_back({"squid.user_agent", quoted(s, i)});
  }
  return true;
}

bool parse_clf(std::string_view s, FieldList& out) {
  std::size_t i = 0;
  std::string_view client = next_token(s, i);
  std::string_view ident = next_token(s, i);
  std::string_view user = next_token(s, i);
  while (i < s.size() && s[i] == ' ') ++i;
  if (client.empty() || i >= s.size() || s[i] != '[') return false;
  const std::size_t close = s.find(']', i);
  if (close == std::string_view::npos) return false;
  std::string_view time = s.substr(i + 1, close - i - 1);
  i = close + 1;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i >= s.size() || s[i] != '"') return false;
  std::string_view request = quoted(s, i);
  std::size_t r = 0;
  std::string_view method = next_token(request, r);
  std::string_view url = next_token(request, r);
  std::string_view proto = next_token(request, r);
  std::string_view status = next_token(s, i);
  std::string_view bytes = next_token(s, i);
  out.push_back({"clf.client", client});
  if (ident != "-") out.push_back({"clf.ident", ident});
  if (user != "-") out.push_back({"clf.user", user});
  out.push_back({"clf.time", time});
  out.push_back({"clf.method", method});
  out.push_back({"clf.url", url});
  if (!proto.empty()) out.push_back({"clf.protocol", proto});
  out.push_back({"clf.status", status});
  if (bytes != "-") out.push_back({"clf.bytes", bytes});
  std::size_t j = i;
  while (j < s.size() && s[j] == ' ') ++j;
  if (j < s.size() && s[j] == '"') {
    out.push_back({"clf.referer", quoted(s, i)});
    out.push_back({"clf.user_agent", quoted(s, i)});
  }
  while (j < s.size() && s[j] == ' ') ++j;
  std::string_view extra = s.substr(std::min(i, s.size()));
  while (!extra.empty() && extra.front() == ' ') extra.remove_prefix(1);
  if (!extra.empty()) out.push_back({"clf.extra", extra});
  return true;
}

}  // namespace kk::netlog
