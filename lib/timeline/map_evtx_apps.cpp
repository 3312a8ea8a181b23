// Events outside Security and Sysmon that answer the standard questions: log clearing,
// services, PowerShell, Defender, Remote Desktop, Task Scheduler, WMI and BITS.
#include <string>
#include <unordered_map>

#include "core/ascii_case.hpp"
#include "timeline/evtx_data.hpp"

namespace kk::timeline {

namespace {

void say(Event& ev, MapContext& ctx, std::string_view id) {
  ctx.say(ev, id, event_args(ev));
}

// The image of a service ImagePath / command line: quoted, or up to ".exe", or to a space.
std::string image_of(const std::string& cmd) {
  if (cmd.empty()) return {};
  if (cmd[0] == '"') {
    std::size_t q = cmd.find('"', 1);
    return cmd.substr(1, q == std::string::npos ? std::string::npos : q - 1);
  }
  std::size_t exe = ascii_lower(cmd).find(".exe");
  if (exe != std::string::npos) return cmd.substr(0, exe + 4);
  return cmd.substr(0, cmd.find(' '));
}

// Eventlog 1102 (Security cleared) and 104 (any other log cleared): UserData
// LogFileCleared {SubjectUserName, SubjectDomainName, Channel, BackupPath}.
void on_log_cleared(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_if(ev, Field::kUser, d.s("SubjectUserName"));
  set_if(ev, Field::kDomain, d.s("SubjectDomainName"));
  set_if(ev, Field::kSid, d.s("SubjectUserSid"));
  MessageArgs args = event_args(ev);
  std::string log = d.s("Channel");
  if (log.empty()) log = std::string(ev.get_string(Field::kChannel));
  args.add("log", log);
  ev.tag(Tag::kLogCleared);
  ctx.say(ev, "evtx.eventlog.cleared", args);
}

// Service Control Manager 7045: ServiceName, ImagePath, ServiceType, StartType, AccountName.
void on_service_installed(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_if(ev, Field::kService, d.s("ServiceName"));
  std::string cmd = d.s("ImagePath");
  set_if(ev, Field::kCommandLine, cmd);
  set_path(ev, image_of(cmd));
  set_if(ev, Field::kServiceType, d.s("ServiceType"));
  set_if(ev, Field::kStartType, d.s("StartType"));
  set_if(ev, Field::kUser, d.s("AccountName"));
  ev.tag(Tag::kPersistence);
  ev.tag(Tag::kServiceInstalled);
  say(ev, ctx, "evtx.scm.7045");
}

// 7036 "The X service entered the Y state": param1, param2.
void on_service_state(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_if(ev, Field::kService, d.s("param1"));
  MessageArgs args = event_args(ev);
  std::string state = d.s("param2");
  args.add("state", state);
  ctx.say(ev, "evtx.scm.7036", args);
}

// 7040 "The start type of the X service was changed from A to B": param1..3.
void on_service_start_type(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_if(ev, Field::kService, d.s("param1"));
  set_if(ev, Field::kStartType, d.s("param3"));
  MessageArgs args = event_args(ev);
  std::string from = d.s("param2"), to = d.s("param3");
  args.add("from", from).add("to", to);
  ctx.say(ev, "evtx.scm.7040", args);
}

void on_service_crashed(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_if(ev, Field::kService, d.s("param1"));
  say(ev, ctx, "evtx.scm.7034");
}

// One line of at most N characters: script text is long and multi-line.
std::string excerpt(const std::string& s, std::size_t n) {
  std::string out;
  bool space = false;
  for (char c : s) {
    bool ws = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (ws) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
    if (out.size() >= n) {
      // Do not cut a UTF-8 sequence in half.
      while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80)
        out.pop_back();
      if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
      return out + "...";
    }
  }
  return out;
}

// The PowerShell channels log the powershell.exe process itself as the record's
// System/Execution ProcessID.
void powershell_process(element rec, Event& ev) {
  auto pid = integer(rec, "process_id");
  if (pid && *pid > 0) ev.set(Field::kPid, *pid);
}

// PowerShell 4104: MessageNumber, MessageTotal, ScriptBlockText, ScriptBlockId, Path.
void on_script_block(element rec, const DataView& d, Event& ev, MapContext& ctx) {
  powershell_process(rec, ev);
  set_if(ev, Field::kScriptBlockId, d.s("ScriptBlockId"));
  set_path(ev, d.s("Path"));
  auto n = d.i("MessageNumber"), total = d.i("MessageTotal");
  if (n && total && *total > 1)
    ev.set(Field::kScriptPart, std::to_string(*n) + " of " + std::to_string(*total));
  MessageArgs args = event_args(ev);
  std::string text = excerpt(d.s("ScriptBlockText"), 200);
  args.add("script", text);
  ev.tag(Tag::kPowershell);
  ctx.say(ev, "evtx.powershell.4104", args);
}

// 4103 module logging: ContextInfo holds "Host Application = …" and "Command Name = …".
std::string context_value(const std::string& info, std::string_view name) {
  std::size_t p = info.find(name);
  if (p == std::string::npos) return {};
  p = info.find('=', p);
  if (p == std::string::npos) return {};
  std::size_t e = info.find_first_of("\r\n", p);
  std::string v = info.substr(p + 1, e == std::string::npos ? std::string::npos : e - p - 1);
  std::size_t b = v.find_first_not_of(' ');
  return b == std::string::npos ? std::string() : v.substr(b);
}

void on_pipeline(element rec, const DataView& d, Event& ev, MapContext& ctx) {
  powershell_process(rec, ev);
  std::string info = d.s("ContextInfo");
  set_if(ev, Field::kCommandLine, context_value(info, "Host Application"));
  set_if(ev, Field::kPath, context_value(info, "Script Name"));
  MessageArgs args = event_args(ev);
  std::string command = context_value(info, "Command Name");
  std::string payload = excerpt(d.s("Payload"), 160);
  args.add("command", command).add("payload", payload);
  ev.tag(Tag::kPowershell);
  ctx.say(ev, "evtx.powershell.4103", args);
}

// Windows PowerShell 400/403/600/800: unnamed Data strings; the third holds
// "HostApplication=…" among tab-separated "Name=value" lines.
void on_engine(element rec, const DataView& d, Event& ev, MapContext& ctx) {
  powershell_process(rec, ev);
  std::string cmd;
  for (std::size_t i = 0; i < 8 && cmd.empty(); ++i)
    cmd = context_value(d.positional(i), "HostApplication");
  if (cmd.empty()) cmd = context_value(d.s("Data"), "HostApplication");
  set_if(ev, Field::kCommandLine, cmd);
  ev.tag(Tag::kPowershell);
  say(ev, ctx, "evtx.powershell.engine");
}

// Defender's "Path" is "file:_C:\x.exe;file:_C:\y.dll" (several resources, each
// prefixed by its kind); the first resource is the one shown.
std::string defender_path(const std::string& p) {
  std::string first = p.substr(0, p.find(';'));
  std::size_t u = first.find(":_");
  return u == std::string::npos ? first : first.substr(u + 2);
}

void on_defender_detection(element, const DataView& d, Event& ev, MapContext& ctx,
                           std::string_view id) {
  set_if(ev, Field::kThreat, d.s("Threat Name"));
  set_if(ev, Field::kThreatSeverity, d.s("Severity Name"));
  set_if(ev, Field::kThreatCategory, d.s("Category Name"));
  set_if(ev, Field::kAction, d.s("Action Name"));
  set_path(ev, defender_path(d.s("Path")));
  set_if(ev, Field::kProcess, d.s("Process Name"));
  std::string u = d.s("Detection User");
  std::size_t bs = u.find('\\');
  if (bs != std::string::npos) {
    ev.set(Field::kDomain, u.substr(0, bs));
    u = u.substr(bs + 1);
  }
  set_if(ev, Field::kUser, u);
  ev.tag(Tag::kAvDetection);
  say(ev, ctx, id);
}
void on_detected(element r, const DataView& d, Event& ev, MapContext& ctx) {
  on_defender_detection(r, d, ev, ctx, "evtx.defender.1116");
}
void on_action(element r, const DataView& d, Event& ev, MapContext& ctx) {
  on_defender_detection(r, d, ev, ctx, "evtx.defender.1117");
}
void on_action_failed(element r, const DataView& d, Event& ev, MapContext& ctx) {
  on_defender_detection(r, d, ev, ctx, "evtx.defender.1118");
}
void on_protection_disabled(element, const DataView&, Event& ev, MapContext& ctx) {
  ev.tag(Tag::kAvTampering);
  say(ev, ctx, "evtx.defender.disabled");
}
void on_config_changed(element, const DataView& d, Event& ev, MapContext& ctx) {
  std::string nv = d.s("New Value"), ov = d.s("Old Value");
  set_if(ev, Field::kValueData, nv.empty() ? ov : nv);
  ev.tag(Tag::kAvTampering);
  say(ev, ctx, "evtx.defender.5007");
}

// TerminalServices-LocalSessionManager 21-25: UserData EventXML {User, SessionID, Address}.
void rdp_session(const DataView& d, Event& ev, MapContext& ctx, std::string_view id) {
  std::string u = d.s("User");
  std::size_t bs = u.find('\\');
  if (bs != std::string::npos) {
    ev.set(Field::kDomain, u.substr(0, bs));
    u = u.substr(bs + 1);
  }
  set_if(ev, Field::kUser, u);
  set_if(ev, Field::kSessionId, d.s("SessionID"));
  std::string ip = d.s("Address");
  if (!is_local_address(ip)) ev.set(Field::kSrcIp, ip);
  ev.tag(Tag::kRemoteAccess);
  say(ev, ctx, id);
}
void on_rdp_logon(element, const DataView& d, Event& ev, MapContext& ctx) {
  ev.tag(Tag::kLogon);
  rdp_session(d, ev, ctx, "evtx.rdp.21");
}
void on_rdp_shell(element, const DataView& d, Event& ev, MapContext& ctx) {
  rdp_session(d, ev, ctx, "evtx.rdp.22");
}
void on_rdp_logoff(element, const DataView& d, Event& ev, MapContext& ctx) {
  ev.tag(Tag::kLogoff);
  rdp_session(d, ev, ctx, "evtx.rdp.23");
}
void on_rdp_disconnect(element, const DataView& d, Event& ev, MapContext& ctx) {
  ev.tag(Tag::kLogoff);
  rdp_session(d, ev, ctx, "evtx.rdp.24");
}
void on_rdp_reconnect(element, const DataView& d, Event& ev, MapContext& ctx) {
  ev.tag(Tag::kLogon);
  rdp_session(d, ev, ctx, "evtx.rdp.25");
}

// RemoteConnectionManager 1149: UserData EventXML {Param1 user, Param2 domain, Param3 ip}.
void on_rdp_auth(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_if(ev, Field::kUser, d.s("Param1"));
  set_if(ev, Field::kDomain, d.s("Param2"));
  set_if(ev, Field::kSrcIp, d.s("Param3"));
  ev.tag(Tag::kRemoteAccess);
  say(ev, ctx, "evtx.rdp.1149");
}

// TaskScheduler/Operational: 106 registered (TaskName, UserContext), 140 updated
// (TaskName, UserName), 141 deleted, 200/201 action started/completed, 129 process.
void task(const DataView& d, Event& ev, MapContext& ctx, std::string_view id) {
  set_if(ev, Field::kTask, d.s("TaskName"));
  std::string u = d.s("UserContext");
  if (u.empty()) u = d.s("UserName");
  set_if(ev, Field::kUser, u);
  say(ev, ctx, id);
}
void on_task_registered(element, const DataView& d, Event& ev, MapContext& ctx) {
  ev.tag(Tag::kTaskCreated);
  ev.tag(Tag::kPersistence);
  task(d, ev, ctx, "evtx.task.106");
}
void on_task_updated(element, const DataView& d, Event& ev, MapContext& ctx) {
  ev.tag(Tag::kTaskChanged);
  task(d, ev, ctx, "evtx.task.140");
}
void on_task_deleted(element, const DataView& d, Event& ev, MapContext& ctx) {
  ev.tag(Tag::kTaskChanged);
  task(d, ev, ctx, "evtx.task.141");
}
void on_task_action(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_if(ev, Field::kPath, d.s("ActionName"));
  task(d, ev, ctx, "evtx.task.200");
}
void on_task_process(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_path(ev, d.s("Path"));
  set_if(ev, Field::kProcess, d.s("Path"));
  set_if(ev, Field::kPid, d.i("ProcessID"));
  ev.tag(Tag::kExecution);
  task(d, ev, ctx, "evtx.task.129");
}

// WMI-Activity 5861: a permanent event consumer was bound (UserData with Namespace,
// ESS, CONSUMER, PossibleCause).
void on_wmi_consumer(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_if(ev, Field::kObject, d.s("CONSUMER"));
  ev.tag(Tag::kWmi);
  ev.tag(Tag::kPersistence);
  say(ev, ctx, "evtx.wmi.5861");
}

// Bits-Client 59/60: transfer started/stopped {name, url, …}.
void on_bits(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_if(ev, Field::kUrl, d.s("url"));
  set_if(ev, Field::kObject, d.s("name"));
  say(ev, ctx, "evtx.bits.transfer");
}

struct Key {
  std::string_view provider;
  std::int64_t id;
  bool operator==(const Key&) const = default;
};
struct KeyHash {
  std::size_t operator()(const Key& k) const {
    return std::hash<std::string_view>()(k.provider) * 31 + static_cast<std::size_t>(k.id);
  }
};

const std::unordered_map<Key, EvtxHandler, KeyHash>& handlers() {
  static constexpr std::string_view kEventlog = "Microsoft-Windows-Eventlog";
  static constexpr std::string_view kScm = "Service Control Manager";
  static constexpr std::string_view kPs = "Microsoft-Windows-PowerShell";
  static constexpr std::string_view kWinPs = "PowerShell";
  static constexpr std::string_view kDefender = "Microsoft-Windows-Windows Defender";
  static constexpr std::string_view kLsm = "Microsoft-Windows-TerminalServices-LocalSessionManager";
  static constexpr std::string_view kRcm =
      "Microsoft-Windows-TerminalServices-RemoteConnectionManager";
  static constexpr std::string_view kTask = "Microsoft-Windows-TaskScheduler";
  static constexpr std::string_view kWmi = "Microsoft-Windows-WMI-Activity";
  static constexpr std::string_view kBits = "Microsoft-Windows-Bits-Client";
  static const std::unordered_map<Key, EvtxHandler, KeyHash> m = {
      {{kEventlog, 1102}, on_log_cleared},
      {{kEventlog, 104}, on_log_cleared},
      {{kScm, 7045}, on_service_installed},
      {{kScm, 7036}, on_service_state},
      {{kScm, 7040}, on_service_start_type},
      {{kScm, 7034}, on_service_crashed},
      {{kPs, 4104}, on_script_block},
      {{kPs, 4103}, on_pipeline},
      {{kWinPs, 400}, on_engine},
      {{kWinPs, 403}, on_engine},
      {{kWinPs, 600}, on_engine},
      {{kWinPs, 800}, on_engine},
      {{kDefender, 1116}, on_detected},
      {{kDefender, 1117}, on_action},
      {{kDefender, 1006}, on_detected},
      {{kDefender, 1007}, on_action},
      {{kDefender, 1118}, on_action_failed},
      {{kDefender, 1119}, on_action_failed},
      {{kDefender, 5001}, on_protection_disabled},
      {{kDefender, 5010}, on_protection_disabled},
      {{kDefender, 5012}, on_protection_disabled},
      {{kDefender, 5007}, on_config_changed},
      {{kLsm, 21}, on_rdp_logon},
      {{kLsm, 22}, on_rdp_shell},
      {{kLsm, 23}, on_rdp_logoff},
      {{kLsm, 24}, on_rdp_disconnect},
      {{kLsm, 25}, on_rdp_reconnect},
      {{kRcm, 1149}, on_rdp_auth},
      {{kTask, 106}, on_task_registered},
      {{kTask, 140}, on_task_updated},
      {{kTask, 141}, on_task_deleted},
      {{kTask, 200}, on_task_action},
      {{kTask, 129}, on_task_process},
      {{kWmi, 5861}, on_wmi_consumer},
      {{kBits, 59}, on_bits},
      {{kBits, 60}, on_bits},
  };
  return m;
}

}  // namespace

EvtxHandler find_app_handler(std::string_view provider, std::int64_t event_id) {
  auto it = handlers().find(Key{provider, event_id});
  return it == handlers().end() ? nullptr : it->second;
}

}  // namespace kk::timeline
