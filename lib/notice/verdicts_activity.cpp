// Questions 3-8: what else happened in the window (file changes, other launches,
// intrusion, persistence, post-infection activity, tampering). Each judge collects the
// records that prove its question; "found" needs at least one, "cannot_tell" means the data
// that would show it is absent (docs/verdicts.md).
#include <algorithm>

#include "core/ascii_case.hpp"
#include "notice/defang.hpp"
#include "notice/verdicts.hpp"

namespace kk::notice {

namespace {

using K = ObservationKind;

bool attack_in(const Finding& f, std::initializer_list<std::string_view> prefixes) {
  for (const auto& a : f.attack)
    for (auto p : prefixes)
      if (a.compare(0, p.size(), p) == 0) return true;
  return false;
}

// Persistence techniques (ATT&CK): services, tasks, Run keys, WMI, accounts, IFEO, …
bool is_persistence_finding(const Finding& f) {
  return attack_in(f, {"T1543", "T1053", "T1547", "T1546", "T1037", "T1136", "T1197", "T1574",
                       "T1098", "TA0003"}) ||
         f.rule_id.rfind("KK-PERSIST", 0) == 0;
}
bool is_tampering_finding(const Finding& f) {
  return f.question == "tampering" || attack_in(f, {"T1070", "T1490", "T1562", "TA0005.T1070"});
}
bool is_av_finding(const Finding& f) {
  return f.rule_id.rfind("KK-AV-00", 0) == 0 && f.question == "file_origin";
}

// A finding counts as evidence when its rule is confident enough: built-in rules from
// medium up (they were written for this notice), Sigma from high up (their medium and low
// levels include hunting rules that fire on ordinary machines).
bool weighty(const Finding& f) {
  int sev = severity_rank(f.severity);
  if (f.rule_source == "sigma") return sev >= 3;
  return sev >= 2;
}

void cite_finding(const JudgeContext& x, QuestionModel& q, const Finding& f) {
  q.finding_ids.push_back(f.id);
  for (const auto& e : f.evidence)
    if (e.time && x.in_window(*e.time)) add_evidence(q, cite(f, e));
}

std::string join_labels(Lang lang, const std::vector<std::string>& data) {
  std::string t;
  for (const auto& d : data)
    t += (t.empty() ? "" : lang == Lang::kJa ? "、" : ", ") + data_label(lang, d);
  return t;
}

// The common ending: found / not_found / cannot_tell from the evidence and the data seen.
void conclude(const JudgeContext& x, QuestionModel& q, std::string_view key,
              std::vector<std::pair<std::string, std::string>> found_args = {}) {
  const Lang lang = x.opt.lang;
  if (!q.evidence.empty()) {
    q.verdict = Verdict::kFound;
    found_args.emplace_back("count", std::to_string(q.evidence.size()));
    q.statement = statement_text(lang, std::string(key) + ".found", found_args);
  } else if (q.searched.empty()) {
    q.verdict = Verdict::kCannotTell;
    q.statement = statement_text(lang, std::string(key) + ".cannot_tell",
                                 {{"missing", join_labels(lang, q.missing)}});
  } else {
    q.verdict = Verdict::kNotFound;
    q.statement = statement_text(lang, std::string(key) + ".not_found",
                                 {{"searched", join_labels(lang, q.searched)}});
  }
}

void data_seen(const JudgeContext& x, QuestionModel& q,
               std::initializer_list<std::string_view> data) {
  for (auto d : data) (x.obs.seen(d) ? q.searched : q.missing).emplace_back(d);
}

std::string_view base_of(std::string_view p) {
  auto slash = p.find_last_of("\\/");
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

bool name_in(std::string_view path, std::initializer_list<std::string_view> names) {
  std::string b = ascii_lower(base_of(path));
  return std::any_of(names.begin(), names.end(), [&](std::string_view n) { return b == n; });
}

// Remote-execution services: PsExec and its clones.
bool is_remote_exec_service(const Observation& o) {
  std::string t = ascii_lower(o.service + " " + o.command_line + " " + o.path + " " + o.message);
  for (std::string_view s : {"psexesvc", "paexec", "remcom", "csexecsvc", "winexesvc", "btobto",
                             "\\\\127.0.0.1\\admin$", "\\admin$\\"})
    if (t.find(s) != std::string::npos) return true;
  return false;
}

// A command (service ImagePath, task action, Run value) that starts a shell or a
// program from a user-writable place: what persistence by an attacker looks like.
bool suspicious_command(std::string_view command) {
  if (command.empty()) return false;
  std::string c = ascii_lower(command);
  if (is_user_writable(c)) return true;
  for (std::string_view s :
       {"powershell", "cmd.exe /c", "cmd /c", "mshta", "rundll32", "regsvr32", "wscript", "cscript",
        "certutil", "bitsadmin", "-enc", "http://", "https://", "frombase64"})
    if (c.find(s) != std::string::npos) return true;
  return false;
}

}  // namespace

QuestionModel judge_file_changes(const JudgeContext& x) {
  QuestionModel q;
  q.id = "file_changes";
  data_seen(x, q, {"mft", "usnjrnl", "sysmon_file"});
  for (auto kind : {K::kFileWrite, K::kFileDelete, K::kDownloadMark})
    for (const auto* o : x.of(kind))
      if (x.suspect.is_file(*o)) add_evidence(q, cite(*o));
  for (const auto* f : x.findings()) {
    if (is_av_finding(*f) || !weighty(*f)) continue;
    if (f->question == "change_history" || (f->question == "file_origin" && !f->suspect))
      cite_finding(x, q, *f);
  }
  for (const auto* o : x.of(K::kTimestomp))
    if (x.suspect.is_file(*o)) add_evidence(q, cite(*o));
  conclude(x, q, "changes");
  return q;
}

QuestionModel judge_other_launches(const JudgeContext& x) {
  QuestionModel q;
  q.id = "other_launches";
  data_seen(x, q,
            {"sysmon_process", "security_4688", "prefetch", "bam", "userassist", "amcache_file",
             "shimcache"});
  for (const auto* f : x.findings()) {
    if (f->suspect || !weighty(*f)) continue;
    if (f->question != "other_launches" && f->question != "execution") continue;
    // Amcache and ShimCache show a program was present, not that it was launched.
    bool launch = std::any_of(f->evidence.begin(), f->evidence.end(), [&](const EvidenceItem& e) {
      return e.time && x.in_window(*e.time) && e.artifact != "amcache_file" &&
             e.artifact != "shimcache";
    });
    if (launch) cite_finding(x, q, *f);
  }
  // Programs started from user-writable places, and shells started by documents or browsers.
  for (const auto* o : x.of(K::kProcessStart)) {
    if (x.suspect.is_file(*o) || x.suspect.named_by(*o)) continue;
    if (o->artifact != "evtx") continue;
    std::string_view image = o->process.empty() ? o->path : o->process;
    bool shell = name_in(image, {"cmd.exe", "powershell.exe", "pwsh.exe", "wscript.exe",
                                 "cscript.exe", "mshta.exe", "rundll32.exe", "regsvr32.exe"});
    bool doc_parent = name_in(o->parent, {"winword.exe", "excel.exe", "powerpnt.exe", "outlook.exe",
                                          "acrord32.exe", "mspub.exe"});
    if ((shell && doc_parent) || !tampering_command(o->command_line).empty())
      add_evidence(q, cite(*o));
  }
  conclude(x, q, "launches");
  return q;
}

QuestionModel judge_intrusion(const JudgeContext& x) {
  QuestionModel q;
  q.id = "intrusion";
  data_seen(x, q, {"security_logon", "rdp", "system", "mft", "sysmon_file"});
  // Remote logons from another machine: RDP (type 10, RDP session logs) and network logons
  // from public addresses. Type 3 from the LAN is everyday file sharing.
  for (const auto* o : x.of(K::kLogon)) {
    if (!is_remote_address(o->src_ip)) continue;
    bool rdp = o->logon_type == 10 || o->event_id == 1149 || o->event_id == 21 ||
               o->event_id == 25 || o->has_tag("remote_access");
    bool external = !is_internal_ip(o->src_ip) && o->logon_type.value_or(3) == 3;
    if (rdp || external) add_evidence(q, cite(*o));
  }
  // PsExec-style remote service creation.
  for (const auto* o : x.of(K::kServiceInstall))
    if (is_remote_exec_service(*o)) add_evidence(q, cite(*o));
  // The suspect (or a file that later ran) came from the Internet, mail or removable media.
  for (const auto* o : x.of(K::kDownloadMark))
    if (x.suspect.is_file(*o)) add_evidence(q, cite(*o));
  for (auto kind : {K::kFileWrite, K::kDownloadMark})
    for (const auto* o : x.of(kind)) {
      if (!x.suspect.is_file(*o)) continue;
      std::string p = ascii_lower(o->path);
      if (p.find("content.outlook") != std::string::npos || p.find("\\olk") != std::string::npos)
        add_evidence(q, cite(*o));
    }
  for (const auto* f : x.findings()) {
    if (!weighty(*f)) continue;
    if (f->question == "intrusion" ||
        attack_in(*f, {"T1133", "T1110", "T1566", "T1189", "T1190", "T1021", "T1550"}))
      cite_finding(x, q, *f);
  }
  conclude(x, q, "intrusion");
  return q;
}

QuestionModel judge_persistence(const JudgeContext& x) {
  QuestionModel q;
  q.id = "persistence";
  data_seen(
      x, q,
      {"system", "security", "task_scheduler", "sysmon", "autorun", "service", "scheduled_task"});
  for (const auto* o : x.of(K::kServiceInstall))
    if (suspicious_command(o->command_line) || suspicious_command(o->path) ||
        is_remote_exec_service(*o) || x.suspect.named_by(*o) || x.suspect.is_file(*o))
      add_evidence(q, cite(*o));
  for (const auto* o : x.of(K::kTaskCreated))
    if (suspicious_command(o->command_line) || suspicious_command(o->value_data) ||
        suspicious_command(o->path) || x.suspect.named_by(*o))
      add_evidence(q, cite(*o));
  for (const auto* o : x.of(K::kAutorun)) {
    std::string k = ascii_lower(o->key + " " + o->message);
    bool ifeo = k.find("image file execution options") != std::string::npos &&
                k.find("debugger") != std::string::npos;
    if (ifeo || suspicious_command(o->value_data) || suspicious_command(o->target_path) ||
        x.suspect.named_by(*o))
      add_evidence(q, cite(*o));
  }
  for (const auto* o : x.of(K::kWmiPersistence)) {
    std::string t = ascii_lower(o->message + " " + o->command_line);
    if (t.find("bvtconsumer") != std::string::npos ||
        t.find("scm event log consumer") != std::string::npos)
      continue;  // Windows' own subscriptions
    add_evidence(q, cite(*o));
  }
  for (const auto* o : x.of(K::kAccountChange))
    if (o->event_id == 4720) add_evidence(q, cite(*o));
  for (const auto* f : x.findings())
    if (weighty(*f) && is_persistence_finding(*f) && !is_av_finding(*f)) cite_finding(x, q, *f);
  conclude(x, q, "persistence");
  return q;
}

QuestionModel judge_post_infection(const JudgeContext& x) {
  QuestionModel q;
  q.id = "post_infection";
  data_seen(x, q, {"security", "sysmon", "powershell", "security_4688"});
  for (const auto* f : x.findings()) {
    if (!weighty(*f) || is_persistence_finding(*f) || is_tampering_finding(*f)) continue;
    if (f->question == "post_infection") cite_finding(x, q, *f);
  }
  conclude(x, q, "post");
  return q;
}

QuestionModel judge_tampering(const JudgeContext& x) {
  QuestionModel q;
  q.id = "tampering";
  data_seen(
      x, q,
      {"security", "system", "defender", "sysmon_process", "security_4688", "powershell", "mft"});
  for (const auto* o : x.of(K::kLogCleared)) add_evidence(q, cite(*o));
  for (const auto* o : x.of(K::kAvTamper)) {
    // 5007 (configuration changed) is routine (signature updates, policy refresh); it is
    // tampering when it adds an exclusion or switches a protection off.
    if (o->event_id == 5007) {
      std::string v = ascii_lower(o->value_data + " " + o->message);
      bool exclusion = v.find("\\exclusions\\") != std::string::npos;
      bool disabled =
          (v.find("disable") != std::string::npos && v.find("= 0x1") != std::string::npos) ||
          v.find("tamperprotection = 0x0") != std::string::npos;
      if (!exclusion && !disabled) continue;
    }
    add_evidence(q, cite(*o));
  }
  for (auto kind : {K::kProcessStart, K::kScriptBlock})
    for (const auto* o : x.of(kind))
      if (!tampering_command(o->command_line.empty() ? o->message : o->command_line).empty())
        add_evidence(q, cite(*o));
  for (const auto* o : x.of(K::kTimestomp))
    if (x.suspect.is_file(*o)) add_evidence(q, cite(*o));
  for (const auto* f : x.findings())
    if (weighty(*f) && is_tampering_finding(*f)) cite_finding(x, q, *f);
  conclude(x, q, "tampering");
  return q;
}

}  // namespace kk::notice
