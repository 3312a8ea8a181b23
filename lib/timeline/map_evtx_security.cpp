// Security log (provider Microsoft-Windows-Security-Auditing) events: logons, process
// creation, accounts, groups, tasks, shares. Field names follow the event schemas
// Windows publishes for each id (e.g. 4624: TargetUserName, LogonType, IpAddress).
#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <utility>

#include "core/ascii_case.hpp"
#include "timeline/evtx_data.hpp"

namespace kk::timeline {

namespace {

void subject(const DataView& d, Event& ev) {
  set_if(ev, Field::kSubjectUser, d.s("SubjectUserName"));
  set_if(ev, Field::kSubjectDomain, d.s("SubjectDomainName"));
  set_if(ev, Field::kSubjectSid, d.s("SubjectUserSid"));
}

// The account a logon-type event is about.
void target_as_user(const DataView& d, Event& ev) {
  set_if(ev, Field::kUser, d.s("TargetUserName"));
  set_if(ev, Field::kDomain, d.s("TargetDomainName"));
  set_if(ev, Field::kSid, d.s("TargetUserSid"));
}

void subject_as_user(const DataView& d, Event& ev) {
  set_if(ev, Field::kUser, d.s("SubjectUserName"));
  set_if(ev, Field::kDomain, d.s("SubjectDomainName"));
  set_if(ev, Field::kSid, d.s("SubjectUserSid"));
  set_if(ev, Field::kLogonId, d.s("SubjectLogonId"));
}

void logon_type(const DataView& d, Event& ev, MapContext& ctx, MessageArgs& args,
                std::string& label) {
  auto lt = d.i("LogonType");
  if (!lt) return;
  ev.set(Field::kLogonType, *lt);
  std::string id = "logon_type." + std::to_string(*lt);
  std::string_view en =
      MessageCatalog::instance().text("logon_type_name." + std::to_string(*lt), Lang::kEn);
  if (!en.empty()) ev.set(Field::kLogonTypeName, en);
  label = std::string(ctx.name(id, "?"));
  args.add("logon_type_label", label);
}

void network_source(const DataView& d, Event& ev) {
  std::string ip = d.s("IpAddress");
  set_if(ev, Field::kSrcIp, ip);  // loopback is kept: it tells "from this machine"
  auto port = d.i("IpPort");
  if (port && *port > 0) ev.set(Field::kSrcPort, *port);
  set_if(ev, Field::kWorkstation, d.s("WorkstationName"));
}

void calling_process(const DataView& d, Event& ev) {
  set_if(ev, Field::kProcess, d.s("ProcessName"));
  auto pid = d.i("ProcessId");
  if (pid && *pid > 0) ev.set(Field::kPid, *pid);
}

bool remote_logon(const Event& ev) {
  std::int64_t t = ev.get_int(Field::kLogonType, -1);
  if (t == 10 || t == 12) return true;
  return t == 3 && !is_local_address(ev.get_string(Field::kSrcIp));
}

void on_logon(element, const DataView& d, Event& ev, MapContext& ctx) {
  target_as_user(d, ev);
  subject(d, ev);
  set_if(ev, Field::kLogonId, d.s("TargetLogonId"));
  set_if(ev, Field::kLogonProcess, d.s("LogonProcessName"));
  set_if(ev, Field::kAuthPackage, d.s("AuthenticationPackageName"));
  network_source(d, ev);
  calling_process(d, ev);
  MessageArgs args = event_args(ev);
  std::string label;
  logon_type(d, ev, ctx, args, label);
  ev.tag(Tag::kLogon);
  if (remote_logon(ev)) ev.tag(Tag::kRemoteLogon);
  ctx.say(ev, "evtx.security.4624", args);
}

// NTSTATUS of a failed logon; SubStatus is the precise reason when Status is the
// generic 0xc000006d ("bad user name or authentication information").
void failure_status(const DataView& d, Event& ev, MapContext& ctx, MessageArgs& args,
                    std::string& reason) {
  std::string status = ascii_lower(d.s("Status")), sub = ascii_lower(d.s("SubStatus"));
  set_if(ev, Field::kStatus, status);
  if (sub != "0x0") set_if(ev, Field::kSubStatus, sub);
  set_if(ev, Field::kFailureReason, d.s("FailureReason"));
  std::string code = (!sub.empty() && sub != "0x0") ? sub : status;
  if (code.empty()) return;
  reason = std::string(ctx.name("ntstatus." + code, code));
  args.add("failure_label", reason);
}

void on_logon_failed(element, const DataView& d, Event& ev, MapContext& ctx) {
  target_as_user(d, ev);
  subject(d, ev);
  set_if(ev, Field::kLogonProcess, d.s("LogonProcessName"));
  set_if(ev, Field::kAuthPackage, d.s("AuthenticationPackageName"));
  network_source(d, ev);
  calling_process(d, ev);
  MessageArgs args = event_args(ev);
  std::string label, reason;
  logon_type(d, ev, ctx, args, label);
  failure_status(d, ev, ctx, args, reason);
  ev.tag(Tag::kLogonFailed);
  ctx.say(ev, "evtx.security.4625", args);
}

void on_logoff(element, const DataView& d, Event& ev, MapContext& ctx) {
  target_as_user(d, ev);
  set_if(ev, Field::kLogonId, d.s("TargetLogonId"));
  MessageArgs args = event_args(ev);
  std::string label;
  logon_type(d, ev, ctx, args, label);
  ev.tag(Tag::kLogoff);
  ctx.say(ev, "evtx.security.logoff", args);
}

void on_explicit_credentials(element, const DataView& d, Event& ev, MapContext& ctx) {
  subject_as_user(d, ev);
  set_if(ev, Field::kTargetUser, d.s("TargetUserName"));
  set_if(ev, Field::kTargetDomain, d.s("TargetDomainName"));
  set_if(ev, Field::kDstHost, d.s("TargetServerName"));
  network_source(d, ev);
  calling_process(d, ev);
  ev.tag(Tag::kExplicitCredentials);
  ctx.say(ev, "evtx.security.4648", event_args(ev));
}

void on_special_privileges(element, const DataView& d, Event& ev, MapContext& ctx) {
  subject_as_user(d, ev);
  ev.tag(Tag::kPrivilegedLogon);
  ctx.say(ev, "evtx.security.4672", event_args(ev));
}

void on_process_created(element, const DataView& d, Event& ev, MapContext& ctx) {
  // The new process runs as Target* when it differs from the creator (Subject*).
  std::string target = d.s("TargetUserName");
  if (!target.empty()) {
    target_as_user(d, ev);
    subject(d, ev);
  } else {
    subject_as_user(d, ev);
  }
  set_if(ev, Field::kProcess, d.s("NewProcessName"));
  set_if(ev, Field::kPid, d.i("NewProcessId"));
  set_if(ev, Field::kCommandLine, d.s("CommandLine"));
  set_if(ev, Field::kParent, d.s("ParentProcessName"));
  set_if(ev, Field::kParentPid, d.i("ProcessId"));
  set_if(ev, Field::kIntegrityLevel, d.s("MandatoryLabel"));
  set_path(ev, d.s("NewProcessName"));
  ev.tag(Tag::kExecution);
  ctx.say(ev, ev.has(Field::kCommandLine) ? "evtx.security.4688" : "evtx.security.4688.no_cmd",
          event_args(ev));
}

void on_process_exited(element, const DataView& d, Event& ev, MapContext& ctx) {
  subject_as_user(d, ev);
  calling_process(d, ev);
  ctx.say(ev, "evtx.security.4689", event_args(ev));
}

// "C:\x.exe" args, or the <Command>/<Arguments> of a task's XML definition.
std::string xml_element(const std::string& xml, std::string_view name) {
  std::string open = "<" + std::string(name) + ">", close = "</" + std::string(name) + ">";
  std::size_t b = xml.find(open);
  if (b == std::string::npos) return {};
  b += open.size();
  std::size_t e = xml.find(close, b);
  if (e == std::string::npos) return {};
  // Element text is XML-escaped inside the TaskContent string ("2&gt;&amp;1").
  std::string raw = xml.substr(b, e - b), out;
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
  for (std::size_t i = 0; i < raw.size();) {
    bool replaced = false;
    for (auto [entity, ch] : kEntities)
      if (raw.compare(i, entity.size(), entity) == 0) {
        out.push_back(ch);
        i += entity.size();
        replaced = true;
        break;
      }
    if (!replaced) out.push_back(raw[i++]);
  }
  return out;
}

void on_service_installed(element, const DataView& d, Event& ev, MapContext& ctx) {
  subject_as_user(d, ev);
  set_if(ev, Field::kService, d.s("ServiceName"));
  set_if(ev, Field::kCommandLine, d.s("ServiceFileName"));
  set_if(ev, Field::kServiceType, d.s("ServiceType"));
  set_if(ev, Field::kStartType, d.s("ServiceStartType"));
  ev.tag(Tag::kPersistence);
  ev.tag(Tag::kServiceInstalled);
  ctx.say(ev, "evtx.security.4697", event_args(ev));
}

void on_task(element, const DataView& d, Event& ev, MapContext& ctx, std::string_view id, Tag tag) {
  subject_as_user(d, ev);
  set_if(ev, Field::kTask, d.s("TaskName"));
  std::string xml = d.s("TaskContent");
  if (xml.empty()) xml = d.s("TaskContentNew");
  std::string cmd = xml_element(xml, "Command"), arg = xml_element(xml, "Arguments");
  if (!arg.empty()) cmd += " " + arg;
  set_if(ev, Field::kCommandLine, cmd);
  set_path(ev, xml_element(xml, "Command"));
  ev.tag(tag);
  if (tag == Tag::kTaskCreated) ev.tag(Tag::kPersistence);
  ctx.say(ev, id, event_args(ev));
}

void on_task_created(element r, const DataView& d, Event& ev, MapContext& ctx) {
  on_task(r, d, ev, ctx, "evtx.security.4698", Tag::kTaskCreated);
}
void on_task_deleted(element r, const DataView& d, Event& ev, MapContext& ctx) {
  on_task(r, d, ev, ctx, "evtx.security.4699", Tag::kTaskChanged);
}
void on_task_enabled(element r, const DataView& d, Event& ev, MapContext& ctx) {
  on_task(r, d, ev, ctx, "evtx.security.4700", Tag::kTaskChanged);
}
void on_task_disabled(element r, const DataView& d, Event& ev, MapContext& ctx) {
  on_task(r, d, ev, ctx, "evtx.security.4701", Tag::kTaskChanged);
}
void on_task_updated(element r, const DataView& d, Event& ev, MapContext& ctx) {
  on_task(r, d, ev, ctx, "evtx.security.4702", Tag::kTaskChanged);
}

void on_audit_policy(element, const DataView& d, Event& ev, MapContext& ctx) {
  subject_as_user(d, ev);
  ev.tag(Tag::kAuditPolicyChange);
  ctx.say(ev, "evtx.security.4719", event_args(ev));
}

// 4720-4781: the account acted on is Target*, the actor Subject*.
void account(const DataView& d, Event& ev, MapContext& ctx, std::string_view id) {
  subject(d, ev);
  set_if(ev, Field::kUser, d.s("SubjectUserName"));
  set_if(ev, Field::kTargetUser, d.s("TargetUserName"));
  set_if(ev, Field::kTargetDomain, d.s("TargetDomainName"));
  set_if(ev, Field::kTargetSid, d.s("TargetSid"));
  if (!ev.has(Field::kTargetUser)) set_if(ev, Field::kTargetUser, d.s("NewTargetUserName"));
  ev.tag(Tag::kAccountChange);
  ctx.say(ev, id, event_args(ev));
}

#define KK_ACCOUNT_HANDLER(name, id)                                  \
  void name(element, const DataView& d, Event& ev, MapContext& ctx) { \
    account(d, ev, ctx, id);                                          \
  }
KK_ACCOUNT_HANDLER(on_account_created, "evtx.security.4720")
KK_ACCOUNT_HANDLER(on_account_enabled, "evtx.security.4722")
KK_ACCOUNT_HANDLER(on_password_change, "evtx.security.4723")
KK_ACCOUNT_HANDLER(on_password_reset, "evtx.security.4724")
KK_ACCOUNT_HANDLER(on_account_disabled, "evtx.security.4725")
KK_ACCOUNT_HANDLER(on_account_deleted, "evtx.security.4726")
KK_ACCOUNT_HANDLER(on_account_changed, "evtx.security.4738")
KK_ACCOUNT_HANDLER(on_account_locked, "evtx.security.4740")
KK_ACCOUNT_HANDLER(on_account_unlocked, "evtx.security.4767")
KK_ACCOUNT_HANDLER(on_account_renamed, "evtx.security.4781")
KK_ACCOUNT_HANDLER(on_dsrm_password, "evtx.security.4794")
#undef KK_ACCOUNT_HANDLER

void group(const DataView& d, Event& ev, MapContext& ctx, std::string_view id) {
  subject_as_user(d, ev);
  set_if(ev, Field::kGroup, d.s("TargetUserName"));
  std::string member = d.s("MemberName");
  set_if(ev, Field::kTargetUser, member);
  set_if(ev, Field::kTargetSid, d.s("MemberSid"));
  MessageArgs args = event_args(ev);
  std::string who = member.empty() ? d.s("MemberSid") : member;
  args.add("member", who);
  ev.tag(Tag::kGroupChange);
  ev.tag(Tag::kAccountChange);
  ctx.say(ev, id, args);
}
void on_member_added(element, const DataView& d, Event& ev, MapContext& ctx) {
  group(d, ev, ctx, "evtx.security.member_added");
}
void on_member_removed(element, const DataView& d, Event& ev, MapContext& ctx) {
  group(d, ev, ctx, "evtx.security.member_removed");
}

void kerberos(const DataView& d, Event& ev, MapContext& ctx, std::string_view id) {
  target_as_user(d, ev);
  set_if(ev, Field::kSid, d.s("TargetSid"));
  set_if(ev, Field::kService, d.s("ServiceName"));
  network_source(d, ev);
  std::string ip = ev.has(Field::kSrcIp) ? std::string(ev.get_string(Field::kSrcIp)) : "";
  // Kerberos writes IPv4 clients as "::ffff:10.0.0.5".
  if (ip.rfind("::ffff:", 0) == 0) ev.set(Field::kSrcIp, ip.substr(7));
  MessageArgs args = event_args(ev);
  std::string reason;
  failure_status(d, ev, ctx, args, reason);
  std::string status(ev.get_string(Field::kStatus));
  if (!status.empty() && status != "0x0") ev.tag(Tag::kLogonFailed);
  ctx.say(ev, id, args);
}
void on_tgt(element, const DataView& d, Event& ev, MapContext& ctx) {
  kerberos(d, ev, ctx, "evtx.security.4768");
}
void on_service_ticket(element, const DataView& d, Event& ev, MapContext& ctx) {
  kerberos(d, ev, ctx, "evtx.security.4769");
}
void on_preauth_failed(element, const DataView& d, Event& ev, MapContext& ctx) {
  kerberos(d, ev, ctx, "evtx.security.4771");
  ev.tag(Tag::kLogonFailed);
}

void on_ntlm(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_if(ev, Field::kUser, d.s("TargetUserName"));
  set_if(ev, Field::kWorkstation, d.s("Workstation"));
  set_if(ev, Field::kAuthPackage, d.s("PackageName"));
  MessageArgs args = event_args(ev);
  std::string reason;
  std::string status = d.s("Status");
  if (!status.empty() && status != "0x0") {
    failure_status(d, ev, ctx, args, reason);
    ev.tag(Tag::kLogonFailed);
  }
  ctx.say(ev, "evtx.security.4776", args);
}

void rdp_session(const DataView& d, Event& ev, MapContext& ctx, std::string_view id) {
  set_if(ev, Field::kUser, d.s("AccountName"));
  set_if(ev, Field::kDomain, d.s("AccountDomain"));
  set_if(ev, Field::kLogonId, d.s("LogonID"));
  set_if(ev, Field::kSessionId, d.s("SessionName"));
  set_if(ev, Field::kWorkstation, d.s("ClientName"));
  std::string ip = d.s("ClientAddress");
  if (!is_local_address(ip)) ev.set(Field::kSrcIp, ip);
  ev.tag(Tag::kRemoteAccess);
  ctx.say(ev, id, event_args(ev));
}
void on_rdp_reconnect(element, const DataView& d, Event& ev, MapContext& ctx) {
  rdp_session(d, ev, ctx, "evtx.security.4778");
  ev.tag(Tag::kLogon);
}
void on_rdp_disconnect(element, const DataView& d, Event& ev, MapContext& ctx) {
  rdp_session(d, ev, ctx, "evtx.security.4779");
  ev.tag(Tag::kLogoff);
}

void on_share(element, const DataView& d, Event& ev, MapContext& ctx) {
  subject_as_user(d, ev);
  std::string ip = d.s("IpAddress");
  if (!ip.empty()) ev.set(Field::kSrcIp, ip);
  set_if(ev, Field::kSrcPort, d.i("IpPort"));
  set_if(ev, Field::kShare, d.s("ShareName"));
  set_if(ev, Field::kPath, d.s("RelativeTargetName"));
  set_if(ev, Field::kAccessMask, d.s("AccessMask"));
  ev.tag(Tag::kShareAccess);
  ctx.say(ev, ev.has(Field::kPath) ? "evtx.security.5145" : "evtx.security.5140", event_args(ev));
}

void on_wfp_connection(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_if(ev, Field::kProcess, d.s("Application"));
  set_if(ev, Field::kPid, d.i("ProcessID"));
  set_if(ev, Field::kSrcIp, d.s("SourceAddress"));
  set_if(ev, Field::kSrcPort, d.i("SourcePort"));
  set_if(ev, Field::kDstIp, d.s("DestAddress"));
  set_if(ev, Field::kDstPort, d.i("DestPort"));
  set_if(ev, Field::kProtocol, d.s("Protocol"));
  ev.tag(Tag::kNetworkConnection);
  ctx.say(ev, "evtx.security.5156", event_args(ev));
}

void on_object_access(element, const DataView& d, Event& ev, MapContext& ctx) {
  subject_as_user(d, ev);
  set_if(ev, Field::kObject, d.s("ObjectName"));
  set_if(ev, Field::kAccessMask, d.s("AccessMask"));
  calling_process(d, ev);
  ctx.say(ev, "evtx.security.object_access", event_args(ev));
}

void on_registry_value(element, const DataView& d, Event& ev, MapContext& ctx) {
  subject_as_user(d, ev);
  set_if(ev, Field::kKey, d.s("ObjectName"));
  set_if(ev, Field::kValueName, d.s("ObjectValueName"));
  set_if(ev, Field::kValueData, d.s("NewValue"));
  calling_process(d, ev);
  ev.tag(Tag::kRegistryChange);
  ctx.say(ev, "evtx.security.4657", event_args(ev));
}

const std::unordered_map<std::int64_t, EvtxHandler>& handlers() {
  static const std::unordered_map<std::int64_t, EvtxHandler> m = {
      {4624, on_logon},           {4625, on_logon_failed},         {4634, on_logoff},
      {4647, on_logoff},          {4648, on_explicit_credentials}, {4672, on_special_privileges},
      {4688, on_process_created}, {4689, on_process_exited},       {4697, on_service_installed},
      {4698, on_task_created},    {4699, on_task_deleted},         {4700, on_task_enabled},
      {4701, on_task_disabled},   {4702, on_task_updated},         {4719, on_audit_policy},
      {4720, on_account_created}, {4722, on_account_enabled},      {4723, on_password_change},
      {4724, on_password_reset},  {4725, on_account_disabled},     {4726, on_account_deleted},
      {4738, on_account_changed}, {4740, on_account_locked},       {4767, on_account_unlocked},
      {4781, on_account_renamed}, {4794, on_dsrm_password},        {4728, on_member_added},
      {4732, on_member_added},    {4756, on_member_added},         {4729, on_member_removed},
      {4733, on_member_removed},  {4757, on_member_removed},       {4768, on_tgt},
      {4769, on_service_ticket},  {4771, on_preauth_failed},       {4776, on_ntlm},
      {4778, on_rdp_reconnect},   {4779, on_rdp_disconnect},       {5140, on_share},
      {5145, on_share},           {5156, on_wfp_connection},       {4656, on_object_access},
      {4663, on_object_access},   {4657, on_registry_value},
  };
  return m;
}

}  // namespace

EvtxHandler find_security_handler(std::int64_t event_id) {
  auto it = handlers().find(event_id);
  return it == handlers().end() ? nullptr : it->second;
}

}  // namespace kk::timeline
