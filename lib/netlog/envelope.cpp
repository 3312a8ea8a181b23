// The syslog envelope: RFC 5424 (section 6), RFC 3164 (section 4.1) and the relay forms
// seen in the corpus ("2026-04-03T00:31:09.976660+00:00 192.168.2.1 payload" in Elastic's
// FortiGate sample, "2024-01-12T09:46:02PROXY01… bluecoat - access_log -" with no space).
#include "core/ascii_digit.hpp"
#include "netlog/syntax.hpp"

namespace kk::netlog {

namespace {

std::string_view take_token(std::string_view& s) {
  std::size_t e = s.find(' ');
  std::string_view tok = s.substr(0, e);
  s = e == std::string_view::npos ? std::string_view{} : s.substr(e + 1);
  return tok;
}

// Length of an ISO 8601 timestamp at the start of S ("2024-01-12T09:46:02.123+09:00",
// "2024-01-12 09:46:02"), 0 if none. T_ONLY: only the "T" form (a relay's header).
std::size_t iso_prefix(std::string_view s, bool t_only) {
  if (s.size() < 19) return 0;
  for (int k : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
    if (!is_ascii_digit(s[static_cast<std::size_t>(k)])) return 0;
  if (!((s[4] == '-' && s[7] == '-') || (s[4] == '/' && s[7] == '/'))) return 0;
  if (s[13] != ':' || s[16] != ':') return 0;
  if (s[10] != 'T' && (t_only || s[10] != ' ')) return 0;
  std::size_t i = 19;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    while (i < s.size() && is_ascii_digit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    std::size_t j = i + 1;
    while (j < s.size() && (is_ascii_digit(s[j]) || s[j] == ':') && j - i <= 6) ++j;
    if (j - i >= 3) i = j;
  }
  return i;
}

// "Mmm dd hh:mm:ss" (optionally "Mmm dd yyyy hh:mm:ss", fractions): its length, or 0.
std::size_t bsd_prefix(std::string_view s) {
  if (s.size() < 15) return 0;
  for (int k : {0, 1, 2})
    if (!((s[static_cast<std::size_t>(k)] | 0x20) >= 'a' &&
          (s[static_cast<std::size_t>(k)] | 0x20) <= 'z'))
      return 0;
  if (s[3] != ' ') return 0;
  std::size_t i = 4;
  if (s[i] == ' ') ++i;
  std::size_t d = i;
  while (i < s.size() && is_ascii_digit(s[i])) ++i;
  if (i == d || i - d > 2 || i >= s.size() || s[i] != ' ') return 0;
  ++i;
  // optional year
  if (i + 5 <= s.size() && is_ascii_digit(s[i]) && is_ascii_digit(s[i + 1]) &&
      is_ascii_digit(s[i + 2]) && is_ascii_digit(s[i + 3]) && s[i + 4] == ' ')
    i += 5;
  if (i + 8 > s.size()) return 0;
  if (!(is_ascii_digit(s[i]) && is_ascii_digit(s[i + 1]) && s[i + 2] == ':' &&
        is_ascii_digit(s[i + 3]) && is_ascii_digit(s[i + 4]) && s[i + 5] == ':' &&
        is_ascii_digit(s[i + 6]) && is_ascii_digit(s[i + 7])))
    return 0;
  i += 8;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_ascii_digit(s[i])) ++i;
  }
  return i;
}

// "app[pid]:" or "app:" at the start of S (the RFC 3164 TAG). Returns its length with the
// colon, or 0.
std::size_t tag_prefix(std::string_view s, std::string_view& app, std::string_view& pid) {
  std::size_t i = 0;
  while (i < s.size() && i < 64) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_ascii_digit(c) ||
                    c == '_' || c == '-' || c == '.' || c == '/';
    if (!ok) break;
    ++i;
  }
  if (i == 0 || i >= s.size()) return 0;
  app = s.substr(0, i);
  pid = {};
  if (s[i] == '[') {
    const std::size_t close = s.find(']', i);
    if (close == std::string_view::npos || close - i > 24) return 0;
    pid = s.substr(i + 1, close - i - 1);
    i = close + 1;
  }
  if (i >= s.size() || s[i] != ':') return 0;
  if (i + 1 < s.size() && s[i + 1] != ' ') return 0;
  return i + 1;
}

std::string_view after_space(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

// HOST then an optional TAG, as RFC 3164 and relays write them.
std::string_view host_and_tag(std::string_view rest, Envelope& env, bool with_host) {
  rest = after_space(rest);
  if (with_host) {
    std::string_view probe = rest;
    std::string_view host = take_token(probe);
    // A host is a name or an address, never a key=value pair or a vendor payload.
    if (!host.empty() && host.find('=') == std::string_view::npos && host.front() != '%' &&
        host.front() != '{' && host.find('|') == std::string_view::npos && host.back() != ':') {
      env.host = host;
      rest = probe;
    }
  }
  rest = after_space(rest);
  std::string_view app, pid;
  if (std::size_t n = tag_prefix(rest, app, pid)) {
    env.app = app;
    env.procid = pid;
    rest = after_space(rest.substr(n));
  }
  return rest;
}

}  // namespace

std::string_view parse_envelope(std::string_view line, Envelope& env, EnvelopeTime& et) {
  std::string_view s = line;
  // "<PRI>"
  if (s.size() > 2 && s[0] == '<') {
    std::size_t i = 1;
    int pri = 0;
    while (i < s.size() && i <= 4 && is_ascii_digit(s[i])) pri = pri * 10 + (s[i++] - '0');
    if (i > 1 && i < s.size() && s[i] == '>' && pri <= 191) {
      env.present = true;
      env.kind = "pri";
      env.pri = pri;
      s = s.substr(i + 1);
      // RFC 5424: VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD
      if (s.size() > 2 && s[0] == '1' && s[1] == ' ') {
        std::string_view r = s.substr(2);
        std::string_view ts = take_token(r);
        std::string_view host = take_token(r);
        std::string_view app = take_token(r);
        std::string_view procid = take_token(r);
        std::string_view msgid = take_token(r);
        if (!msgid.empty()) {
          env.kind = "rfc5424";
          if (ts != "-") {
            env.time_text = ts;
            if (auto t = parse_time_text(ts, false)) {
              et.has = true;
              et.civil = *t;
            }
          }
          env.host = host == "-" ? std::string_view{} : host;
          env.app = app == "-" ? std::string_view{} : app;
          env.procid = procid == "-" ? std::string_view{} : procid;
          env.msgid = msgid == "-" ? std::string_view{} : msgid;
          // STRUCTURED-DATA: "-" or one or more [id k="v" …] (']' escaped as "\]").
          std::size_t i2 = 0;
          if (!r.empty() && r[0] == '-') {
            i2 = 1;
          } else {
            while (i2 < r.size() && r[i2] == '[') {
              bool in_quote = false;
              std::size_t j = i2 + 1;
              for (; j < r.size(); ++j) {
                if (r[j] == '\\') {
                  ++j;
                  continue;
                }
                if (r[j] == '"') in_quote = !in_quote;
                if (r[j] == ']' && !in_quote) break;
              }
              if (j >= r.size()) break;
              i2 = j + 1;
            }
            env.structured = r.substr(0, i2);
          }
          r = r.substr(std::min(i2, r.size()));
          if (!r.empty() && r[0] == ' ') r.remove_prefix(1);
          if (r.size() >= 3 && static_cast<unsigned char>(r[0]) == 0xEF &&
              static_cast<unsigned char>(r[1]) == 0xBB && static_cast<unsigned char>(r[2]) == 0xBF)
            r.remove_prefix(3);  // the BOM RFC 5424 puts before a UTF-8 MSG
          return r;
        }
      }
      s = after_space(s);
    }
  }
  if (std::size_t n = bsd_prefix(s)) {
    std::optional<CivilTime> t = parse_rfc3164_time(s.substr(0, n));
    if (!t) t = parse_time_text(s.substr(0, n), false);
    if (t) {
      env.present = true;
      env.kind = "rfc3164";
      env.time_text = s.substr(0, n);
      et.has = true;
      et.civil = *t;
      std::string_view rest = s.substr(n);
      if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);  // ASA "logging timestamp"
      return host_and_tag(rest, env, true);
    }
  }
  if (std::size_t n = iso_prefix(s, false)) {
    const bool t_form = s[10] == 'T';
    std::string_view rest = s.substr(n);
    // A "YYYY-MM-DD hh:mm:ss" start is an envelope only when a space or ": " follows it
    // (not a CSV cell or a W3C row).
    if (!t_form && !(rest.size() > 1 && (rest[0] == ' ' || (rest[0] == ':' && rest[1] == ' '))))
      return line;
    if (t_form && !rest.empty() && rest[0] == ',') return line;
    if (auto t = parse_time_text(s.substr(0, n), false)) {
      env.present = true;
      env.kind = t_form ? "rfc3339" : "timestamp";
      env.time_text = s.substr(0, n);
      et.has = true;
      et.civil = *t;
      if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
      return host_and_tag(rest, env, t_form);
    }
  }
  return env.present ? s : line;
}

}  // namespace kk::netlog
