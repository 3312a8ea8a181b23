// What the judges share: the suspect link, citing a record, address and path classes.
#include <algorithm>

#include "core/ascii_case.hpp"
#include "core/path_leaf.hpp"
#include "core/time.hpp"
#include "notice/verdicts.hpp"

namespace kk::notice {

namespace {

// "c:\users\a\x.exe" and "\users\a\x.exe" (MFT) and "\??\c:\…" compare equal.
std::string without_drive(std::string_view p) {
  std::string s = ascii_lower(p);
  for (char& ch : s)
    if (ch == '/') ch = '\\';
  if (s.rfind("\\??\\", 0) == 0 || s.rfind("\\\\?\\", 0) == 0) s.erase(0, 4);
  // NT device paths (SRUM, some EDR logs): "\\device\\harddiskvolume3\\users\\…".
  if (s.rfind("\\device\\harddiskvolume", 0) == 0) {
    auto next = s.find('\\', 8);
    s.erase(0, next == std::string::npos ? s.size() : next);
    return s;
  }
  if (s.size() >= 2 && s[1] == ':') s.erase(0, 2);
  return s;
}

bool contains_word(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return false;
  for (std::size_t at = hay.find(needle); at != std::string_view::npos;
       at = hay.find(needle, at + 1)) {
    // The name stands alone: not "xget-keystrokes.ps1" or "a.exe.bak".
    char before = at == 0 ? ' ' : hay[at - 1];
    std::size_t end = at + needle.size();
    char after = end >= hay.size() ? ' ' : hay[end];
    bool left = !(std::isalnum(static_cast<unsigned char>(before)) || before == '-' ||
                  before == '_' || before == '.');
    bool right = !(std::isalnum(static_cast<unsigned char>(after)) || after == '_' || after == '.');
    if (left && right) return true;
  }
  return false;
}

}  // namespace

std::string clean_detection_path(std::string_view path) {
  std::string s(path);
  // Defender: "containerfile:_C:\a.zip; file:_C:\a.zip->x.exe" — the first resource.
  if (auto semi = s.find("; "); semi != std::string::npos) s.resize(semi);
  for (std::string_view prefix :
       {"containerfile:_", "file:_", "process:_", "regkey:_", "amsi:_", "internalbehavior:_"})
    if (istarts_with(s, prefix)) {
      s.erase(0, prefix.size());
      break;
    }
  if (auto arrow = s.find("->"); arrow != std::string::npos) s.resize(arrow);
  return s;
}

SuspectMatch::SuspectMatch(const std::vector<std::string>& suspects) {
  for (const auto& s0 : suspects) {
    std::string s = clean_detection_path(s0);
    if (s.empty()) continue;
    std::string name = ascii_lower(path_leaf(s));
    if (!name.empty() && std::find(names_.begin(), names_.end(), name) == names_.end())
      names_.push_back(name);
    if (s.find_first_of("\\/") != std::string::npos) paths_.push_back(without_drive(s));
  }
}

bool SuspectMatch::path_is(std::string_view path) const {
  if (path.empty()) return false;
  std::string p = clean_detection_path(path);
  std::string name = ascii_lower(path_leaf(p));
  if (std::find(names_.begin(), names_.end(), name) == names_.end()) return false;
  // A full path on both sides must agree; a bare name (USN, prefetch) agrees by name.
  if (paths_.empty() || p.find_first_of("\\/") == std::string::npos) return true;
  std::string nd = without_drive(p);
  return std::any_of(paths_.begin(), paths_.end(), [&](const std::string& sp) {
    return sp == nd || path_leaf(sp) == sp;  // a suspect given as a name only
  });
}

bool SuspectMatch::is_file(const Observation& o) const {
  if (names_.empty()) return false;
  if (path_is(o.path) || path_is(o.process) || path_is(o.target_path)) return true;
  auto hash_hit = [&](const std::string& h) {
    return !h.empty() && std::find(hashes_.begin(), hashes_.end(), ascii_lower(h)) != hashes_.end();
  };
  return hash_hit(o.sha256) || hash_hit(o.sha1) || hash_hit(o.md5);
}

bool SuspectMatch::named_by(const Observation& o) const {
  for (const std::string* text : {&o.command_line, &o.value_data}) {
    if (text->empty()) continue;
    std::string t = ascii_lower(*text);
    for (const auto& n : names_)
      if (contains_word(t, n)) return true;
  }
  return false;
}

void SuspectMatch::learn_hashes(const Observation& o) {
  for (const std::string* h : {&o.sha256, &o.sha1, &o.md5})
    if (!h->empty()) {
      std::string l = ascii_lower(*h);
      if (std::find(hashes_.begin(), hashes_.end(), l) == hashes_.end()) hashes_.push_back(l);
    }
}

bool SuspectMatch::is_script() const {
  if (names_.empty()) return false;
  return std::all_of(names_.begin(), names_.end(), [](const std::string& n) {
    for (std::string_view ext : {".ps1", ".psm1", ".js", ".jse", ".vbs", ".vbe", ".hta", ".wsf",
                                 ".bat", ".cmd", ".xsl", ".sct", ".py", ".jsp", ".aspx", ".asp"})
      if (iends_with(n, ext)) return true;
    return false;
  });
}

std::vector<const Observation*> JudgeContext::of(ObservationKind kind) const {
  std::vector<const Observation*> out;
  for (const auto& o : obs.of(kind))
    if (in_window(o.time)) out.push_back(&o);
  return out;
}

std::vector<const Finding*> JudgeContext::findings() const {
  std::vector<const Finding*> out;
  for (const auto& f : in.findings)
    if (std::any_of(f.evidence.begin(), f.evidence.end(),
                    [&](const EvidenceItem& e) { return e.time && in_window(*e.time); }))
      out.push_back(&f);
  return out;
}

namespace {
constexpr UtcMicros kDetectionGrace = 5LL * 60 * 1000000;
}  // namespace

std::string JudgeContext::when(UtcMicros t) const {
  return format_local(t, opt.tz);
}

void assess_data(const JudgeContext& x, QuestionModel& q,
                 std::initializer_list<std::string_view> data, bool arrival) {
  for (auto d : data) {
    DataSpan s = x.obs.span(d);
    DataCoverage c{std::string(d), "covers", std::nullopt};
    if (s.records == 0) {
      c.reach = s.log_records > 0 ? "not_recorded" : "absent";
    } else if (s.first) {
      c.first = s.first;
      // Its log begins after the detection (cleared, rolled over, started later): it
      // cannot show what led to the detection.
      // (Five minutes of grace: a detection time is given to the minute, and the
      // antivirus log's first record may be the detection itself.)
      if (*s.first > x.window.anchor + kDetectionGrace)
        c.reach = "starts_after_detection";
      else if (arrival && x.suspect_present && *s.first >= *x.suspect_present)
        c.reach = "starts_after_presence";
    }
    (c.reach == "covers" ? q.searched : q.missing).emplace_back(d);
    q.coverage.push_back(std::move(c));
  }
}

void mark_missing(QuestionModel& q, std::string_view data, std::string_view reach) {
  auto it = std::find(q.searched.begin(), q.searched.end(), data);
  if (it == q.searched.end()) return;
  q.searched.erase(it);
  q.missing.emplace_back(data);
  for (auto& c : q.coverage)
    if (c.data == data) c.reach = reach;
}

std::string searched_text(const JudgeContext& x, const QuestionModel& q) {
  const Lang lang = x.opt.lang;
  std::string t;
  for (const auto& c : q.coverage) {
    if (c.reach != "covers") continue;
    std::string label = data_label(lang, c.data);
    // A log that begins inside the window was searched from its first record on.
    if (c.first && *c.first > x.window.start + 3600LL * 1000000)
      label = statement_text(lang, "data.from", {{"data", label}, {"first", x.when(*c.first)}});
    t += (t.empty() ? "" : lang == Lang::kJa ? "、" : ", ") + label;
  }
  return t;
}

std::string missing_text(const JudgeContext& x, const QuestionModel& q) {
  const Lang lang = x.opt.lang;
  std::string t;
  auto sentence = [&](const std::string& reach, const std::string& data,
                      std::optional<UtcMicros> first) {
    t += (t.empty() || lang == Lang::kJa ? "" : " ") +
         statement_text(lang, "data." + reach,
                        {{"data", data},
                         {"first", first ? x.when(*first) : std::string()},
                         {"anchor", x.when(x.window.anchor)},
                         {"presence", x.suspect_present ? x.when(*x.suspect_present) : ""}});
  };
  // Absent and unrecorded data in one sentence each ("$MFT, $UsnJrnl: not in the data");
  // a log that begins late, one sentence per log (each has its own first record).
  for (std::string_view reach : {"absent", "not_recorded"}) {
    std::string labels;
    for (const auto& c : q.coverage)
      if (c.reach == reach)
        labels += (labels.empty()      ? ""
                   : lang == Lang::kJa ? "、"
                                       : ", ") +
                  data_label(lang, c.data);
    if (!labels.empty()) sentence(std::string(reach), labels, std::nullopt);
  }
  for (const auto& c : q.coverage)
    if (c.reach != "covers" && c.reach != "absent" && c.reach != "not_recorded")
      sentence(c.reach, data_label(lang, c.data), c.first);
  return t;
}

EvidenceRef cite(const Observation& o) {
  EvidenceRef e;
  e.artifact = o.artifact;
  e.source = o.source;
  e.record_id = o.record_id;
  e.offset = o.offset;
  e.entry = o.entry;
  e.event_id = o.event_id;
  e.time = o.time;
  e.summary = o.message;
  return e;
}

EvidenceRef cite(const Finding& f, const EvidenceItem& x) {
  EvidenceRef e;
  e.artifact = x.artifact;
  e.source = x.source;
  e.record_id = x.record_id;
  e.offset = x.offset;
  e.event_id = x.event_id;
  e.time = x.time;
  e.summary = x.summary.empty() ? f.title : x.summary;
  e.finding_id = f.id;
  return e;
}

bool cited_in(const std::vector<EvidenceRef>& list, const EvidenceRef& e) {
  for (const auto& have : list)
    if (have.source == e.source && have.record_id == e.record_id && have.offset == e.offset &&
        have.entry == e.entry && have.time == e.time)
      return true;
  return false;
}

void add_evidence(QuestionModel& q, EvidenceRef e) {
  if (!cited_in(q.evidence, e)) q.evidence.push_back(std::move(e));
}

void add_context(QuestionModel& q, EvidenceRef e) {
  if (!cited_in(q.evidence, e) && !cited_in(q.context, e)) q.context.push_back(std::move(e));
}

void finish_evidence(QuestionModel& q, std::size_t max) {
  auto by_time = [](const EvidenceRef& a, const EvidenceRef& b) {
    return a.time.value_or(0) < b.time.value_or(0);
  };
  std::stable_sort(q.evidence.begin(), q.evidence.end(), by_time);
  q.evidence_total = static_cast<std::int64_t>(q.evidence.size());
  if (q.evidence.size() > max) q.evidence.resize(max);
  std::stable_sort(q.context.begin(), q.context.end(), by_time);
  q.context_total = static_cast<std::int64_t>(q.context.size());
  if (q.context.size() > max) q.context.resize(max);
}

std::string_view tampering_command(std::string_view command_line) {
  if (command_line.empty()) return {};
  std::string c = ascii_lower(command_line);
  auto has = [&](std::string_view s) { return c.find(s) != std::string::npos; };
  if (has("vssadmin") && (has("delete shadows") || has("resize shadowstorage")))
    return "shadow_copy_deleted";
  if (has("shadowcopy") && has("delete")) return "shadow_copy_deleted";
  if (has("win32_shadowcopy") && (has("delete") || has("remove-"))) return "shadow_copy_deleted";
  if (has("wbadmin") &&
      (has("delete catalog") || has("delete systemstatebackup") || has("delete backup")))
    return "backup_deleted";
  if (has("bcdedit") && (has("recoveryenabled no") || has("ignoreallfailures")))
    return "recovery_disabled";
  if (has("wevtutil") && (has(" cl ") || has(" clear-log") || has(" cl\"") || has(" sl ")))
    return "log_cleared";
  if (has("clear-eventlog") || has("remove-eventlog") || has("limit-eventlog"))
    return "log_cleared";
  if (has("fsutil") && has("usn") && has("deletejournal")) return "usn_journal_deleted";
  if ((has("set-mppreference") && has("-disable")) ||
      (has("add-mppreference") && has("-exclusion")))
    return "defender_disabled";
  if (has("auditpol") && (has("/clear") || has("/remove") || has("disable")))
    return "audit_disabled";
  if ((has("sc ") || has("sc.exe") || has("net ") || has("net.exe") || has("net1")) &&
      has("stop") && (has("windefend") || has("eventlog")))
    return "service_stopped";
  return {};
}

bool is_user_writable(std::string_view path) {
  std::string p = ascii_lower(path);
  for (char& ch : p)
    if (ch == '/') ch = '\\';
  for (std::string_view s :
       {"\\users\\", "\\programdata\\", "\\temp\\", "\\tmp\\", "\\appdata\\", "\\windows\\tasks\\",
        "\\recycle", "\\perflogs\\", "\\downloads\\", "\\public\\", "\\windows\\debug\\"})
    if (p.find(s) != std::string::npos) return true;
  // Another drive (USB stick, network share): not where Windows keeps its programs.
  if (p.size() > 2 && p[1] == ':' && p[0] != 'c') return true;
  return p.rfind("\\\\", 0) == 0;
}

bool is_internal_ip(std::string_view ip) {
  std::string s = ascii_lower(ip);
  if (s.rfind("::ffff:", 0) == 0) s.erase(0, 7);
  auto starts = [&](std::string_view p) { return s.rfind(p, 0) == 0; };
  if (starts("10.") || starts("192.168.") || starts("127.") || starts("169.254.") ||
      starts("fe80:") || starts("fc") || starts("fd") || s == "::1" || s == "0.0.0.0")
    return true;
  if (starts("172.")) {
    int second = std::atoi(s.c_str() + 4);
    return second >= 16 && second <= 31;
  }
  if (starts("100.")) {  // carrier-grade NAT 100.64/10
    int second = std::atoi(s.c_str() + 4);
    return second >= 64 && second <= 127;
  }
  return false;
}

bool is_remote_address(std::string_view ip) {
  if (ip.empty() || ip == "-" || iequals(ip, "LOCAL") || iequals(ip, "localhost")) return false;
  std::string s = ascii_lower(ip);
  return !(s.rfind("127.", 0) == 0 || s == "::1" || s == "0.0.0.0" || s == "::");
}

}  // namespace kk::notice
