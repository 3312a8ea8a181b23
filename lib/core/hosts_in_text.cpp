#include "core/hosts_in_text.hpp"

#include "core/ascii_case.hpp"

namespace kk {

namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

bool host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || digit(c) || c == '.' || c == '-' ||
         c == '_';
}

// A dotted quad starting at TEXT[I] (not inside a longer number or name): its length, or 0.
std::size_t ipv4_at(std::string_view text, std::size_t i) {
  if (i > 0 && (digit(text[i - 1]) || text[i - 1] == '.')) return 0;
  std::size_t p = i;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (p >= text.size() || text[p] != '.') return 0;
      ++p;
    }
    int value = 0, digits = 0;
    while (p < text.size() && digit(text[p]) && digits < 4) {
      value = value * 10 + (text[p] - '0');
      ++digits;
      ++p;
    }
    if (digits == 0 || digits > 3 || value > 255) return 0;
  }
  if (p < text.size() &&
      (digit(text[p]) || (text[p] == '.' && p + 1 < text.size() && digit(text[p + 1]))))
    return 0;
  return p - i;
}

}  // namespace

void hosts_in_text(std::string_view text, const std::function<void(std::string_view)>& found) {
  for (std::size_t i = 0; i < text.size();) {
    // "scheme://[user@]host[:port]"
    if (text[i] == ':' && i + 2 < text.size() && text[i + 1] == '/' && text[i + 2] == '/') {
      std::size_t s = i;
      while (s > 0 && s + 8 > i &&
             ((text[s - 1] >= 'a' && text[s - 1] <= 'z') ||
              (text[s - 1] >= 'A' && text[s - 1] <= 'Z')))
        --s;
      const std::string_view scheme = text.substr(s, i - s);
      std::size_t b = i + 3, e = b;
      while (e < text.size() && (host_char(text[e]) || text[e] == '@' || text[e] == ':')) {
        if (text[e] == '@') b = e + 1;  // credentials before the host
        ++e;
      }
      std::string_view host = text.substr(b, e - b);
      host = host.substr(0, host.find(':'));
      while (!host.empty() && host.back() == '.') host.remove_suffix(1);
      if ((iequals(scheme, "http") || iequals(scheme, "https") || iequals(scheme, "ftp")) &&
          !host.empty())
        found(host);
      i = e > i ? e : i + 1;
      continue;
    }
    if (digit(text[i])) {
      if (const std::size_t n = ipv4_at(text, i)) {
        found(text.substr(i, n));
        i += n;
        continue;
      }
      while (i < text.size() && (digit(text[i]) || text[i] == '.')) ++i;  // one number
      continue;
    }
    ++i;
  }
}

}  // namespace kk
