// Sysmon (provider Microsoft-Windows-Sysmon) events. Field names follow the Sysmon
// event schema (sysmon -s): ProcessGuid, ProcessId, Image, TargetFilename, …
#include <algorithm>
#include <unordered_map>

#include "core/ascii_case.hpp"
#include "timeline/evtx_data.hpp"

namespace kk::timeline {

namespace {

// Sysmon writes the owner as "DOMAIN\user".
void sysmon_user(const DataView& d, Event& ev) {
  std::string u = d.s("User");
  std::size_t bs = u.find('\\');
  if (bs != std::string::npos) {
    ev.set(Field::kDomain, u.substr(0, bs));
    u = u.substr(bs + 1);
  }
  set_if(ev, Field::kUser, u);
}

// The acting process of most Sysmon events.
void actor(const DataView& d, Event& ev) {
  set_if(ev, Field::kProcess, d.s("Image"));
  set_if(ev, Field::kPid, d.i("ProcessId"));
  set_if(ev, Field::kProcessGuid, d.s("ProcessGuid"));
  sysmon_user(d, ev);
}

void say(Event& ev, MapContext& ctx, std::string_view id) {
  ctx.say(ev, id, event_args(ev));
}

void on_process_create(element, const DataView& d, Event& ev, MapContext& ctx) {
  actor(d, ev);
  set_if(ev, Field::kCommandLine, d.s("CommandLine"));
  set_if(ev, Field::kParent, d.s("ParentImage"));
  set_if(ev, Field::kParentPid, d.i("ParentProcessId"));
  set_if(ev, Field::kParentGuid, d.s("ParentProcessGuid"));
  set_if(ev, Field::kParentCommandLine, d.s("ParentCommandLine"));
  set_if(ev, Field::kIntegrityLevel, d.s("IntegrityLevel"));
  set_if(ev, Field::kLogonId, d.s("LogonId"));
  set_if(ev, Field::kProduct, d.s("Product"));
  set_if(ev, Field::kPublisher, d.s("Company"));
  set_if(ev, Field::kVersion, d.s("FileVersion"));
  set_path(ev, d.s("Image"));
  set_hashes(ev, d.s("Hashes"));
  ev.tag(Tag::kExecution);
  say(ev, ctx, ev.has(Field::kCommandLine) ? "evtx.sysmon.1" : "evtx.sysmon.1.no_cmd");
}

void on_file_time_changed(element, const DataView& d, Event& ev, MapContext& ctx) {
  actor(d, ev);
  set_path(ev, d.s("TargetFilename"));
  ev.tag(Tag::kTimestomp);
  say(ev, ctx, "evtx.sysmon.2");
}

void on_network(element, const DataView& d, Event& ev, MapContext& ctx) {
  actor(d, ev);
  set_if(ev, Field::kProtocol, d.s("Protocol"));
  set_if(ev, Field::kSrcIp, d.s("SourceIp"));
  set_if(ev, Field::kSrcPort, d.i("SourcePort"));
  set_if(ev, Field::kDstIp, d.s("DestinationIp"));
  set_if(ev, Field::kDstPort, d.i("DestinationPort"));
  set_if(ev, Field::kDstHost, d.s("DestinationHostname"));
  ev.tag(Tag::kNetworkConnection);
  say(ev, ctx, "evtx.sysmon.3");
}

void on_process_terminated(element, const DataView& d, Event& ev, MapContext& ctx) {
  actor(d, ev);
  say(ev, ctx, "evtx.sysmon.5");
}

void on_driver_loaded(element, const DataView& d, Event& ev, MapContext& ctx) {
  set_path(ev, d.s("ImageLoaded"));
  set_hashes(ev, d.s("Hashes"));
  say(ev, ctx, "evtx.sysmon.6");
}

void on_image_loaded(element, const DataView& d, Event& ev, MapContext& ctx) {
  actor(d, ev);
  set_path(ev, d.s("ImageLoaded"));
  set_hashes(ev, d.s("Hashes"));
  say(ev, ctx, "evtx.sysmon.7");
}

// 8 CreateRemoteThread and 10 ProcessAccess: Source* acts on Target*.
void source_target(const DataView& d, Event& ev) {
  set_if(ev, Field::kProcess, d.s("SourceImage"));
  set_if(ev, Field::kPid, d.i("SourceProcessId"));
  std::string guid = d.s("SourceProcessGuid");
  if (guid.empty()) guid = d.s("SourceProcessGUID");
  set_if(ev, Field::kProcessGuid, guid);
  set_if(ev, Field::kTargetPath, d.s("TargetImage"));
  std::string u = d.s("SourceUser");
  std::size_t bs = u.find('\\');
  set_if(ev, Field::kUser, bs == std::string::npos ? u : u.substr(bs + 1));
}
void on_remote_thread(element, const DataView& d, Event& ev, MapContext& ctx) {
  source_target(d, ev);
  ev.tag(Tag::kProcessAccess);
  say(ev, ctx, "evtx.sysmon.8");
}
void on_process_access(element, const DataView& d, Event& ev, MapContext& ctx) {
  source_target(d, ev);
  set_if(ev, Field::kAccessMask, d.s("GrantedAccess"));
  ev.tag(Tag::kProcessAccess);
  say(ev, ctx, "evtx.sysmon.10");
}

void on_file_create(element, const DataView& d, Event& ev, MapContext& ctx) {
  actor(d, ev);
  set_path(ev, d.s("TargetFilename"));
  ev.tag(Tag::kFileCreated);
  say(ev, ctx, "evtx.sysmon.11");
}

// Keys whose change makes something run again (autoruns).
bool persistence_key(std::string_view key) {
  static constexpr std::string_view kMarks[] = {
      "\\CurrentVersion\\Run",
      "\\Services\\",
      "\\Winlogon\\",
      "\\Image File Execution Options\\",
      "\\CurrentVersion\\Policies\\Explorer\\Run",
      "\\Environment\\UserInitMprLogonScript",
      "\\Microsoft\\Windows NT\\CurrentVersion\\Windows\\AppInit_DLLs",
      "\\Schedule\\TaskCache\\"};
  for (auto m : kMarks) {
    auto it = std::search(key.begin(), key.end(), m.begin(), m.end(),
                          [](char a, char b) { return ascii_lower(a) == ascii_lower(b); });
    if (it != key.end()) return true;
  }
  return false;
}

void on_registry(element, const DataView& d, Event& ev, MapContext& ctx) {
  actor(d, ev);
  std::string key = d.s("TargetObject");
  set_if(ev, Field::kKey, key);
  set_if(ev, Field::kValueData, d.s("Details"));
  set_if(ev, Field::kTargetPath, d.s("NewName"));
  MessageArgs args = event_args(ev);
  std::string type = d.s("EventType");
  args.add("operation", type);
  ev.tag(Tag::kRegistryChange);
  if (persistence_key(key)) ev.tag(Tag::kPersistence);
  ctx.say(ev, "evtx.sysmon.registry", args);
}

void on_stream_hash(element, const DataView& d, Event& ev, MapContext& ctx) {
  actor(d, ev);
  std::string target = d.s("TargetFilename");
  set_path(ev, target);
  set_hashes(ev, d.s("Hash"));
  std::string contents = d.s("Contents");
  if (target.size() > 16 && target.ends_with(":Zone.Identifier")) {
    ev.tag(Tag::kDownloaded);
    set_if(ev, Field::kZoneIdentifier, contents);
  }
  say(ev, ctx, "evtx.sysmon.15");
}

void on_pipe(element, const DataView& d, Event& ev, MapContext& ctx) {
  actor(d, ev);
  set_if(ev, Field::kObject, d.s("PipeName"));
  say(ev, ctx, "evtx.sysmon.pipe");
}

void on_wmi(element, const DataView& d, Event& ev, MapContext& ctx) {
  sysmon_user(d, ev);
  std::string name = d.s("Name");
  if (name.empty()) name = d.s("Consumer");
  std::size_t b = name.find_first_not_of(" \t"), e = name.find_last_not_of(" \t");
  set_if(ev, Field::kObject, b == std::string::npos ? std::string() : name.substr(b, e - b + 1));
  set_if(ev, Field::kCommandLine, d.s("Destination"));
  ev.tag(Tag::kWmi);
  ev.tag(Tag::kPersistence);
  say(ev, ctx, "evtx.sysmon.wmi");
}

void on_dns(element, const DataView& d, Event& ev, MapContext& ctx) {
  actor(d, ev);
  set_if(ev, Field::kDstHost, d.s("QueryName"));
  ev.tag(Tag::kDnsQuery);
  say(ev, ctx, "evtx.sysmon.22");
}

void on_file_delete(element, const DataView& d, Event& ev, MapContext& ctx) {
  actor(d, ev);
  set_path(ev, d.s("TargetFilename"));
  set_hashes(ev, d.s("Hashes"));
  ev.tag(Tag::kFileDeleted);
  say(ev, ctx, "evtx.sysmon.23");
}

void on_tampering(element, const DataView& d, Event& ev, MapContext& ctx) {
  actor(d, ev);
  say(ev, ctx, "evtx.sysmon.25");
}

const std::unordered_map<std::int64_t, EvtxHandler>& handlers() {
  static const std::unordered_map<std::int64_t, EvtxHandler> m = {
      {1, on_process_create}, {2, on_file_time_changed},
      {3, on_network},        {5, on_process_terminated},
      {6, on_driver_loaded},  {7, on_image_loaded},
      {8, on_remote_thread},  {10, on_process_access},
      {11, on_file_create},   {12, on_registry},
      {13, on_registry},      {14, on_registry},
      {15, on_stream_hash},   {17, on_pipe},
      {18, on_pipe},          {19, on_wmi},
      {20, on_wmi},           {21, on_wmi},
      {22, on_dns},           {23, on_file_delete},
      {26, on_file_delete},   {25, on_tampering},
  };
  return m;
}

}  // namespace

EvtxHandler find_sysmon_handler(std::int64_t event_id) {
  auto it = handlers().find(event_id);
  return it == handlers().end() ? nullptr : it->second;
}

}  // namespace kk::timeline
