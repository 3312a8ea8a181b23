// Free-text messages: Cisco's "%ASA-6-302013: …" tag, and the addresses, ports, protocol
// and verdict such a sentence states. Generic on purpose: the same reading serves ASA,
// Yamaha RTX ("TCP 192.168.1.73:54791 > 203.0.113.13:443"), iptables-like and
// unknown products' text.
#include <array>

#include "core/ascii_case.hpp"
#include "core/ascii_digit.hpp"
#include "netlog/syntax.hpp"

namespace kk::netlog {

namespace {

bool is_hex(char c) {
  return is_ascii_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

// Length of a dotted IPv4 address at S[I], 0 if none.
std::size_t ipv4_at(std::string_view s, std::size_t i) {
  std::size_t j = i;
  for (int part = 0; part < 4; ++part) {
    std::size_t b = j;
    int v = 0;
    while (j < s.size() && is_ascii_digit(s[j]) && j - b < 3) v = v * 10 + (s[j++] - '0');
    if (j == b || v > 255) return 0;
    if (part < 3) {
      if (j >= s.size() || s[j] != '.') return 0;
      ++j;
    }
  }
  if (j < s.size() && is_ascii_digit(s[j])) return 0;
  return j - i;
}

struct Endpoint {
  std::string_view ip, port;
  std::size_t at = 0;
};

}  // namespace

bool is_ip(std::string_view s) {
  if (s.empty() || s.size() > 45) return false;
  if (ipv4_at(s, 0) == s.size()) return true;
  // IPv6: hex groups and colons (at least two), optionally an embedded IPv4 tail.
  int colons = 0;
  for (char c : s) {
    if (c == ':')
      ++colons;
    else if (!is_hex(c) && c != '.')
      return false;
  }
  return colons >= 2;
}

bool parse_cisco_tag(std::string_view s, FieldList& out) {
  // %ASA-6-302013: / %FTD-2-106001: / %NGIPS-1-430002:
  if (s.size() < 8 || s[0] != '%') return false;
  const std::size_t d1 = s.find('-');
  if (d1 == std::string_view::npos || d1 > 12) return false;
  const std::size_t d2 = s.find('-', d1 + 1);
  if (d2 == std::string_view::npos || d2 != d1 + 2 || !is_ascii_digit(s[d1 + 1])) return false;
  const std::size_t colon = s.find(':', d2);
  if (colon == std::string_view::npos || colon - d2 > 8) return false;
  for (std::size_t i = d2 + 1; i < colon; ++i)
    if (!is_ascii_digit(s[i])) return false;
  out.push_back({"cisco.facility", s.substr(1, d1 - 1)});
  out.push_back({"cisco.severity", s.substr(d1 + 1, 1)});
  out.push_back({"cisco.message_id", s.substr(d2 + 1, colon - d2 - 1)});
  std::string_view msg = s.substr(colon + 1);
  while (!msg.empty() && msg.front() == ' ') msg.remove_prefix(1);
  out.push_back({"message", msg});
  return true;
}

void extract_text_fields(std::string_view msg, FieldList& out) {
  std::array<Endpoint, 4> eps{};
  std::size_t count = 0;
  int src_idx = -1, dst_idx = -1, arrow_after = -1;
  for (std::size_t i = 0; i < msg.size() && count < eps.size(); ++i) {
    if (!is_ascii_digit(msg[i]) || (i > 0 && (is_ascii_digit(msg[i - 1]) || msg[i - 1] == '.')))
      continue;
    const std::size_t n = ipv4_at(msg, i);
    if (n == 0) continue;
    Endpoint ep{msg.substr(i, n), {}, i};
    std::size_t j = i + n;
    // Port after ':' '/' or, as Yamaha's NAT log writes it, '.'.
    if (j + 1 < msg.size() && (msg[j] == ':' || msg[j] == '/' || msg[j] == '.') &&
        is_ascii_digit(msg[j + 1])) {
      std::size_t k = j + 1;
      while (k < msg.size() && is_ascii_digit(msg[k]) && k - j <= 5) ++k;
      if (k - j - 1 <= 5) {
        ep.port = msg.substr(j + 1, k - j - 1);
        j = k;
      }
    }
    // The word before: "from"/"src" or "to"/"dst" (an "iface:" prefix may sit between).
    std::size_t w = i;
    while (w > 0 && msg[w - 1] != ' ') --w;
    std::size_t we = w > 0 ? w - 1 : 0;
    std::size_t wb = we;
    while (wb > 0 && msg[wb - 1] != ' ') --wb;
    std::string_view word = w > 0 ? msg.substr(wb, we - wb) : std::string_view{};
    if (iequals(word, "from") || iequals(word, "src") || iequals(word, "source") ||
        iequals(word, "client"))
      src_idx = src_idx < 0 ? static_cast<int>(count) : src_idx;
    else if (iequals(word, "to") || iequals(word, "dst") || iequals(word, "destination") ||
             iequals(word, "server"))
      dst_idx = dst_idx < 0 ? static_cast<int>(count) : dst_idx;
    else if ((word == ">" || word == "->" || word == "=>" || word == "<->") && count > 0 &&
             arrow_after < 0)
      arrow_after = static_cast<int>(count) - 1;
    eps[count++] = ep;
    i = j;
  }
  if (arrow_after >= 0 && src_idx < 0 && dst_idx < 0) {
    src_idx = arrow_after;
    dst_idx = arrow_after + 1;
  }
  if (src_idx < 0 && dst_idx < 0 && count >= 2) {
    src_idx = 0;
    dst_idx = 1;
  } else if (src_idx >= 0 && dst_idx < 0 && static_cast<std::size_t>(src_idx) + 1 < count) {
    dst_idx = src_idx + 1;
  } else if (dst_idx > 0 && src_idx < 0) {
    src_idx = dst_idx - 1;
  }
  if (count == 1 && src_idx < 0 && dst_idx < 0) out.push_back({"text.ip", eps[0].ip});
  if (src_idx >= 0 && static_cast<std::size_t>(src_idx) < count) {
    out.push_back({"text.src_ip", eps[static_cast<std::size_t>(src_idx)].ip});
    if (!eps[static_cast<std::size_t>(src_idx)].port.empty())
      out.push_back({"text.src_port", eps[static_cast<std::size_t>(src_idx)].port});
  }
  if (dst_idx >= 0 && static_cast<std::size_t>(dst_idx) < count) {
    out.push_back({"text.dst_ip", eps[static_cast<std::size_t>(dst_idx)].ip});
    if (!eps[static_cast<std::size_t>(dst_idx)].port.empty())
      out.push_back({"text.dst_port", eps[static_cast<std::size_t>(dst_idx)].port});
  }
  // Protocol and verdict words.
  struct Word {
    std::string_view word, field, value;
  };
  static constexpr Word kWords[] = {
      {"TCP", "text.protocol", "tcp"},       {"UDP", "text.protocol", "udp"},
      {"ICMP", "text.protocol", "icmp"},     {"denied", "text.action", "deny"},
      {"deny", "text.action", "deny"},       {"rejected", "text.action", "deny"},
      {"refused", "text.action", "deny"},    {"dropped", "text.action", "drop"},
      {"drop", "text.action", "drop"},       {"discarded", "text.action", "drop"},
      {"blocked", "text.action", "block"},   {"block", "text.action", "block"},
      {"permitted", "text.action", "allow"}, {"built", "text.action", "allow"},
      {"allowed", "text.action", "allow"},   {"accepted", "text.action", "allow"},
      {"teardown", "text.action", "allow"}};
  bool have_proto = false, have_action = false;
  std::size_t i = 0;
  while (i < msg.size() && !(have_proto && have_action)) {
    while (i < msg.size() && (msg[i] == ' ' || msg[i] == '(' || msg[i] == '[')) ++i;
    const std::size_t b = i;
    while (i < msg.size() && msg[i] != ' ' && msg[i] != ',' && msg[i] != ':' && msg[i] != '(' &&
           msg[i] != ')' && msg[i] != ']' && msg[i] != '[')
      ++i;
    std::string_view tok = msg.substr(b, i - b);
    if (i < msg.size()) ++i;
    if (tok.size() < 3 || tok.size() > 9) continue;
    for (const auto& w : kWords) {
      if (!iequals(tok, w.word)) continue;
      const bool proto = w.field == "text.protocol";
      if (proto && !have_proto) {
        out.push_back({w.field, w.value});
        have_proto = true;
      } else if (!proto && !have_action) {
        out.push_back({w.field, w.value});
        have_action = true;
      }
      break;
    }
  }
}

}  // namespace kk::netlog
