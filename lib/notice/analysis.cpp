#include "notice/analysis.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "core/ascii_case.hpp"
#include "core/product_labels.hpp"
#include "notice/truncation.hpp"

namespace kk::notice {

namespace {
constexpr std::int64_t kHour = 3600LL * 1000000;

constexpr std::array<std::string_view, 7> kOriginArtifacts{
    "mft", "usnjrnl", "web", "evtx", "recent_docs", "lnk", "amcache_file"};
constexpr std::array<std::string_view, 7> kExecutionArtifacts{
    "prefetch", "amcache_file", "shimcache", "bam", "userassist", "evtx", "srum"};
constexpr std::array<std::string_view, 7> kChangeArtifacts{
    "mft", "usnjrnl", "service", "autorun", "scheduled_task", "registry_key", "evtx"};
constexpr std::array<std::string_view, 6> kLaunchArtifacts{"prefetch", "amcache_file", "shimcache",
                                                           "bam",      "userassist",   "evtx"};
constexpr std::array<std::string_view, 3> kIntrusionArtifacts{"evtx", "web", "usb_device"};
constexpr std::array<std::string_view, 7> kPostArtifacts{
    "evtx", "service", "autorun", "scheduled_task", "usnjrnl", "srum", "prefetch"};
constexpr std::array<std::string_view, 4> kTamperArtifacts{"evtx", "mft", "defender_exclusion",
                                                           "usnjrnl"};

bool has_attack_prefix(const Finding& f, std::initializer_list<std::string_view> prefixes) {
  for (const auto& a : f.attack)
    for (auto p : prefixes)
      if (a.compare(0, p.size(), p) == 0) return true;
  return false;
}

template <typename T>
void add_unique(std::vector<T>& to, const std::vector<T>& from) {
  for (const auto& x : from)
    if (!x.empty() && std::find(to.begin(), to.end(), x) == to.end()) to.push_back(x);
}

std::string count_text(std::int64_t n) {
  return std::to_string(n);
}

// Short channel names for statements: "Microsoft-Windows-Sysmon/Operational" stays as is.
bool channel_is(std::string_view channel, std::string_view needle) {
  return ascii_lower(channel).find(ascii_lower(needle)) != std::string::npos;
}

std::int64_t count_event(const NoticeInputs& in, std::string_view channel_needle, std::int64_t id) {
  std::int64_t n = 0;
  for (const auto& [ch, ids] : in.event_ids) {
    if (!channel_is(ch, channel_needle)) continue;
    auto it = ids.find(id);
    if (it != ids.end()) n += it->second;
  }
  return n;
}

bool has_channel(const NoticeInputs& in, std::string_view needle) {
  for (const auto& [ch, cov] : in.channels)
    if (channel_is(ch, needle) && cov.events > 0) return true;
  return false;
}
}  // namespace

namespace {
// "CORP\\tanaka" -> "tanaka", "tanaka@corp.local" -> "tanaka", lower case.
std::string account_name(std::string_view account) {
  std::string a = ascii_lower(account);
  if (auto bs = a.find('\\'); bs != std::string::npos) a.erase(0, bs + 1);
  if (auto at = a.find('@'); at != std::string::npos) a.resize(at);
  return a;
}
}  // namespace

bool same_account(std::string_view a, std::string_view b) {
  if (iequals(a, b)) return true;
  const auto ca = a.rfind('\\'), cb = b.rfind('\\');
  if ((ca == std::string_view::npos) == (cb == std::string_view::npos)) return false;
  return iequals(ca == std::string_view::npos ? a : a.substr(ca + 1),
                 cb == std::string_view::npos ? b : b.substr(cb + 1));
}

bool is_builtin_account(std::string_view account) {
  std::string a = ascii_lower(account);
  auto bs = a.find('\\');
  if (bs != std::string::npos &&
      (a.compare(0, bs, "nt authority") == 0 || a.compare(0, bs, "nt service") == 0 ||
       a.compare(0, bs, "font driver host") == 0 || a.compare(0, bs, "window manager") == 0 ||
       a.compare(0, bs, "builtin") == 0 || a.compare(0, bs, "nt virtual machine") == 0 ||
       a.compare(0, bs, "iis apppool") == 0))
    return true;
  // Well-known SIDs: S-1-0/1/2/3 (Nobody, Everyone, Local, Creator), S-1-5-N with one
  // sub-authority (SYSTEM 18, LOCAL SERVICE 19, NETWORK SERVICE 20, …), BUILTIN groups
  // S-1-5-32-*, services S-1-5-80-*, DWM/UMFD S-1-5-90-* / S-1-5-96-*, …
  if (a.rfind("s-1-", 0) == 0) {
    if (a.rfind("s-1-5-21-", 0) != 0) return true;  // everything but domain/local accounts
    // S-1-5-21-…-RID: the RIDs of groups Windows makes (Domain Admins 512, Users 513, …).
    auto dash = a.find_last_of('-');
    long rid = std::strtol(a.c_str() + dash + 1, nullptr, 10);
    return rid >= 512 && rid <= 527;
  }
  std::string n = account_name(account);
  for (std::string_view b : {"-", "", "system", "localsystem", "local system", "local service",
                             "network service", "anonymous logon", "localservice",
                             "networkservice", "trustedinstaller", "defaultapppool"})
    if (n == b) return true;
  // Groups (an account a customer resets is a person's or a service's, never a group).
  for (std::string_view g :
       {"administrators", "users", "guests", "power users", "remote desktop users",
        "backup operators", "network configuration operators", "event log readers",
        "distributed com users", "iis_iusrs", "iusr", "everyone", "authenticated users",
        "domain admins", "domain users", "domain guests", "domain computers",
        "domain controllers", "enterprise admins", "schema admins", "group policy creator owners",
        "remote management users", "hyper-v administrators", "performance log users",
        "performance monitor users", "system managed accounts group", "device owners",
        "access control assistance operators", "cryptographic operators", "replicator",
        "print operators", "account operators", "server operators", "interactive", "network",
        "batch", "service", "creator owner", "local", "none", "n/a", "unknown",
        "lokaler dienst", "netzwerkdienst", "administratoren", "benutzer"})
    if (n == g) return true;
  return n.rfind("dwm-", 0) == 0 || n.rfind("umfd-", 0) == 0 || (!a.empty() && a.back() == '$');
}

bool is_default_account(std::string_view account) {
  std::string n = account_name(account);
  for (std::string_view d :
       {"administrator", "guest", "defaultaccount", "wdagutilityaccount", "krbtgt"})
    if (n == d) return true;
  return false;
}

int severity_rank(std::string_view s) {
  if (s == "critical") return 4;
  if (s == "high") return 3;
  if (s == "medium") return 2;
  if (s == "low") return 1;
  if (s == "info") return 0;
  return -1;
}

std::span<const std::string_view> artifacts_checked_for(std::string_view q) {
  if (q == "file_origin") return kOriginArtifacts;
  if (q == "execution") return kExecutionArtifacts;
  if (q == "change_history") return kChangeArtifacts;
  if (q == "other_launches") return kLaunchArtifacts;
  if (q == "intrusion") return kIntrusionArtifacts;
  if (q == "post_infection") return kPostArtifacts;
  return kTamperArtifacts;
}

namespace {

void derive_window(const CaseFile& c, const NoticeInputs& in, const AnalysisOptions& opt,
                   Analysis& a) {
  a.window.anchor = c.detected_at;
  a.window.start = c.detected_at - opt.before;
  std::optional<UtcMicros> end = in.summary.collection_end;
  for (const auto& m : in.manifest)
    if (!end && m.collected_at) end = m.collected_at;
  a.collection_end = end;
  a.collection_start = in.summary.collection_start;
  if (end && *end > a.window.anchor + kMaxCollectionDelay) {
    a.implausible_collection_end = end;
  } else if (end && *end >= a.window.anchor) {
    a.window.end = *end;
    a.window.end_basis = "collection_end";
    return;
  }
  // Without a collection end: the last record, but never more than 30 days after the
  // detection (one bogus far-future timestamp must not stretch the window).
  UtcMicros last = a.window.anchor;
  const UtcMicros cap = a.window.anchor + 30LL * 86400 * 1000000;
  for (const auto& [t, idx] : in.event_times)
    if (t <= cap) last = std::max(last, t);
  a.window.end = last;
  a.window.end_basis = last > a.window.anchor ? "last_event" : "anchor";
}

void derive_answers(const NoticeInputs& in, Analysis& a) {
  for (auto q : kQuestions) {
    QuestionAnswer ans;
    ans.question = q;
    for (const auto& f : in.findings) {
      if (f.question != q) continue;
      ans.findings.push_back(&f);
      if (severity_rank(f.severity) >= 2 || f.suspect) ans.evidenced = true;
    }
    std::stable_sort(ans.findings.begin(), ans.findings.end(),
                     [](const Finding* x, const Finding* y) {
                       return x->first.value_or(0) < y->first.value_or(0);
                     });
    a.answers.push_back(std::move(ans));
  }
  auto evidenced = [&](std::string_view q) {
    for (const auto& ans : a.answers)
      if (ans.question == q) return ans.evidenced;
    return false;
  };
  a.execution = evidenced("execution");
  a.tampering = evidenced("tampering");
  a.post_infection = evidenced("post_infection");
  for (const auto& f : in.findings) {
    if (severity_rank(f.severity) < 2 && !f.suspect) continue;
    // Persistence and remote access by ATT&CK technique (see the man page for the list).
    if (has_attack_prefix(
            f, {"T1543", "T1053", "T1547", "T1546", "T1037", "T1136", "T1197", "T1574", "T1098"})) {
      if (!a.persistence) a.persistence_question = f.question;
      a.persistence = true;
    }
    if (has_attack_prefix(f, {"T1021", "T1133", "T1219"})) {
      if (!a.remote_access) a.remote_question = f.question;
      a.remote_access = true;
    }
  }
  bool any_medium = std::any_of(in.findings.begin(), in.findings.end(), [](const Finding& f) {
    return severity_rank(f.severity) >= 2 || f.suspect;
  });
  if (a.execution || a.persistence || a.remote_access || a.post_infection)
    a.judgement = Judgement::kCompromised;
  else if (any_medium)
    a.judgement = Judgement::kSuspicious;
  else
    a.judgement = Judgement::kNoEvidence;
}

void derive_counts(const NoticeInputs& in, Analysis& a) {
  for (const auto& [t, idx] : in.event_times) {
    if (t < a.window.start) {
      ++a.events_before;
    } else if (t > a.window.end) {
      ++a.events_after;
    } else {
      ++a.events_in_window;
      ++a.window_events_per_artifact[in.artifacts[idx]];
    }
  }
  for (const auto& [t, idx] : in.evtx_times)
    if (t >= a.window.start && t <= a.window.end && idx < in.channel_names.size())
      ++a.window_events_per_channel[in.channel_names[idx]];
  for (const auto& m : in.manifest) {
    ++a.manifest_per_kind[m.kind];
    if (!m.hash_match) {
      ++a.hashes.unverified;
    } else if (*m.hash_match) {
      ++a.hashes.matched;
    } else {
      ++a.hashes.mismatched;
      a.hashes.mismatches.push_back(&m);
    }
  }
  if (a.manifest_per_kind.empty())
    for (const auto& [k, n] : in.summary.kind_counts) a.manifest_per_kind[k] = n;
  a.host = in.summary.host;
  if (a.host.empty() && !in.manifest.empty()) a.host = in.manifest.front().host;
  if (a.host.empty() && !in.hosts.empty()) a.host = *in.hosts.begin();
}

void derive_iocs_and_rules(const CaseFile& c, const NoticeInputs& in, Analysis& a) {
  for (const auto& s : c.list("detection.suspect_files")) {
    auto slash = s.find_last_of("\\/");
    if (slash != std::string::npos) add_unique(a.iocs.paths, {s});
    add_unique(a.iocs.files, {slash == std::string::npos ? s : s.substr(slash + 1)});
  }
  for (const auto& f : in.findings) {
    add_unique(a.iocs.files, f.iocs.files);
    // A "path" without a folder is a bare file name, already listed as such.
    for (const auto& p : f.iocs.paths)
      if (p.find_first_of("\\/") != std::string::npos) add_unique(a.iocs.paths, {p});
    add_unique(a.iocs.hashes, f.iocs.hashes);
    add_unique(a.iocs.ips, f.iocs.ips);
    add_unique(a.iocs.domains, f.iocs.domains);
    add_unique(a.iocs.services, f.iocs.services);
    add_unique(a.iocs.tasks, f.iocs.tasks);
    for (const auto& acct : f.iocs.accounts)
      if (!is_builtin_account(acct)) add_unique(a.iocs.accounts, {acct});
    std::string id = f.rule_id.empty() ? f.id : f.rule_id;
    auto it = std::find_if(a.rule_hits.begin(), a.rule_hits.end(),
                           [&](const RuleHit& r) { return r.id == id; });
    if (it == a.rule_hits.end()) {
      a.rule_hits.push_back(
          {id, f.rule_name.empty() ? f.title : f.rule_name, f.rule_source, f.severity, 0, 0, {}});
      it = a.rule_hits.end() - 1;
    }
    it->count += f.count;
    it->findings += 1;
    if (severity_rank(f.severity) > severity_rank(it->severity)) it->severity = f.severity;
    add_unique(it->attack, f.attack);
  }
  std::stable_sort(a.rule_hits.begin(), a.rule_hits.end(), [](const RuleHit& x, const RuleHit& y) {
    return severity_rank(x.severity) > severity_rank(y.severity);
  });
}

void derive_timeline(const CaseFile& c, const NoticeInputs& in, const AnalysisOptions& opt,
                     Analysis& a) {
  struct Ranked {
    int rank;
    TimelineRow row;
  };
  std::vector<Ranked> rows;
  std::set<std::string> seen;
  auto identity = [](const TimelineRow& r) {
    return r.source + "|" + (r.record_id ? std::to_string(*r.record_id) : "") + "|" +
           (r.offset ? std::to_string(*r.offset) : "") + "|" + std::to_string(r.time);
  };
  TimelineRow det;
  det.time = c.detected_at;
  det.is_detection = true;
  rows.push_back({100, det});
  for (const auto& f : in.findings) {
    int sev = severity_rank(f.severity);
    for (const auto& e : f.evidence) {
      if (!e.time) continue;
      TimelineRow r;
      r.time = *e.time;
      r.artifact = e.artifact;
      r.source = e.source;
      r.text = e.summary;
      r.finding_id = f.id;
      r.record_id = e.record_id;
      r.offset = e.offset;
      r.event_id = e.event_id;
      r.severity = f.severity;
      if (!seen.insert(identity(r)).second) continue;
      rows.push_back({(sev >= 2 || f.suspect ? 50 : 20) + sev, std::move(r)});
    }
  }
  for (const auto& k : in.key_events) {
    TimelineRow r;
    r.time = k.time;
    r.artifact = k.artifact;
    r.source = k.source;
    r.text = k.message;
    r.record_id = k.record_id;
    r.offset = k.offset;
    r.event_id = k.event_id;
    if (!seen.insert(identity(r)).second) continue;
    rows.push_back({10, std::move(r)});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Ranked& x, const Ranked& y) { return x.rank > y.rank; });
  if (rows.size() > opt.max_timeline_rows) {
    a.timeline_omitted = rows.size() - opt.max_timeline_rows;
    rows.resize(opt.max_timeline_rows);
  }
  a.timeline_omitted += static_cast<std::size_t>(in.key_events_dropped);
  for (auto& r : rows) a.timeline.push_back(std::move(r.row));
  std::stable_sort(a.timeline.begin(), a.timeline.end(),
                   [](const TimelineRow& x, const TimelineRow& y) { return x.time < y.time; });
}

void derive_limitations(const CaseFile& c, const NoticeInputs& in, Analysis& a) {
  auto& L = a.limitations;
  auto& gaps = a.confidence_reasons;
  // What the collector does not collect.
  if (!in.summary.not_collected.empty()) {
    Statement s{"lim.not_collected", {}, {}, {}, {}};
    for (const auto& [id, what] : in.summary.not_collected)
      s.items.emplace_back("notcollected." + id, what);
    L.push_back(std::move(s));
  } else {
    L.push_back({"lim.not_collected_default", {}});
  }
  // A cut upload: what arrived, what did not (truncation.hpp), instead of "switched off".
  const bool truncated = archive_truncated(in);
  if (truncated) add_truncation_limitations(in, a);
  // Kinds CDIR-C collects by default but the bundle lacks (switched off in cdir.ini, or
  // lost in transfer). Memory is optional and never analysed here; the collector log's
  // absence shows in the hash check.
  if (!truncated) {
    Statement s{"lim.categories_absent", {}, {}, {}, {}};
    for (const auto& k : in.summary.categories_absent)
      if (k != "memory" && k != "collector_log") s.items.emplace_back("kind." + k, k);
    if (!s.items.empty()) L.push_back(std::move(s));
  }
  // Logs whose earliest analysed event is later than the window start.
  // Only busy logs: a quiet log (PowerShell, Defender) may simply have had nothing to
  // record early in the window, but Security, System, Application and Sysmon always do.
  for (const auto& [ch, cov] : in.channels) {
    if (cov.events == 0 || cov.oldest <= a.window.start + kHour) continue;
    if (!channel_is(ch, "security") && !channel_is(ch, "system") &&
        !channel_is(ch, "application") && !channel_is(ch, "sysmon"))
      continue;
    L.push_back({"lim.log_starts_late",
                 {{"channel", ch}},
                 {{"oldest", cov.oldest}, {"start", a.window.start}},
                 {}});
    if (channel_is(ch, "security")) gaps.push_back({"conf.security_late", {{"channel", ch}}});
  }
  // Event logs received but without any event in the data.
  std::int64_t silent = 0;
  std::string silent_names;
  for (const auto& m : in.manifest) {
    if (m.kind != "evtx") continue;
    auto slash = m.source.find_last_of("\\/");
    std::string base = slash == std::string::npos ? m.source : m.source.substr(slash + 1);
    std::string stem = base.size() > 5 ? base.substr(0, base.size() - 5) : base;
    bool any = in.event_sources.count(m.source) != 0;
    // Windows names a channel's file after the channel with "/" written as "%4".
    std::string channel_of_file = stem;
    for (auto at = channel_of_file.find("%4"); at != std::string::npos;
         at = channel_of_file.find("%4", at))
      channel_of_file.replace(at, 2, "/");
    for (const auto& [ch, cov] : in.channels)
      if (ch.size() == channel_of_file.size() && channel_is(ch, channel_of_file)) any = true;
    if (!any) {
      ++silent;
      if (silent <= 12) silent_names += (silent_names.empty() ? "" : ", ") + base;
    }
  }
  if (silent)
    L.push_back(
        {"lim.logs_without_events", {{"count", count_text(silent)}, {"names", silent_names}}});
  // Audit policy gaps.
  bool security = has_channel(in, "security");
  if (!security) {
    // Received but silent in the window, or not received at all: different statements.
    bool received = std::any_of(in.manifest.begin(), in.manifest.end(), [](const ManifestEntry& m) {
      return m.kind == "evtx" && channel_is(m.source, "security.evtx");
    });
    L.push_back({received ? "lim.security_no_window_events" : "lim.no_security_log", {}});
    gaps.push_back({received ? "conf.security_no_window_events" : "conf.no_security", {}});
  } else if (count_event(in, "security", 4688) == 0) {
    L.push_back({"lim.no_4688", {}});
  }
  if (!has_channel(in, "sysmon")) L.push_back({"lim.no_sysmon", {}});
  if (count_event(in, "powershell", 4104) == 0) L.push_back({"lim.no_4104", {}});
  bool exec_artifacts = false;
  for (auto art : {"prefetch", "amcache_file", "shimcache", "bam", "userassist"})
    if (a.window_events_per_artifact.count(art)) exec_artifacts = true;
  if (!exec_artifacts) gaps.push_back({"conf.no_execution_artifacts", {}});
  // Chain of custody.
  if (a.hashes.mismatched) {
    std::string names;
    for (const auto* m : a.hashes.mismatches) names += (names.empty() ? "" : ", ") + m->source;
    L.push_back(
        {"lim.hash_mismatch", {{"count", count_text(a.hashes.mismatched)}, {"names", names}}});
    gaps.push_back({"conf.hash_mismatch", {}});
  }
  if (a.hashes.unverified)
    L.push_back({"lim.hash_unverified", {{"count", count_text(a.hashes.unverified)}}});
  auto names_of = [](const std::vector<std::string>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size() && i < 10; ++i) s += (s.empty() ? "" : ", ") + v[i];
    if (v.size() > 10) s += ", …";
    return s;
  };
  if (in.summary.hash_result == "no_log" && !truncated) L.push_back({"lim.no_collector_log", {}});
  if (!in.summary.missing_from_bundle.empty() && !truncated)
    L.push_back(
        {"lim.missing_from_bundle",
         {{"count", count_text(static_cast<std::int64_t>(in.summary.missing_from_bundle.size()))},
          {"names", names_of(in.summary.missing_from_bundle)}}});
  if (!in.summary.not_in_log.empty())
    L.push_back({"lim.not_in_log",
                 {{"count", count_text(static_cast<std::int64_t>(in.summary.not_in_log.size()))},
                  {"names", names_of(in.summary.not_in_log)}}});
  if (!in.summary.not_encrypted.empty())
    L.push_back({"lim.not_encrypted",
                 {{"count", count_text(static_cast<std::int64_t>(in.summary.not_encrypted.size()))},
                  {"names", names_of(in.summary.not_encrypted)}}});
  if (in.manifest.empty()) L.push_back({"lim.no_manifest", {}});
  // Damage reported by the earlier stages, per file.
  std::map<std::string, std::pair<std::int64_t, const DiagnosticRecord*>> damaged;
  for (const auto& d : in.diagnostics) {
    if (d.severity == "info") continue;
    auto& slot = damaged[d.file];
    if (!slot.first) slot.second = &d;
    ++slot.first;
  }
  // A bundle with 70,000 unreadable logs (issue #22) gave a 70 MB notice: the first files
  // are named, the rest counted in one line (diagnostics.jsonl lists every one).
  constexpr std::size_t kDamagedFilesListed = 50;
  std::size_t listed = 0;
  std::int64_t more_files = 0, more_parts = 0;
  for (const auto& [file, v] : damaged) {
    if (listed >= kDamagedFilesListed) {
      ++more_files;
      more_parts += v.first;
      continue;
    }
    ++listed;
    const DiagnosticRecord* d = v.second;
    std::string where = d->offset
                            ? "0x" +
                                  [&] {
                                    char buf[24];
                                    std::snprintf(buf, sizeof buf, "%llx",
                                                  static_cast<unsigned long long>(*d->offset));
                                    return std::string(buf);
                                  }()
                            : "-";
    L.push_back({"lim.damaged_file",
                 {{"file", file},
                  {"count", count_text(v.first)},
                  {"tool", d->tool},
                  {"offset", where},
                  {"message", d->message}}});
  }
  if (more_files > 0)
    L.push_back({"lim.damaged_more",
                 {{"files", count_text(more_files)}, {"count", count_text(more_parts)}}});
  if (damaged.size() >= 1)
    gaps.push_back(
        {"conf.damage", {{"count", count_text(static_cast<std::int64_t>(damaged.size()))}}});
  if (in.bad_lines) L.push_back({"lim.bad_lines", {{"count", count_text(in.bad_lines)}}});
  if (in.key_events_dropped)
    L.push_back({"lim.key_events_dropped", {{"count", count_text(in.key_events_dropped)}}});
  // Logs the customer has but did not supply (a FortiGate log received is the UTM's).
  for (auto log : {"proxy", "firewall", "ids_ips", "utm", "antivirus", "edr"}) {
    auto f = c.flag(std::string("available_logs.") + log);
    const bool received = std::any_of(in.netlogs.begin(), in.netlogs.end(), [&](const auto& n) {
      return n.unreadable.empty() && n.lines > 0 && product_is_kind(n.product, log);
    });
    if (f && *f && !received)
      L.push_back({"lim.customer_log_not_analysed",
                   {},
                   {},
                   {{"log", std::string("case.available_logs.") + log}}});
  }
  if (in.event_times.empty()) gaps.push_back({"conf.no_events", {}});
  L.push_back({"lim.time_zone", {}});
  if (!in.summary.time_zone.empty())
    L.push_back({"lim.collection_time_zone", {{"tz", in.summary.time_zone}}});
  if (a.implausible_collection_end)
    L.push_back({"lim.collection_end_implausible", {}, {{"time", *a.implausible_collection_end}}});
  L.push_back({"lim.supplied_data_only", {}});

  a.confidence = gaps.empty()       ? Confidence::kHigh
                 : gaps.size() <= 3 ? Confidence::kMedium
                                    : Confidence::kLow;
  if (in.event_times.empty()) a.confidence = Confidence::kLow;
}

void derive_recommendations(const CaseFile& c, const NoticeInputs& in, Analysis& a) {
  auto& now = a.immediate;
  auto& later = a.medium_term;
  auto join = [](const std::vector<std::string>& v, std::size_t cap) {
    std::string s;
    for (std::size_t i = 0; i < v.size() && i < cap; ++i) s += (s.empty() ? "" : ", ") + v[i];
    if (v.size() > cap) s += ", …";
    return s;
  };
  if (a.judgement == Judgement::kCompromised) {
    now.push_back({"rec.isolate", {}});
    later.push_back({"rec.reinstall", {}});
  } else {
    now.push_back(
        {"rec.confirm_quarantine", {{"product", std::string(c.get("detection.product"))}}});
  }
  if (!a.iocs.accounts.empty())
    now.push_back({"rec.reset_accounts", {{"accounts", join(a.iocs.accounts, 8)}}});
  if (!a.iocs.ips.empty() || !a.iocs.domains.empty()) now.push_back({"rec.block_iocs", {}});
  if (a.remote_access) now.push_back({"rec.restrict_remote", {}});
  if (a.tampering) now.push_back({"rec.restore_protection", {}});
  if (!a.iocs.services.empty() || !a.iocs.tasks.empty() || a.persistence)
    now.push_back({"rec.remove_persistence", {}});
  if (a.judgement == Judgement::kNoEvidence) now.push_back({"rec.monitor", {}});

  if (has_channel(in, "security") && count_event(in, "security", 4688) == 0)
    later.push_back({"rec.enable_4688", {}});
  if (!has_channel(in, "security")) later.push_back({"rec.collect_security", {}});
  if (count_event(in, "powershell", 4104) == 0) later.push_back({"rec.enable_4104", {}});
  for (const auto& s : a.limitations)
    if (s.key == "lim.log_starts_late" && channel_is(s.args[0].second, "security")) {
      later.push_back({"rec.enlarge_security_log", {}});
      break;
    }
  auto edr = c.flag("available_logs.edr");
  if (!has_channel(in, "sysmon") && !(edr && *edr)) later.push_back({"rec.deploy_edr", {}});
  auto proxy = c.flag("available_logs.proxy");
  auto fw = c.flag("available_logs.firewall");
  if ((proxy && !*proxy) || (fw && !*fw)) later.push_back({"rec.keep_network_logs", {}});
  if (a.answers[0].evidenced) later.push_back({"rec.user_awareness", {}});
}

}  // namespace

Analysis analyse(const CaseFile& c, const NoticeInputs& in, const AnalysisOptions& opt) {
  Analysis a;
  derive_window(c, in, opt, a);
  derive_answers(in, a);
  derive_counts(in, a);
  derive_iocs_and_rules(c, in, a);
  derive_timeline(c, in, opt, a);
  derive_limitations(c, in, a);
  derive_recommendations(c, in, a);
  return a;
}

}  // namespace kk::notice
