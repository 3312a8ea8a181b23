#include "notice/anonymize.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <utility>

#include "core/ascii_case.hpp"
#include "core/json_writer.hpp"
#include "notice/case_file.hpp"
#include "notice/hmac_sha256.hpp"

namespace kk::notice {

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Built-in Windows principals and placeholders: not personal, and replacing them would
// hide what happened ("SYSTEM created a service").
bool is_builtin_name(std::string_view folded) {
  static constexpr std::array<std::string_view, 34> kKeep{"-",
                                                          "system",
                                                          "local service",
                                                          "network service",
                                                          "anonymous logon",
                                                          "nt authority",
                                                          "builtin",
                                                          "workgroup",
                                                          "administrator",
                                                          "administrators",
                                                          "guest",
                                                          "defaultaccount",
                                                          "wdagutilityaccount",
                                                          "localsystem",
                                                          "local system",
                                                          "window manager",
                                                          "font driver host",
                                                          "nt service",
                                                          "iusr",
                                                          "users",
                                                          "everyone",
                                                          "null",
                                                          "n/a",
                                                          "unknown",
                                                          "localhost",
                                                          "public",
                                                          "default",
                                                          "all users",
                                                          "default user",
                                                          "trustedinstaller",
                                                          "true",
                                                          "false",
                                                          "none",
                                                          "nt virtual machine"};
  if (std::find(kKeep.begin(), kKeep.end(), folded) != kKeep.end()) return true;
  // Per-session virtual accounts: DWM-1, UMFD-0.
  for (std::string_view p : {"dwm-", "umfd-"})
    if (folded.substr(0, p.size()) == p) return true;
  return false;
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::string_view category_name(Category c) {
  switch (c) {
    case Category::kCustomer:
      return "org";
    case Category::kPerson:
      return "person";
    case Category::kHost:
      return "host";
    case Category::kUser:
      return "user";
    case Category::kDomain:
      return "dom";
    case Category::kEmail:
      return "mail";
    case Category::kPhone:
      return "tel";
    case Category::kIp:
      return "ip";
    case Category::kTerm:
      return "name";
  }
  return "name";
}

// Record keys whose values name hosts, users and domains (parser records, timeline
// events, EVTX EventData, finding evidence fields).
enum class KeyRole { kNone, kHost, kUser, kDomain, kProtected };

KeyRole role_of(std::string_view key) {
  static constexpr std::array<std::string_view, 10> kHost{
      "host",         "computer", "Computer",    "WorkstationName", "Workstation",
      "ComputerName", "hostname", "MachineName", "SourceHostname",  "computer_name"};
  static constexpr std::array<std::string_view, 12> kUser{
      "user",       "TargetUserName", "SubjectUserName",   "AccountName",
      "UserName",   "User",           "username",          "accounts",
      "TargetUser", "SamAccountName", "OldTargetUserName", "NewTargetUserName"};
  static constexpr std::array<std::string_view, 5> kDomain{
      "TargetDomainName", "SubjectDomainName", "AccountDomain", "domain_name", "TargetUserDomain"};
  // Malware facts and record structure that must survive as they are.
  static constexpr std::array<std::string_view, 16> kProtected{
      "sha1",           "sha256",   "md5",      "sha",     "hashes",   "collector_sha256",
      "prefetch_hash",  "rule",     "attack",   "tags",    "artifact", "data_type",
      "timestamp_desc", "question", "severity", "datetime"};
  if (std::find(kHost.begin(), kHost.end(), key) != kHost.end()) return KeyRole::kHost;
  if (std::find(kUser.begin(), kUser.end(), key) != kUser.end()) return KeyRole::kUser;
  if (std::find(kDomain.begin(), kDomain.end(), key) != kDomain.end()) return KeyRole::kDomain;
  if (std::find(kProtected.begin(), kProtected.end(), key) != kProtected.end())
    return KeyRole::kProtected;
  return KeyRole::kNone;
}

// RFC 1918, CGNAT (RFC 6598) and link-local (RFC 3927) addresses identify the customer's
// network; loopback, unspecified and public addresses do not (public ones are IOCs).
bool is_internal_v4(unsigned a, unsigned b) {
  return a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) ||
         (a == 100 && b >= 64 && b <= 127) || (a == 169 && b == 254);
}

// Reads an IPv4 dotted quad at S[I]; returns its length or 0.
std::size_t read_ipv4(std::string_view s, std::size_t i, unsigned oct[4]) {
  std::size_t p = i;
  for (int k = 0; k < 4; ++k) {
    std::size_t start = p;
    unsigned v = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9' && p - start < 3) v = v * 10 + (s[p++] - '0');
    if (p == start || v > 255) return 0;
    oct[k] = v;
    if (k < 3) {
      if (p >= s.size() || s[p] != '.') return 0;
      ++p;
    }
  }
  // Not part of a longer dotted number (a version such as 10.0.19041.1).
  if (p < s.size() && ((s[p] >= '0' && s[p] <= '9') ||
                       (s[p] == '.' && p + 1 < s.size() && s[p + 1] >= '0' && s[p + 1] <= '9')))
    return 0;
  return p - i;
}

bool starts_with_folded(std::string_view s, std::size_t i, std::string_view lower_prefix) {
  if (s.size() - i < lower_prefix.size()) return false;
  for (std::size_t k = 0; k < lower_prefix.size(); ++k) {
    if (ascii_lower(s[i + k]) != lower_prefix[k]) return false;
  }
  return true;
}

// At a separator S[I]: the user name of "\Users\<name>" or "\Documents and Settings\<name>"
// that follows, as [begin, end) in S (the name ends at a separator or a quote).
std::optional<std::pair<std::size_t, std::size_t>> profile_name(std::string_view s, std::size_t i) {
  if (s[i] != '\\' && s[i] != '/') return std::nullopt;
  auto separator = [&](std::size_t k) { return k < s.size() && (s[k] == '\\' || s[k] == '/'); };
  std::size_t name_at = 0;
  if (starts_with_folded(s, i + 1, "users") && separator(i + 6))
    name_at = i + 7;
  else if (starts_with_folded(s, i + 1, "documents and settings") && separator(i + 23))
    name_at = i + 24;
  if (!name_at) return std::nullopt;
  std::size_t end = name_at;
  while (end < s.size() && s[end] != '\\' && s[end] != '/' && s[end] != '"' && s[end] != '\'')
    ++end;
  return std::make_pair(name_at, end);
}

bool is_email_local(char c) {
  return is_identifier_char(c) || c == '.' || c == '+' || c == '%';
}

}  // namespace

Anonymizer::Anonymizer(std::string key) : key_(std::move(key)) {}

std::string Anonymizer::pseudonym(Category category, std::string_view value) const {
  std::string msg(category_name(category));
  msg.push_back('\0');
  msg += ascii_lower(value);
  Digest256 d = hmac_sha256(key_, msg);
  char buf[64];
  switch (category) {
    case Category::kIp:
      std::snprintf(buf, sizeof buf, "10.%u.%u.%u", d[0], d[1], 1u + d[2] % 254u);
      return buf;
    case Category::kEmail:
      std::snprintf(buf, sizeof buf, "mail-%02x%02x%02x%02x@example.invalid", d[0], d[1], d[2],
                    d[3]);
      return buf;
    default:
      std::snprintf(buf, sizeof buf, "%s-%02x%02x%02x%02x",
                    std::string(category_name(category)).c_str(), d[0], d[1], d[2], d[3]);
      return buf;
  }
}

void Anonymizer::learn(Category category, std::string_view value) {
  value = trim(value);
  std::string f = ascii_lower(value);
  if (value.size() < 2 || all_digits(value) || is_builtin_name(f)) return;
  bool simple = std::all_of(value.begin(), value.end(), is_identifier_char);
  if (simple) {
    terms_.emplace(f, category);
    return;
  }
  if (category == Category::kHost) {  // "pc01.corp.example": the short name stands alone too
    auto dot = value.find('.');
    if (dot != std::string_view::npos) learn(Category::kHost, value.substr(0, dot));
  }
  if (std::none_of(phrases_.begin(), phrases_.end(), [&](const auto& p) { return p.first == f; })) {
    phrases_.emplace_back(f, category);
    std::sort(phrases_.begin(), phrases_.end(),
              [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  }
}

void Anonymizer::learn_account(std::string_view value, Category category) {
  value = trim(value);
  auto bs = value.find('\\');
  if (bs != std::string_view::npos) {  // DOMAIN\user
    learn(Category::kDomain, value.substr(0, bs));
    value = value.substr(bs + 1);
  }
  if (value.find('@') != std::string_view::npos) return;  // a UPN: the e-mail pattern covers it
  if (!value.empty() && value.back() == '$') {            // machine account PC01$
    learn(Category::kHost, value.substr(0, value.size() - 1));
    return;
  }
  learn(category, value);
}

void Anonymizer::learn_paths(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto name = profile_name(s, i);
    if (!name) continue;
    learn(Category::kUser, s.substr(name->first, name->second - name->first));
    i = name->second - 1;
  }
}

void Anonymizer::learn_record(simdjson::dom::element record) {
  // Depth-first over the record; the key that holds a value decides its role.
  struct Frame {
    simdjson::dom::element e;
    KeyRole role;
  };
  std::vector<Frame> stack{{record, KeyRole::kNone}};
  while (!stack.empty()) {
    Frame f = stack.back();
    stack.pop_back();
    if (f.role == KeyRole::kProtected) continue;
    simdjson::dom::object obj;
    simdjson::dom::array arr;
    std::string_view str;
    if (f.e.get(obj) == simdjson::SUCCESS) {
      for (auto [k, v] : obj) stack.push_back({v, role_of(k)});
    } else if (f.e.get(arr) == simdjson::SUCCESS) {
      for (auto v : arr) stack.push_back({v, f.role});
    } else if (f.e.get(str) == simdjson::SUCCESS) {
      if (f.role == KeyRole::kHost) learn_account(str, Category::kHost);
      if (f.role == KeyRole::kUser) learn_account(str, Category::kUser);
      if (f.role == KeyRole::kDomain) learn(Category::kDomain, str);
      learn_paths(str);
    }
  }
}

void Anonymizer::learn_case(const CaseFile& c) {
  learn(Category::kCustomer, c.get("customer.company"));
  learn(Category::kCustomer, c.get("customer.department"));
  learn(Category::kPerson, c.get("customer.contact_person"));
  learn(Category::kPerson, c.get("customer.responsible_person"));
  learn(Category::kPhone, c.get("customer.phone"));
  learn(Category::kHost, c.get("incident.target_device"));
  for (const auto& f : c.list("detection.suspect_files")) learn_paths(f);
}

std::string Anonymizer::replace_patterns(std::string_view s) const {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    char prev = i ? s[i - 1] : ' ';
    // E-mail: local part already copied; rewind over it when an '@' follows.
    if (c == '@' && i > 0 && is_email_local(prev)) {
      std::size_t ls = out.size();
      while (ls > 0 && is_email_local(out[ls - 1])) --ls;
      std::size_t d = i + 1;
      while (d < s.size() && (is_identifier_char(s[d]) || s[d] == '.')) ++d;
      while (d > i + 1 && s[d - 1] == '.') --d;  // a sentence's full stop
      std::size_t last_dot = s.substr(0, d).rfind('.');
      if (last_dot != std::string_view::npos && last_dot > i + 1 && d - last_dot >= 3) {
        std::string email = out.substr(ls) + std::string(s.substr(i, d - i));
        out.resize(ls);
        out += pseudonym(Category::kEmail, email);
        i = d;
        continue;
      }
    }
    // Profile paths: \Users\<name>\ and \Documents and Settings\<name>\.
    if (auto span = profile_name(s, i)) {
      auto [name_at, end] = *span;
      std::string_view name = s.substr(name_at, end - name_at);
      out.append(s.substr(i, name_at - i));
      if (!name.empty() && !is_builtin_name(ascii_lower(name)) && name.substr(0, 5) != "user-")
        out += pseudonym(Category::kUser, name);
      else
        out.append(name);
      i = end;
      continue;
    }
    // Domain SIDs: S-1-5-21-<a>-<b>-<c>: the three sub-authorities name the domain; the
    // RID after them (500 = Administrator) is kept.
    if ((c == 'S' || c == 's') && !is_identifier_char(prev) &&
        starts_with_folded(s, i, "s-1-5-21-")) {
      std::size_t p = i + 9;
      int parts = 0;
      while (parts < 3 && p < s.size() && s[p] >= '0' && s[p] <= '9') {
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
        ++parts;
        if (parts < 3) {
          if (p < s.size() && s[p] == '-')
            ++p;
          else
            break;
        }
      }
      if (parts == 3) {
        Digest256 d = hmac_sha256(key_, "sid:" + std::string(s.substr(i + 9, p - i - 9)));
        char buf[64];
        auto u32 = [&](int k) {
          return (std::uint32_t{d[4 * k]} << 24 | std::uint32_t{d[4 * k + 1]} << 16 |
                  std::uint32_t{d[4 * k + 2]} << 8 | d[4 * k + 3]) %
                 1000000000u;
        };
        std::snprintf(buf, sizeof buf, "S-1-5-21-%u-%u-%u", u32(0), u32(1), u32(2));
        out += buf;
        i = p;
        continue;
      }
    }
    // IPv4.
    if (c >= '0' && c <= '9' && !(prev >= '0' && prev <= '9') && prev != '.' &&
        !((prev >= 'a' && prev <= 'z') || (prev >= 'A' && prev <= 'Z'))) {
      unsigned oct[4];
      std::size_t n = read_ipv4(s, i, oct);
      if (n) {
        if (is_internal_v4(oct[0], oct[1]))
          out += pseudonym(Category::kIp, s.substr(i, n));
        else
          out.append(s.substr(i, n));
        i += n;
        continue;
      }
    }
    // IPv6 unique-local (fc00::/7) and link-local (fe80::/10).
    if (is_hex(c) && !is_identifier_char(prev) && prev != ':' &&
        (starts_with_folded(s, i, "fe8") || starts_with_folded(s, i, "fe9") ||
         starts_with_folded(s, i, "fea") || starts_with_folded(s, i, "feb") ||
         starts_with_folded(s, i, "fc") || starts_with_folded(s, i, "fd"))) {
      std::size_t p = i, colons = 0, group = 0;
      bool ok = true;
      while (p < s.size() && (is_hex(s[p]) || s[p] == ':')) {
        if (s[p] == ':') {
          ++colons;
          group = 0;
        } else if (++group > 4) {
          ok = false;
        }
        ++p;
      }
      std::size_t first_colon = s.find(':', i);
      if (ok && colons >= 2 && first_colon != std::string_view::npos && first_colon - i <= 4 &&
          (p >= s.size() || !is_identifier_char(s[p]))) {
        Digest256 d = hmac_sha256(key_, "ip6:" + ascii_lower(s.substr(i, p - i)));
        char buf[64];
        std::snprintf(buf, sizeof buf, "fd00:%02x%02x:%02x%02x::%02x%02x", d[0], d[1], d[2], d[3],
                      d[4], d[5]);
        out += buf;
        i = p;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

std::string Anonymizer::replace_terms(std::string_view s) const {
  std::string work(s);
  // Phrases first (names with spaces or Japanese characters), longest first.
  for (const auto& [phrase, cat] : phrases_) {
    std::string folded = ascii_lower(work);
    std::string rebuilt;
    std::size_t from = 0, hit;
    bool ascii =
        std::all_of(phrase.begin(), phrase.end(), [](char ch) { return (ch & 0x80) == 0; });
    while ((hit = folded.find(phrase, from)) != std::string::npos) {
      std::size_t end = hit + phrase.size();
      bool bounded = !ascii || ((hit == 0 || !is_identifier_char(work[hit - 1])) &&
                                (end >= work.size() || !is_identifier_char(work[end])));
      rebuilt.append(work, from, hit - from);
      rebuilt += bounded ? pseudonym(cat, phrase) : work.substr(hit, phrase.size());
      from = end;
    }
    if (from == 0) continue;
    rebuilt.append(work, from, std::string::npos);
    work = std::move(rebuilt);
  }
  if (terms_.empty()) return work;
  std::string out;
  out.reserve(work.size());
  std::size_t i = 0;
  while (i < work.size()) {
    if (!is_identifier_char(work[i])) {
      out.push_back(work[i++]);
      continue;
    }
    std::size_t j = i;
    while (j < work.size() && is_identifier_char(work[j])) ++j;
    std::string_view token(work.data() + i, j - i);
    auto it = terms_.find(ascii_lower(token));
    bool hash_like = token.size() >= 16 && std::all_of(token.begin(), token.end(), is_hex);
    if (hash_like) {
      out.append(token);
    } else if (it != terms_.end()) {
      out += pseudonym(it->second, token);
    } else {
      // Names joined by '_' in file names: CDIR-C's "<user>_NTUSER.dat" and the bundle
      // folder "<host>_<timestamp>".
      std::size_t from = 0;
      while (from <= token.size()) {
        std::size_t us = token.find('_', from);
        if (us == std::string_view::npos) us = token.size();
        std::string_view part = token.substr(from, us - from);
        auto p = part.empty() ? terms_.end() : terms_.find(ascii_lower(part));
        out += p != terms_.end() ? pseudonym(p->second, part) : std::string(part);
        if (us < token.size()) out.push_back('_');
        from = us + 1;
      }
    }
    i = j;
  }
  return out;
}

std::string Anonymizer::text(std::string_view s) const {
  return replace_terms(replace_patterns(s));
}

void Anonymizer::write_value(std::string& out, simdjson::dom::element v, bool protect) const {
  switch (v.type()) {
    case simdjson::dom::element_type::OBJECT: {
      out.push_back('{');
      bool first = true;
      for (auto [k, val] : simdjson::dom::object(v)) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, k);
        out.push_back(':');
        write_value(out, val, protect || role_of(k) == KeyRole::kProtected);
      }
      out.push_back('}');
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      out.push_back('[');
      bool first = true;
      for (auto val : simdjson::dom::array(v)) {
        if (!first) out.push_back(',');
        first = false;
        write_value(out, val, protect);
      }
      out.push_back(']');
      return;
    }
    case simdjson::dom::element_type::STRING: {
      std::string_view s(v);
      append_json_string(out, protect ? std::string(s) : text(s));
      return;
    }
    default:
      out += simdjson::to_string(v);  // numbers, booleans and null as they were
      return;
  }
}

std::string Anonymizer::record(simdjson::dom::element record) const {
  std::string out;
  write_value(out, record, false);
  return out;
}

}  // namespace kk::notice
