// Questions 3-8: what else happened in the window (file changes, other launches,
// intrusion, persistence, post-infection activity, tampering). Each judge collects the
// records that prove its question; "found" needs at least one, "cannot_tell" means the data
// that would show it is absent (docs/verdicts.md).
#include <algorithm>

#include "core/ascii_case.hpp"
#include "core/path_leaf.hpp"
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
// A UAC bypass (T1548.002): the registry hijacks that make an auto-elevating Windows
// program start the attacker's command (fodhelper/computerdefaults ms-settings, eventvwr
// mscfile, sdclt IsolatedCommand, the windir/SilentCleanup environment hijack).
bool is_uac_bypass(std::string_view command_line) {
  std::string c = ascii_lower(command_line);
  auto has = [&](std::string_view t) { return c.find(t) != std::string::npos; };
  if (has("\\environment") && has("windir") && (has("reg ") || has("reg.exe") || has("&& rem")))
    return true;
  if (has("ms-settings\\shell\\open\\command") || has("mscfile\\shell\\open\\command") ||
      has("exefile\\shell\\runas\\command") || has("isolatedcommand"))
    return true;
  return false;
}

// Another product's detection in the network/security logs the customer handed over.
bool is_netlog_detection(const Finding& f) {
  return f.rule_id == "KK-NET-001";
}
std::string field_of(const EvidenceItem& e, std::string_view key) {
  for (const auto& [k, v] : e.fields)
    if (k == key) return v;
  return {};
}
// Which question such a detection answers: a threat coming in, or a file or URL fetched
// (delivery) is intrusion; the PC reaching out to a flagged address is post-infection.
bool netlog_detection_is_outbound(const EvidenceItem& e) {
  if (!field_of(e, "file_name").empty() || !field_of(e, "url").empty()) return false;
  std::string src = field_of(e, "src_ip"), dst = field_of(e, "dst_ip");
  return !src.empty() && is_internal_ip(src) && !dst.empty() && !is_internal_ip(dst);
}
// Cites another product's detections in the window for INTRUSION (or not) and returns the
// sentence naming the earliest, a second anchor beside the case's own detection.
std::string cite_netlog_detections(const JudgeContext& x, QuestionModel& q, bool intrusion) {
  const EvidenceItem* first = nullptr;
  for (const auto* f : x.findings()) {
    if (!is_netlog_detection(*f)) continue;
    for (const auto& e : f->evidence) {
      if (!e.time || !x.in_window(*e.time) || netlog_detection_is_outbound(e) == intrusion)
        continue;
      add_evidence(q, cite(*f, e));
      if (std::find(q.finding_ids.begin(), q.finding_ids.end(), f->id) == q.finding_ids.end())
        q.finding_ids.push_back(f->id);
      if (!first || *e.time < *first->time) first = &e;
    }
  }
  if (!first) return {};
  return statement_text(x.opt.lang, "net.second_anchor",
                        {{"product", std::string(x.in.netlog_product_name(
                                         first->source, field_of(*first, "product")))},
                         {"threat", field_of(*first, "threat")},
                         {"time", x.when(*first->time)}});
}

bool is_av_finding(const Finding& f) {
  return f.rule_id.rfind("KK-AV-00", 0) == 0 && f.question == "file_origin";
}

// A finding counts as evidence when its rule is confident enough: high and critical, built-in
// or Sigma (Sigma's medium and low levels include hunting rules that fire on ordinary machines).
bool weighty(const Finding& f) {
  // Medium built-in rules ("a program in a user-writable folder") also describe browser
  // updaters and installers: context, not proof (measured on the ordinary-machine
  // scenarios in tests/scenarios, see docs/verdicts.md).
  return severity_rank(f.severity) >= 3;
}

void cite_finding(const JudgeContext& x, QuestionModel& q, const Finding& f) {
  q.finding_ids.push_back(f.id);
  for (const auto& e : f.evidence)
    if (e.time && x.in_window(*e.time)) add_evidence(q, cite(f, e));
}

// The customer's network-log findings below the evidence bar (blocked traffic, beaconing,
// volume out, a destination the PC also shows): a line about a destination the PC's own
// cited records reach corroborates them and is cited beside them; any other line is shown
// as context (参考) and decides nothing, as firewalls block ads and updaters beacon.
void cite_network_log_findings(const JudgeContext& x, QuestionModel& q,
                               const std::vector<std::string>& destinations) {
  auto reached = [&](const std::string& value) {
    if (value.empty()) return false;
    std::string v = ascii_lower(value);
    return std::find(destinations.begin(), destinations.end(), v) != destinations.end();
  };
  for (const auto* f : x.findings()) {
    if (f->question != q.id || weighty(*f) || is_netlog_detection(*f)) continue;
    bool used = false;
    for (const auto& e : f->evidence) {
      if (e.artifact != "netlog" || !e.time || !x.in_window(*e.time)) continue;
      if (reached(field_of(e, "dst_ip")) || reached(field_of(e, "host"))) {
        add_evidence(q, cite(*f, e));
        used = true;
      } else {
        add_context(q, cite(*f, e));
      }
    }
    if (used) q.finding_ids.push_back(f->id);
  }
}

// Appends SENTENCE to TEXT (Japanese sentences join without a space).
void add_sentence(const JudgeContext& x, std::string& text, std::string_view sentence) {
  if (x.opt.lang != Lang::kJa) text += ' ';
  text += sentence;
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
    q.statement =
        statement_text(lang, std::string(key) + ".cannot_tell", {{"missing", missing_text(x, q)}});
  } else {
    q.verdict = Verdict::kNotFound;
    q.statement =
        statement_text(lang, std::string(key) + ".not_found", {{"searched", searched_text(x, q)}});
  }
}

bool name_in(std::string_view path, std::initializer_list<std::string_view> names) {
  std::string b = ascii_lower(path_leaf(path));
  return std::any_of(names.begin(), names.end(), [&](std::string_view n) { return b == n; });
}

// A service whose program is a shell one-liner: how remote-execution tools (Metasploit and
// Impacket psexec/smbexec, Cobalt Strike) start their payload through the service manager.
bool is_shell_one_liner(std::string_view command) {
  std::string c = ascii_lower(command);
  auto has = [&](std::string_view x) { return c.find(x) != std::string::npos; };
  if (has("%comspec%") && (has("/c") || has("/b"))) return true;
  if ((has("cmd.exe /c") || has("cmd /c") || has("cmd.exe /q /c")) &&
      (has("powershell") || has("\\\\127.0.0.1\\") || has("__output")))
    return true;
  return has("powershell") && (has("-enc") || has("-nop") || has("hidden") || has("frombase64"));
}

// Remote-execution services: PsExec and its clones, and shell one-liner services.
bool is_remote_exec_service(const Observation& o) {
  std::string t =
      ascii_lower(o.service + " " + o.command_line + " " + o.path + " " + o.message + " " + o.key);
  for (std::string_view s : {"psexesvc", "paexec", "remcom", "csexecsvc", "winexesvc", "btobto",
                             "\\\\127.0.0.1\\admin$", "\\admin$\\"})
    if (t.find(s) != std::string::npos) return true;
  return is_shell_one_liner(o.command_line) || is_shell_one_liner(o.value_data);
}

bool is_script_host_or_lolbin(std::string_view image) {
  return name_in(image, {"mshta.exe",
                         "rundll32.exe",
                         "regsvr32.exe",
                         "wscript.exe",
                         "cscript.exe",
                         "certutil.exe",
                         "bitsadmin.exe",
                         "msxsl.exe",
                         "installutil.exe",
                         "regasm.exe",
                         "regsvcs.exe",
                         "msbuild.exe",
                         "cmstp.exe",
                         "odbcconf.exe",
                         "pcalua.exe",
                         "forfiles.exe",
                         "hh.exe",
                         "wmic.exe",
                         "powershell.exe",
                         "pwsh.exe",
                         "desktopimgdownldr.exe",
                         "esentutl.exe",
                         "expand.exe",
                         "extrac32.exe",
                         "ieexec.exe",
                         "infdefaultinstall.exe"});
}

// A program start that deserves the customer's attention: a script host or LOLBin told
// to fetch, decode or run a script, or a shell started by a document or a service.
bool suspicious_launch(const Observation& o) {
  std::string_view image = o.process.empty() ? o.path : o.process;
  std::string c = ascii_lower(o.command_line);
  auto has = [&](std::string_view x) { return c.find(x) != std::string::npos; };
  bool shell = name_in(image, {"cmd.exe", "powershell.exe", "pwsh.exe", "wscript.exe",
                               "cscript.exe", "mshta.exe", "rundll32.exe", "regsvr32.exe"});
  if (shell && name_in(o.parent, {"winword.exe", "excel.exe", "powerpnt.exe", "outlook.exe",
                                  "acrord32.exe", "mspub.exe", "onenote.exe", "eqnedt32.exe"}))
    return true;
  if (shell && name_in(o.parent, {"services.exe"}) && is_shell_one_liner(o.command_line))
    return true;
  if (!is_script_host_or_lolbin(image)) return false;
  for (std::string_view x : {"http://",
                             "https://",
                             "ftp://",
                             "javascript:",
                             "vbscript:",
                             " -enc",
                             "-encodedcommand",
                             "frombase64",
                             "/e:jscript",
                             "/e:vbscript",
                             "downloadstring",
                             "downloadfile",
                             "invoke-webrequest",
                             "iwr ",
                             "net.webclient",
                             "-urlcache",
                             "/transfer",
                             "scrobj",
                             "/i:http",
                             "-w hidden",
                             "-windowstyle hidden",
                             "iex("})
    if (has(x)) return true;
  // A script or library run from a user-writable place (Temp\info.txt, Downloads\x.js).
  if (is_user_writable(c) && !name_in(image, {"powershell.exe", "pwsh.exe"}))
    for (std::string_view x : {".js", ".jse", ".vbs", ".vbe", ".hta", ".sct", ".txt", ".dll",
                               ".cpl", ".ocx", ".wsf", ".xsl", ".inf", ".dat"})
      if (has(x)) return true;
  return false;
}

// A program or script written into a Startup folder (a shortcut there is everyday
// installer work, a program or script is not).
bool is_startup_program(std::string_view path) {
  std::string p = ascii_lower(path);
  if (p.find("\\start menu\\programs\\startup\\") == std::string::npos) return false;
  for (std::string_view ext : {".exe", ".bat", ".cmd", ".vbs", ".vbe", ".js", ".jse", ".ps1",
                               ".hta", ".scr", ".dll", ".wsf", ".com", ".pif"})
    if (iends_with(p, ext)) return true;
  return false;
}

// A task file in the task store other than Microsoft's own folder.
bool is_task_file(std::string_view path) {
  std::string p = ascii_lower(path);
  return p.find("\\system32\\tasks\\") != std::string::npos &&
         p.find("\\tasks\\microsoft\\") == std::string::npos;
}

// A command (service ImagePath, task action, Run value) that starts a shell or a
// program from a user-writable place: what persistence by an attacker looks like.
bool suspicious_command(std::string_view command) {
  if (command.empty()) return false;
  std::string c = ascii_lower(command);
  // Defender's own kernel drivers under ProgramData (MpKsl*.sys, every signature update).
  if (c.find("\\programdata\\microsoft\\windows defender\\") != std::string::npos) return false;
  if (is_user_writable(c)) return true;
  for (std::string_view s :
       {"powershell", "cmd.exe /c", "cmd /c", "mshta", "rundll32", "regsvr32", "wscript", "cscript",
        "certutil", "bitsadmin", "-enc", "http://", "https://", "frombase64"})
    if (c.find(s) != std::string::npos) return true;
  return false;
}

}  // namespace

QuestionModel judge_file_changes(const JudgeContext& x, const std::vector<std::string>& actors,
                                 bool persistence_found) {
  QuestionModel q;
  q.id = "file_changes";
  assess_data(x, q, {"mft", "usnjrnl", "sysmon_file"});
  for (auto kind : {K::kFileWrite, K::kFileDelete, K::kDownloadMark})
    for (const auto* o : x.of(kind)) {
      bool by_actor = !o->process.empty() &&
                      std::any_of(actors.begin(), actors.end(),
                                  [&](const std::string& a) { return iequals(a, o->process); });
      // A task file counts once the task is known to be the attacker's (question 6).
      bool task = persistence_found && is_task_file(o->path);
      if (x.suspect.is_file(*o) || is_startup_program(o->path) || task || by_actor)
        add_evidence(q, cite(*o));
    }
  for (const auto* f : x.findings()) {
    if (is_av_finding(*f) || is_netlog_detection(*f) || !weighty(*f)) continue;
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
  assess_data(x, q,
              {"sysmon_process", "security_4688", "prefetch", "bam", "userassist", "amcache_file",
               "shimcache"});
  for (const auto* f : x.findings()) {
    if (f->suspect || !weighty(*f) || is_tampering_finding(*f) || is_persistence_finding(*f))
      continue;  // (those answer questions 6 and 8, whatever question the rule maps to)
    if (f->question != "other_launches" && f->question != "execution") continue;
    // A launch is a process start (Sysmon 1, 4688) or an execution artifact; Amcache and
    // ShimCache show a program was present, and a rule about another event (a cleared log,
    // a logon) is not about a launch, whatever question its tags map to.
    bool launch = std::any_of(f->evidence.begin(), f->evidence.end(), [&](const EvidenceItem& e) {
      if (!e.time || !x.in_window(*e.time)) return false;
      if (e.artifact == "evtx") return e.event_id == 1 || e.event_id == 4688;
      return e.artifact == "prefetch" || e.artifact == "bam" || e.artifact == "userassist";
    });
    if (launch) cite_finding(x, q, *f);
  }
  // Script hosts and LOLBins fetching or running scripts, shells started by documents or
  // services, tampering commands (the suspect's own start is question 2).
  for (const auto* o : x.of(K::kProcessStart)) {
    if (x.suspect.is_file(*o) || x.suspect.named_by(*o)) continue;
    if (o->artifact != "evtx") continue;
    if (suspicious_launch(*o) || !tampering_command(o->command_line).empty())
      add_evidence(q, cite(*o));
  }
  conclude(x, q, "launches");
  return q;
}

QuestionModel judge_intrusion(const JudgeContext& x) {
  QuestionModel q;
  q.id = "intrusion";
  assess_data(x, q, {"security_logon", "rdp", "system", "mft", "sysmon_file", "sysmon_process"},
              true);
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
  // The suspect, or a file that later ran, arrived from the Internet or by mail: a Mark of
  // the Web, or written by a browser, Explorer or a mail client into Downloads or a mail
  // attachment folder ("arrived, then ran").
  const auto starts = x.of(K::kProcessStart);
  auto ran_later = [&](const Observation& w) {
    std::string p = ascii_lower(w.path);
    if (p.empty()) return false;
    return std::any_of(starts.begin(), starts.end(), [&](const Observation* s) {
      return s->time >= w.time && (iequals(s->process, w.path) ||
                                   ascii_lower(s->command_line).find(p) != std::string::npos);
    });
  };
  for (auto kind : {K::kFileWrite, K::kDownloadMark})
    for (const auto* o : x.of(kind)) {
      std::string p = ascii_lower(o->path);
      bool mail =
          p.find("content.outlook") != std::string::npos || p.find("\\olk") != std::string::npos;
      bool arrived = kind == K::kDownloadMark || mail ||
                     p.find("\\downloads\\") != std::string::npos ||
                     name_in(o->process, {"explorer.exe", "chrome.exe", "msedge.exe", "firefox.exe",
                                          "iexplore.exe", "outlook.exe", "thunderbird.exe",
                                          "opera.exe", "brave.exe"});
      if (arrived && (x.suspect.is_file(*o) || ran_later(*o))) add_evidence(q, cite(*o));
    }
  for (const auto* f : x.findings()) {
    if (!weighty(*f) || is_netlog_detection(*f)) continue;
    if (f->question == "intrusion" ||
        attack_in(*f, {"T1133", "T1110", "T1566", "T1189", "T1190", "T1021", "T1550"}))
      cite_finding(x, q, *f);
  }
  std::string second = cite_netlog_detections(x, q, true);
  conclude(x, q, "intrusion");
  if (q.verdict == Verdict::kFound && !second.empty()) add_sentence(x, q.statement, second);
  return q;
}

QuestionModel judge_persistence(const JudgeContext& x) {
  QuestionModel q;
  q.id = "persistence";
  assess_data(
      x, q,
      {"system", "security", "task_scheduler", "sysmon", "autorun", "service", "scheduled_task"});
  for (const auto* o : x.of(K::kServiceInstall))
    if (suspicious_command(o->command_line) || suspicious_command(o->path) ||
        suspicious_command(o->value_data) || is_remote_exec_service(*o) || x.suspect.named_by(*o) ||
        x.suspect.is_file(*o))
      add_evidence(q, cite(*o));
  // Persistence made from a command line: schtasks /create, sc create, reg add …\Run.
  for (const auto* o : x.of(K::kProcessStart)) {
    std::string c = ascii_lower(o->command_line);
    auto has = [&](std::string_view t) { return c.find(t) != std::string::npos; };
    std::string action;
    if (has("schtasks") && has("/create") && has("/tr"))
      action = c.substr(c.find("/tr"));
    else if (has("register-scheduledtask") || has("new-scheduledtaskaction"))
      action = c;
    else if ((has("sc ") || has("sc.exe")) && has(" create") && has("binpath"))
      action = c.substr(c.find("binpath"));
    else if ((has("reg ") || has("reg.exe")) && has(" add") && has("\\currentversion\\run"))
      action = c;
    else if (has("new-service") || (has("new-itemproperty") && has("\\currentversion\\run")))
      action = c;
    if (!action.empty() && (suspicious_command(action) || x.suspect.named_by(*o)))
      add_evidence(q, cite(*o));
  }
  for (const auto* o : x.of(K::kFileWrite))
    if (is_startup_program(o->path)) add_evidence(q, cite(*o));
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
  assess_data(x, q, {"security", "sysmon", "powershell", "security_4688", "srum_network_usage"});
  for (const auto* f : x.findings()) {
    if (!weighty(*f) || is_persistence_finding(*f) || is_tampering_finding(*f)) continue;
    if (f->question == "post_infection") cite_finding(x, q, *f);
  }
  // Destinations the PC's own cited records reach: network-log lines about them corroborate.
  std::vector<std::string> reached;
  auto cite_connection = [&](const Observation& o) {
    add_evidence(q, cite(o));
    reached.push_back(ascii_lower(o.dst_ip));
    reached.push_back(ascii_lower(o.dst_host));
  };
  // Command and control: a script host or LOLBin talking to an outside address.
  for (const auto* o : x.of(K::kNetwork)) {
    std::string_view image = o->process.empty() ? o->path : o->process;
    if (!is_script_host_or_lolbin(image) || !is_remote_address(o->dst_ip)) continue;
    // Inside the LAN only on a port no Windows service uses (a reverse shell on 4444), as
    // PowerShell and friends talk to file, web, directory and WinRM servers every day.
    const std::int64_t port = o->dst_port.value_or(0);
    bool everyday_port = port == 80 || port == 443 || port == 445 || port == 53 || port == 88 ||
                         port == 135 || port == 389 || port == 636 || port == 3268 ||
                         port == 5985 || port == 5986 || port == 8080 || port == 3128;
    if (!is_internal_ip(o->dst_ip) || !everyday_port) cite_connection(*o);
  }
  for (const auto* o : x.of(K::kProcessStart))
    if (is_uac_bypass(o->command_line)) add_evidence(q, cite(*o));
  // The suspect itself on the network: its connections (Sysmon 3/22) and the bytes SRUM
  // counted for it.
  for (const auto* o : x.of(K::kNetwork)) {
    if (!x.suspect.is_file(*o)) continue;
    if (o->artifact == "srum_network_usage" &&
        o->bytes_sent.value_or(0) + o->bytes_received.value_or(0) == 0)
      continue;
    cite_connection(*o);
  }
  std::string second = cite_netlog_detections(x, q, false);
  cite_network_log_findings(x, q, reached);
  conclude(x, q, "post");
  if (q.verdict == Verdict::kFound && !second.empty()) add_sentence(x, q.statement, second);
  if (!q.context.empty())
    add_sentence(
        x, q.statement,
        statement_text(x.opt.lang, "post.context", {{"count", std::to_string(q.context.size())}}));
  return q;
}

QuestionModel judge_tampering(const JudgeContext& x) {
  QuestionModel q;
  q.id = "tampering";
  assess_data(
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
