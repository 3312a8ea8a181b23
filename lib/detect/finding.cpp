#include "detect/finding.hpp"

#include <algorithm>
#include <map>

#include "core/json_writer.hpp"
#include "core/product_labels.hpp"
#include "detect/value_matcher.hpp"

namespace kk::detect {

namespace {

constexpr std::size_t kMaxEvidenceFields = 16;
constexpr std::size_t kMaxValueBytes = 1024;
constexpr std::size_t kMaxIocsPerKind = 50;

// Fields an analyst looks at first, shown after the rule's own fields when present.
constexpr std::string_view kKeyFields[] = {"Image",
                                           "CommandLine",
                                           "ParentImage",
                                           "ParentCommandLine",
                                           "User",
                                           "TargetFilename",
                                           "TargetObject",
                                           "Details",
                                           "NewProcessName",
                                           "ParentProcessName",
                                           "SubjectUserName",
                                           "TargetUserName",
                                           "TargetDomainName",
                                           "IpAddress",
                                           "WorkstationName",
                                           "LogonType",
                                           "ServiceName",
                                           "ImagePath",
                                           "ServiceFileName",
                                           "TaskName",
                                           "ScriptBlockText",
                                           "Path",
                                           "Threat Name",
                                           "QueryName",
                                           "DestinationIp",
                                           "DestinationPort",
                                           "Hashes",
                                           "path",
                                           "executable",
                                           "name",
                                           "sha1",
                                           "run_count",
                                           "reasons",
                                           "zone_identifier",
                                           "value",
                                           "command"};

std::string truncate_utf8(std::string_view v) {
  if (v.size() <= kMaxValueBytes) return std::string(v);
  std::size_t n = kMaxValueBytes;
  while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;  // keep whole characters
  return std::string(v.substr(0, n)) + "…";
}

std::string_view ioc_kind(std::string_view field) {
  static const std::map<std::string_view, std::string_view> kinds = {
      {"Image", "paths"},
      {"NewProcessName", "paths"},
      {"TargetFilename", "paths"},
      {"ImageLoaded", "paths"},
      {"ImagePath", "paths"},
      {"ServiceFileName", "paths"},
      {"Path", "paths"},
      {"path", "paths"},
      {"executable", "files"},
      {"Application", "paths"},
      {"ProcessName", "paths"},
      {"Hashes", "hashes"},
      {"Hash", "hashes"},
      {"sha1", "hashes"},
      {"sha256", "hashes"},
      {"md5", "hashes"},
      {"IpAddress", "ips"},
      {"SourceIp", "ips"},
      {"DestinationIp", "ips"},
      {"SourceAddress", "ips"},
      {"DestAddress", "ips"},
      {"ClientAddress", "ips"},
      {"Address", "ips"},
      {"SourceNetworkAddress", "ips"},
      {"src_ip", "ips"},
      {"dst_ip", "ips"},
      {"QueryName", "domains"},
      {"DestinationHostname", "domains"},
      {"ServiceName", "services"},
      {"service", "services"},
      {"TaskName", "tasks"},
      {"task", "tasks"},
      {"TargetUserName", "accounts"},
      {"SubjectUserName", "accounts"},
      {"User", "accounts"},
      {"AccountName", "accounts"},
      {"user", "accounts"}};
  auto it = kinds.find(field);
  return it == kinds.end() ? std::string_view{} : it->second;
}

// A field's value as a summary or title shows it: a network log's product id ("fortigate")
// is named as its vendor does ("FortiGate").
std::string shown_value(const Event& e, std::string_view name, const Field& f) {
  if (name == "product" && e.artifact == "netlog") return std::string(product_label(f.value));
  return truncate_utf8(f.value);
}

std::string render_summary(const RuleInfo& rule, const Event& e,
                           const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  if (!rule.summary.empty()) {
    const std::string& t = rule.summary;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '{') {
        std::size_t j = t.find('}', i);
        if (j != std::string::npos) {
          std::string_view name = std::string_view(t).substr(i + 1, j - i - 1);
          const Field* f = e.find(name);
          if (!f && j + 1 == t.size() && !out.empty() && out.back() == ' ') {
            out.pop_back();  // an optional last field ("{host}"): no dangling "-"
            break;
          }
          out += f ? shown_value(e, name, *f) : "-";
          i = j;
          continue;
        }
      }
      out.push_back(t[i]);
    }
    return out;
  }
  if (e.event_id)
    out = std::to_string(*e.event_id);
  else
    out = std::string(e.artifact);
  std::size_t shown = 0;
  for (const auto& [k, v] : fields) {
    if (shown++ == 3) break;
    out += " " + k + "=" + (v.size() > 200 ? v.substr(0, 200) + "…" : v);
  }
  return out;
}

}  // namespace

IocList ioc_list(const Event& e) {
  IocList out;
  for (const Field& f : e.fields) {
    std::string_view kind = ioc_kind(f.name);
    if (kind.empty() || f.value.empty() || f.value == "-") continue;
    if (kind == "paths") {
      out.emplace_back(kind, truncate_utf8(f.value));
      std::string_view base = f.value.substr(f.value.find_last_of("\\/") + 1);
      if (!base.empty()) out.emplace_back("files", truncate_utf8(base));
    } else if (kind == "hashes" && f.name == "Hashes") {
      // Sysmon: "SHA1=…,MD5=…,SHA256=…,IMPHASH=…"; IMPHASH is not a file hash.
      std::string_view v = f.value;
      while (!v.empty()) {
        std::size_t comma = v.find(',');
        std::string_view part = v.substr(0, comma);
        std::size_t eq = part.find('=');
        if (eq != std::string_view::npos && !part.starts_with("IMPHASH"))
          out.emplace_back(kind, ascii_lower(part.substr(eq + 1)));
        if (comma == std::string_view::npos) break;
        v.remove_prefix(comma + 1);
      }
    } else if (kind == "hashes") {
      out.emplace_back(kind, std::string(f.lower));
    } else if (kind == "ips") {
      unsigned char ip[16];
      bool v6;
      if (parse_ip(f.value, ip, &v6) && f.value != "127.0.0.1" && f.value != "::1" &&
          f.value != "0.0.0.0")
        out.emplace_back(kind, std::string(f.value));
    } else {
      out.emplace_back(kind, truncate_utf8(f.value));
    }
  }
  return out;
}

void Iocs::add(std::uint8_t kind, std::string_view value) {
  if (counts[kind] >= kMaxIocsPerKind) return;
  auto it = std::lower_bound(
      items.begin(), items.end(), std::pair(kind, value), [](const auto& item, const auto& key) {
        return item.first != key.first ? item.first < key.first : item.second < key.second;
      });
  if (it != items.end() && it->first == kind && it->second == value) return;
  items.emplace(it, kind, std::string(value));
  ++counts[kind];
}

void Iocs::add(const IocList& list) {
  for (const auto& [kind, value] : list) {
    auto k = std::find(kIocKinds.begin(), kIocKinds.end(), kind);
    if (k != kIocKinds.end()) add(static_cast<std::uint8_t>(k - kIocKinds.begin()), value);
  }
}

void Iocs::merge(const Iocs& o) {
  for (const auto& [kind, value] : o.items) add(kind, value);
}

Evidence make_evidence(const RuleInfo& rule, const std::vector<std::string>& key_fields,
                       const Event& e) {
  std::vector<std::pair<std::string, std::string>> fields;
  auto add = [&](std::string_view name) {
    if (fields.size() >= kMaxEvidenceFields) return;
    for (const auto& kv : fields)
      if (kv.first == name) return;
    std::string joined;
    bool any = false;
    for (const Field& f : e.fields)
      if (f.name == name) {
        if (any) joined += " | ";
        joined += f.value;
        any = true;
        if (joined.size() > kMaxValueBytes) break;
      }
    if (any) fields.emplace_back(std::string(name), truncate_utf8(joined));
  };
  for (const auto& f : key_fields) add(f);
  for (const auto& f : rule.group_by) add(f);
  for (const auto& f : rule.fields) add(f);
  for (std::string_view f : kKeyFields) add(f);

  Evidence ev;
  ev.time = e.time;
  ev.source = std::string(e.source);
  JsonWriter w(ev.json);
  w.begin_object();
  w.field("artifact", e.artifact);
  w.field("source", e.source);
  w.integer_or_null("record_id", e.record_id);
  w.integer_or_null("offset", e.offset);
  w.time_or_null("time", e.time);
  w.integer_or_null("event_id", e.event_id);
  w.string_or_null("host", e.computer);
  w.field("summary", render_summary(rule, e, fields));
  w.key("fields").begin_object();
  for (const auto& [k, v] : fields) w.field(k, v);
  w.end_object();
  w.end_object();
  ev.json.shrink_to_fit();
  return ev;
}

namespace {
// Stateful groups keep the evidence of their first matches; later ones are counted only.
constexpr std::size_t kStatefulEvidence = 5000;

Match match_without_evidence(const std::shared_ptr<const RuleInfo>& rule, const Event& e,
                             bool suspect) {
  Match m;
  m.rule = rule;
  m.suspect = suspect;
  m.time = e.time;
  m.source = std::string(e.source);
  m.key = rule->id;
  m.key.push_back('\x1f');
  if (rule->group_by.empty()) {
    if (!rule->aggregate) m.key.append(e.source);
  } else {
    for (const auto& g : rule->group_by) {
      const Field* f = e.find(g);
      std::string_view v = f ? f->lower : std::string_view("-");
      m.key.append(v);
      m.key.push_back('\x1f');
      if (!m.suffix.empty()) m.suffix += ", ";
      m.suffix += f ? shown_value(e, g, *f) : "-";
    }
  }
  if (rule->aggregate && !rule->aggregate->distinct.empty()) {
    const Field* f = e.find(rule->aggregate->distinct);
    if (f) m.distinct = std::string(f->lower);
  }
  return m;
}
}  // namespace

Match take_match(const std::shared_ptr<const RuleInfo>& rule,
                 const std::vector<std::string>& key_fields, const Event& e, bool suspect) {
  Match m = match_without_evidence(rule, e, suspect);
  m.evidence = make_evidence(*rule, key_fields, e);
  m.iocs = ioc_list(e);
  return m;
}

bool FindingSink::keeps_evidence(const Match& m) const {
  if (m.rule->aggregate) {
    auto it = stateful_.find(m.key);
    return it == stateful_.end() || it->second.evidence.size() < kStatefulEvidence;
  }
  auto it = groups_.find(m.key);
  return it == groups_.end() || it->second.evidence.size() < cap_;
}

void FindingSink::add(const std::shared_ptr<const RuleInfo>& rule,
                      const std::vector<std::string>& key_fields, const Event& e, bool suspect) {
  Match m = match_without_evidence(rule, e, suspect);
  if (keeps_evidence(m)) m.evidence = make_evidence(*rule, key_fields, e);
  if (m.evidence || !rule->aggregate) m.iocs = ioc_list(e);
  add(std::move(m));
}

void FindingSink::add(Match m) {
  ++matches_;
  const std::shared_ptr<const RuleInfo>& rule = m.rule;
  if (rule->aggregate) {
    if (!m.time) return;  // a burst needs times; a time-less match cannot be placed
    auto& sg = stateful_[m.key];
    if (!sg.rule) sg.rule = rule, sg.title_suffix = std::move(m.suffix);
    Hit h;
    h.time = *m.time;
    h.suspect = m.suspect;
    h.distinct = std::move(m.distinct);
    if (m.evidence && sg.evidence.size() < kStatefulEvidence) {
      h.evidence = static_cast<std::int32_t>(sg.evidence.size());
      sg.evidence.push_back(std::move(*m.evidence));
      Iocs i;
      i.add(m.iocs);
      sg.iocs.emplace_back(sg.evidence.size() - 1, std::move(i));
    }
    sg.hits.push_back(std::move(h));
    return;
  }
  auto& g = groups_[m.key];
  if (!g.rule) {
    g.rule = rule;
    g.source = std::move(m.source);
    g.title_suffix = std::move(m.suffix);
  }
  ++g.count;
  if (m.time) {
    if (!g.first || *m.time < *g.first) g.first = m.time;
    if (!g.last || *m.time > *g.last) g.last = m.time;
  }
  g.suspect = g.suspect || m.suspect;
  if (m.evidence && g.evidence.size() < cap_) g.evidence.push_back(std::move(*m.evidence));
  g.iocs.add(m.iocs);
}

std::vector<FindingGroup> FindingSink::finish() {
  std::vector<FindingGroup> out;
  for (auto& [key, g] : groups_) out.push_back(std::move(g));
  groups_.clear();
  for (auto& [key, sg] : stateful_) {
    const Aggregate& a = *sg.rule->aggregate;
    std::stable_sort(sg.hits.begin(), sg.hits.end(),
                     [](const Hit& x, const Hit& y) { return x.time < y.time; });
    // Sessions: runs of matches with gaps no longer than the timespan. A session becomes a
    // finding when some timespan-long window inside it reaches the count.
    std::size_t begin = 0;
    while (begin < sg.hits.size()) {
      std::size_t end = begin + 1;
      while (end < sg.hits.size() && sg.hits[end].time - sg.hits[end - 1].time <= a.timespan_us)
        ++end;
      bool burst = false;
      std::size_t lo = 0 + begin;
      std::map<std::string, std::size_t> in_window;
      for (std::size_t i = begin; i < end && !burst; ++i) {
        ++in_window[sg.hits[i].distinct];
        while (sg.hits[i].time - sg.hits[lo].time > a.timespan_us) {
          auto it = in_window.find(sg.hits[lo].distinct);
          if (--it->second == 0) in_window.erase(it);
          ++lo;
        }
        std::uint64_t n = a.distinct.empty() ? (i - lo + 1) : in_window.size();
        burst = n >= a.count;
      }
      if (burst) {
        FindingGroup g;
        g.rule = sg.rule;
        g.title_suffix = sg.title_suffix;
        g.first = sg.hits[begin].time;
        g.last = sg.hits[end - 1].time;
        g.count = end - begin;
        for (std::size_t i = begin; i < end; ++i) {
          const Hit& h = sg.hits[i];
          g.suspect = g.suspect || h.suspect;
          if (h.evidence < 0) continue;
          const auto& ev = sg.evidence[static_cast<std::size_t>(h.evidence)];
          if (g.source.empty()) g.source = ev.source;
          if (g.evidence.size() < cap_) g.evidence.push_back(ev);
          g.iocs.merge(sg.iocs[static_cast<std::size_t>(h.evidence)].second);
        }
        out.push_back(std::move(g));
      }
      begin = end;
    }
  }
  stateful_.clear();
  for (auto& g : out)
    std::stable_sort(g.evidence.begin(), g.evidence.end(),
                     [](const Evidence& x, const Evidence& y) {
                       return x.time.value_or(INT64_MAX) < y.time.value_or(INT64_MAX);
                     });
  std::sort(out.begin(), out.end(), [](const FindingGroup& x, const FindingGroup& y) {
    auto tx = x.first.value_or(INT64_MAX), ty = y.first.value_or(INT64_MAX);
    if (tx != ty) return tx < ty;
    if (x.rule->id != y.rule->id) return x.rule->id < y.rule->id;
    return x.title_suffix < y.title_suffix;
  });
  return out;
}

void write_finding(std::string& out, const FindingGroup& g, std::uint64_t n) {
  const RuleInfo& r = *g.rule;
  JsonWriter w(out);
  w.begin_object();
  w.field("artifact", "finding");
  w.field("source", g.source);
  w.field("id", r.id + "#" + std::to_string(n));
  w.field("question", r.question);
  w.field("severity", r.severity);
  // "Service installed: spoolfool" — the group's values follow the rule title.
  const std::string suffix = g.title_suffix.empty() ? std::string() : ": " + g.title_suffix;
  w.field("title", r.title + suffix);
  w.field("title_ja", (r.title_ja.empty() ? "Sigma ルール該当: " + r.title : r.title_ja) + suffix);
  w.field("description", r.description);
  w.field("description_ja", r.description_ja);
  w.key("time").begin_object();
  w.key("first");
  g.first ? w.time(*g.first) : w.null();
  w.key("last");
  g.last ? w.time(*g.last) : w.null();
  w.end_object();
  w.field("count", g.count);
  w.key("rule").begin_object();
  w.field("id", r.id);
  w.field("name", r.title);
  w.field("source", r.source);
  w.field("author", r.author);
  w.field("path", r.path);
  if (r.source == "sigma") w.field("license", "DRL-1.1");
  w.end_object();
  w.key("attack").begin_array();
  for (const auto& t : r.attack) w.string(t);
  w.end_array();
  w.field("suspect", g.suspect);
  w.key("evidence").begin_array();
  for (const Evidence& ev : g.evidence) w.raw(ev.json);
  w.end_array();
  w.field("evidence_omitted", g.count > g.evidence.size() ? g.count - g.evidence.size() : 0);
  w.key("iocs").begin_object();
  auto item = g.iocs.items.begin();
  for (std::size_t k = 0; k < kIocKinds.size(); ++k) {
    w.key(kIocKinds[k]).begin_array();
    for (; item != g.iocs.items.end() && item->first == k; ++item) w.string(item->second);
    w.end_array();
  }
  w.end_object();
  w.end_object();
  w.end_line();
}

}  // namespace kk::detect
