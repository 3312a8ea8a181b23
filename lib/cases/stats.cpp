#include "cases/stats.hpp"

#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <set>

#include "cases/tree.hpp"
#include "core/ascii_case.hpp"
#include "core/csv.hpp"
#include "core/hash.hpp"
#include "core/json_writer.hpp"
#include "notice/anonymize.hpp"
#include "notice/case_file.hpp"

namespace kk::cases {
namespace {

constexpr std::size_t kMaxFile = 512u << 20;

std::optional<std::string> read_in_tree(int dir_fd, const std::string& rel) {
  int fd = open_in_tree(dir_fd, rel);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0 || out.size() + static_cast<std::size_t>(n) > kMaxFile) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string random_key() {
  std::random_device rd;
  std::string k;
  for (int i = 0; i < 4; ++i) k += std::to_string(rd());
  return k;
}

bool contains_ci(std::string_view hay, std::string_view needle) {
  if (needle.empty() || needle.size() > hay.size()) return false;
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return ascii_lower(a) == ascii_lower(b); }) != hay.end();
}

// Addresses that are never public, beyond what the anonymizer's internal ranges cover.
bool non_public_ip(std::string_view ip) {
  for (std::string_view p : {"127.", "0.", "255.", "169.254.", "::1", "fe80:", "224.", "239."})
    if (ip.starts_with(p)) return true;
  return ip.find('.') == std::string_view::npos && ip.find(':') == std::string_view::npos;
}

bool internal_domain(std::string_view d) {
  if (d.find('.') == std::string_view::npos) return true;  // a single label: the LAN's
  for (std::string_view s :
       {".local", ".lan", ".corp", ".internal", ".intra", ".home", ".localdomain"})
    if (iends_with(d, s)) return true;
  return false;
}

struct Collector {
  notice::Anonymizer anon{random_key()};
  std::vector<std::string> identifying;
  std::string month, os;
  std::set<std::pair<std::string, std::string>> seen;
  ExtractedFacts out;

  bool clean(std::string_view v) const {
    if (v.empty() || anon.text(v) != v) return false;
    for (const auto& s : identifying)
      if (contains_ci(v, s)) return false;
    return true;
  }
  void add(std::string kind, std::string value, std::string detail = {}) {
    if (!clean(value) || (!detail.empty() && !clean(detail))) {
      ++out.dropped;
      return;
    }
    if (!seen.emplace(kind, value).second) return;
    out.facts.push_back({month, os, std::move(kind), std::move(value), std::move(detail)});
  }
};

std::string_view str(simdjson::dom::element e, const char* key) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) return {};
  return v;
}

void from_notice(Collector& col, simdjson::dom::element notice) {
  simdjson::dom::array iocs;
  if (notice["iocs"].get(iocs) != simdjson::SUCCESS) return;
  for (auto ioc : iocs) {
    std::string_view type = str(ioc, "type"), value = str(ioc, "value");
    if (value.empty()) continue;
    std::string v(value);
    if (type == "sha256" || type == "sha1" || type == "md5") {
      if (is_hex_digest(v, type == "sha256" ? 64 : type == "sha1" ? 40 : 32))
        col.add(std::string(type), ascii_lower(v));
    } else if (type == "file_name") {
      col.add("file_name", v);
    } else if (type == "ip") {
      if (!non_public_ip(v)) col.add("ip", v);
    } else if (type == "domain") {
      if (!internal_domain(v)) col.add("domain", ascii_lower(v));
    } else if (type == "url") {
      auto scheme = v.find("://");
      std::string host = scheme == std::string::npos ? "" : v.substr(scheme + 3);
      host = host.substr(0, host.find_first_of("/:?#"));
      if (!host.empty() && !internal_domain(host) && !non_public_ip(host)) col.add("url", v);
    }
    // Paths, accounts, services, tasks and registry keys name the customer's machine: not kept.
  }
}

void from_findings(Collector& col, std::string_view text) {
  simdjson::dom::parser parser;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    simdjson::dom::element f;
    if (line.empty() || parser.parse(line.data(), line.size()).get(f) != simdjson::SUCCESS)
      continue;
    simdjson::dom::element rule;
    if (f["rule"].get(rule) == simdjson::SUCCESS) {
      std::string id(str(rule, "id"));
      if (!id.empty()) col.add("rule_id", id, std::string(str(rule, "name")));
    }
    simdjson::dom::array attack;
    if (f["attack"].get(attack) == simdjson::SUCCESS)
      for (auto a : attack) {
        std::string_view t;
        if (a.get(t) == simdjson::SUCCESS) col.add("attack_technique", std::string(t));
      }
    simdjson::dom::array evidence;
    if (f["evidence"].get(evidence) == simdjson::SUCCESS)
      for (auto e : evidence) {
        simdjson::dom::element fields;
        if (e["fields"].get(fields) != simdjson::SUCCESS) continue;
        for (const char* k : {"Threat Name", "ThreatName", "threat_name"}) {
          std::string_view t = str(fields, k);
          if (!t.empty()) col.add("threat_name", std::string(t));
        }
      }
  }
}

notice::CaseFile intake_of(const CaseRow& c) {
  return notice::parse_case(c.case_json, kDefaultTz, notice::Lang::kEn).value;
}

}  // namespace

std::vector<std::string> identifying_strings(const CaseDir& case_dir, const CaseRow& c,
                                             const std::vector<HostRow>& hosts) {
  notice::CaseFile intake = intake_of(c);
  std::set<std::string> out;
  auto add = [&](std::string_view v) {
    if (v.size() >= 3) out.emplace(v);
  };
  for (const char* k :
       {"customer.company", "customer.department", "customer.contact_person", "customer.phone",
        "customer.email", "customer.responsible_person", "incident.target_device"})
    add(intake.get(k));
  add(c.customer);
  std::string_view email = intake.get("customer.email");
  if (auto at = email.find('@'); at != std::string_view::npos) add(email.substr(at + 1));
  for (const HostRow& h : hosts) {
    add(h.host);
    auto notice_text = read_in_tree(case_dir.fd(), h.host + "/notice.json");
    if (!notice_text) continue;
    simdjson::dom::parser parser;
    simdjson::dom::element n;
    if (parser.parse(*notice_text).get(n) != simdjson::SUCCESS) continue;
    add(str(n, "host"));
    simdjson::dom::array iocs;
    if (n["iocs"].get(iocs) != simdjson::SUCCESS) continue;
    for (auto ioc : iocs) {
      if (str(ioc, "type") != "account") continue;
      std::string_view v = str(ioc, "value");
      auto bs = v.rfind('\\');
      add(bs == std::string_view::npos ? v : v.substr(bs + 1));
      if (bs != std::string_view::npos) add(v.substr(0, bs));
    }
  }
  return {out.begin(), out.end()};
}

ExtractedFacts extract_facts(const CaseDir& case_dir, const CaseRow& c,
                             const std::vector<HostRow>& hosts) {
  Collector col;
  notice::CaseFile intake = intake_of(c);
  col.anon.learn_case(intake);
  col.identifying = identifying_strings(case_dir, c, hosts);
  for (const auto& s : col.identifying) col.anon.learn(notice::Category::kTerm, s);
  for (const HostRow& h : hosts) col.anon.learn(notice::Category::kHost, h.host);
  if (intake.detected_at != 0) col.month = format_iso(intake.detected_at).substr(0, 7);
  std::string os(intake.get("device.os"));
  col.os = col.clean(os) ? os : "";
  std::string threat(intake.get("detection.threat_name"));
  if (!threat.empty()) col.add("threat_name", threat);
  for (const HostRow& h : hosts) {
    auto notice_text = read_in_tree(case_dir.fd(), h.host + "/notice.json");
    if (notice_text) {
      simdjson::dom::parser parser;
      simdjson::dom::element n;
      if (parser.parse(*notice_text).get(n) == simdjson::SUCCESS) from_notice(col, n);
    }
    if (auto findings = read_in_tree(case_dir.fd(), h.host + "/findings.jsonl"))
      from_findings(col, *findings);
  }
  return std::move(col.out);
}

std::string render_facts(const std::vector<StatsFact>& facts, const std::string& format) {
  std::string out;
  if (format == "csv") {
    out = "incident_month,os,kind,value,detail\n";
    for (const StatsFact& f : facts) {
      append_csv_field(out, f.incident_month);
      for (const std::string* v : {&f.os, &f.kind, &f.value, &f.detail}) {
        out.push_back(',');
        append_csv_field(out, *v);
      }
      out.push_back('\n');
    }
    return out;
  }
  for (const StatsFact& f : facts) {
    JsonWriter w(out);
    w.begin_object();
    w.field("artifact", "malware_fact");
    w.field("incident_month", f.incident_month);
    w.field("os", f.os);
    w.field("kind", f.kind);
    w.field("value", f.value);
    w.field("detail", f.detail);
    w.end_object();
    w.end_line();
  }
  return out;
}

}  // namespace kk::cases

#include "cases/case_folder.hpp"
#include "cases/commands.hpp"

namespace kk::cases {

Outcome stats_root(const Context& ctx, const std::string& root, const std::string& format) {
  if (format != "csv" && format != "jsonl")
    return Outcome::failed("--format: \"" + format + "\" is not csv or jsonl", 2);
  auto registry = open_registry(ctx, root);
  Outcome o;
  o.out = render_facts(registry->facts(), format);
  return o;
}

}  // namespace kk::cases
