#include "timeline/vocabulary.hpp"

#include <unordered_map>

namespace kk::timeline {

namespace {
using enum FieldType;

// One row per Field, in enum order (tests/timeline/vocabulary_test.cpp checks the
// order and that names are unique).
constexpr FieldInfo kFields[] = {
    {"record_id", kInteger, "EVTX EventRecordID of the record"},
    {"offset", kInteger, "byte offset of the record in its source file"},
    {"entry", kInteger, "MFT entry (file reference number without sequence)"},
    {"sequence", kInteger, "MFT sequence number"},
    {"usn", kInteger, "update sequence number of a change-journal record"},
    {"recovered", kBoolean, "true when the record was carved from slack or unused space"},
    {"event_id", kInteger, "Windows event id"},
    {"channel", kString, "event log channel (Security, System, …)"},
    {"provider", kString, "event provider name"},
    {"level", kInteger, "event level (1 critical … 5 verbose; 0 for audit events)"},
    {"user", kString, "account the event is about (logon target, process owner, task author)"},
    {"domain", kString, "domain of user"},
    {"sid", kString, "SID of user"},
    {"subject_user", kString, "account that performed the action, when different from user"},
    {"subject_domain", kString, "domain of subject_user"},
    {"subject_sid", kString, "SID of subject_user"},
    {"logon_id", kString, "logon session id (hex, as Windows writes it)"},
    {"logon_type", kInteger, "logon type number (2 interactive, 3 network, 10 RDP, …)"},
    {"logon_type_name", kString, "logon type name in English"},
    {"logon_process", kString, "logon process name"},
    {"auth_package", kString, "authentication package"},
    {"workstation", kString, "client workstation name"},
    {"status", kString, "NTSTATUS / failure code"},
    {"sub_status", kString, "NTSTATUS sub-status of a failed logon"},
    {"failure_reason", kString, "failure reason text"},
    {"session_id", kString, "terminal-services session id"},
    {"src_ip", kString, "source network address"},
    {"src_port", kInteger, "source port"},
    {"dst_ip", kString, "destination network address"},
    {"dst_port", kInteger, "destination port"},
    {"dst_host", kString, "destination host name or DNS query name"},
    {"protocol", kString, "network protocol"},
    {"process", kString, "image path of the acting or created process"},
    {"pid", kInteger, "process id of that process"},
    {"process_guid", kString, "Sysmon process GUID"},
    {"command_line", kString, "command line (also a service's ImagePath)"},
    {"parent", kString, "parent process image path"},
    {"parent_pid", kInteger, "parent process id"},
    {"parent_guid", kString, "Sysmon parent process GUID"},
    {"parent_command_line", kString, "parent process command line"},
    {"integrity_level", kString, "process integrity level"},
    {"path", kString, "file, folder or image path the event is about"},
    {"file_name", kString, "last component of path"},
    {"target_path", kString, "rename or link target, registry value target"},
    {"size", kInteger, "file size in bytes"},
    {"is_dir", kBoolean, "true for a directory"},
    {"in_use", kBoolean, "false for a deleted MFT entry"},
    {"macb", kString, "plaso-style MACB column, e.g. \"M.CB\""},
    {"time_source", kString, "which timestamp set: $STANDARD_INFORMATION, $FILE_NAME, volume, …"},
    {"usn_reasons", kStringArray, "USN reason flags (FILE_CREATE, DATA_EXTEND, …)"},
    {"file_attributes", kStringArray, "file attribute flags"},
    {"zone_identifier", kString, "Zone.Identifier stream content (Mark of the Web)"},
    {"timestomp_suspect", kBoolean, "parse-mft flagged $SI earlier than $FN"},
    {"md5", kString, "MD5 hash (lower-case hex)"},
    {"sha1", kString, "SHA-1 hash (lower-case hex)"},
    {"sha256", kString, "SHA-256 hash (lower-case hex)"},
    {"imphash", kString, "import hash"},
    {"executable", kString, "executable name (prefetch)"},
    {"run_count", kInteger, "times the program ran"},
    {"run_index", kInteger, "which run this time is (1 = first); prefetch"},
    {"prefetch_hash", kString, "prefetch path hash"},
    {"executed", kBoolean, "ShimCache execution flag"},
    {"position", kInteger, "ShimCache entry position (0 = most recent)"},
    {"service", kString, "service name"},
    {"service_type", kString, "service type"},
    {"start_type", kString, "service start type"},
    {"task", kString, "scheduled task name"},
    {"autorun_location", kString, "autorun key or folder"},
    {"hive", kString, "registry hive the record came from"},
    {"key", kString, "registry key path"},
    {"value_name", kString, "registry value name"},
    {"value_data", kString, "registry value data as text"},
    {"threat", kString, "anti-virus threat name"},
    {"threat_severity", kString, "anti-virus severity"},
    {"threat_category", kString, "anti-virus category"},
    {"action", kString, "action taken (anti-virus, firewall, …)"},
    {"script_block_id", kString, "PowerShell ScriptBlock id"},
    {"script_part", kString, "PowerShell script block part, \"1 of 3\""},
    {"device", kString, "device name or instance id"},
    {"serial", kString, "device serial number"},
    {"volume_serial", kString, "volume serial number (hex)"},
    {"product", kString, "product name"},
    {"publisher", kString, "publisher / vendor"},
    {"version", kString, "product or file version"},
    {"share", kString, "network share name"},
    {"object", kString, "audited object name"},
    {"access_mask", kString, "access mask (hex)"},
    {"group", kString, "group an account was added to or removed from"},
    {"target_user", kString, "account acted upon (4648 target, 4720 new account)"},
    {"target_domain", kString, "domain of target_user"},
    {"target_sid", kString, "SID of target_user"},
    {"url", kString, "URL"},
};
static_assert(std::size(kFields) == kFieldCount, "one FieldInfo per Field");

constexpr std::array<HeadKey, 9> kHead = {{
    {"datetime", kString, "UTC ISO 8601 time with microseconds and Z"},
    {"timestamp", kInteger, "the same time as integer microseconds since 1970-01-01 UTC"},
    {"timestamp_desc", kString, "what the time means (plaso vocabulary)"},
    {"message", kString, "one-line human summary"},
    {"artifact", kString, "parser record kind the event came from"},
    {"source", kString, "evidence file, relative to the bundle root when known"},
    {"host", kString, "computer name (null when unknown)"},
    {"data_type", kString, "plaso-style data type, e.g. windows:evtx:record"},
    {"tags", kStringArray, "investigative tags"},
}};

constexpr TagInfo kTags[] = {
    {"execution", "a program ran"},
    {"persistence", "something was set to run again (service, task, autorun)"},
    {"logon", "a successful logon"},
    {"logon_failed", "a failed logon"},
    {"logoff", "a logoff or disconnect"},
    {"remote_logon", "a logon from another machine (network, RDP)"},
    {"privileged_logon", "special privileges assigned to a logon (4672)"},
    {"explicit_credentials", "logon with explicit credentials (4648, runas)"},
    {"av_detection", "anti-virus detected or acted on malware"},
    {"av_tampering", "anti-virus settings changed or protection disabled"},
    {"log_cleared", "an event log was cleared"},
    {"account_change", "an account was created, changed, enabled or deleted"},
    {"group_change", "group membership changed"},
    {"powershell", "PowerShell activity"},
    {"file_created", "a file was created"},
    {"file_deleted", "a file was deleted"},
    {"file_renamed", "a file was renamed"},
    {"file_modified", "a file's content changed"},
    {"service_installed", "a service was installed"},
    {"task_created", "a scheduled task was created"},
    {"task_changed", "a scheduled task was updated, deleted or run"},
    {"network_connection", "a network connection"},
    {"dns_query", "a DNS query"},
    {"registry_change", "a registry value or key changed"},
    {"process_access", "a process opened another (credential theft indicator)"},
    {"remote_access", "remote desktop or other remote access activity"},
    {"usb_device", "a removable device was connected"},
    {"audit_policy_change", "audit policy changed"},
    {"share_access", "a network share was accessed"},
    {"timestomp", "file times look manipulated"},
    {"downloaded", "file carries a Zone.Identifier (downloaded)"},
    {"wmi", "WMI activity"},
};
static_assert(std::size(kTags) == kTagCount, "one TagInfo per Tag");
}  // namespace

std::string_view field_type_name(FieldType t) {
  switch (t) {
    case kString:
      return "string";
    case kInteger:
      return "integer";
    case kBoolean:
      return "boolean";
    case kStringArray:
      return "array of strings";
  }
  return "string";
}

const FieldInfo& field_info(Field f) {
  return kFields[static_cast<std::size_t>(f)];
}
std::optional<Field> field_named(std::string_view name) {
  static const std::unordered_map<std::string_view, Field> kByName = [] {
    std::unordered_map<std::string_view, Field> m;
    for (std::size_t i = 0; i < kFieldCount; ++i) m.emplace(kFields[i].name, static_cast<Field>(i));
    return m;
  }();
  auto it = kByName.find(name);
  if (it == kByName.end()) return std::nullopt;
  return it->second;
}
const std::array<HeadKey, 9>& head_keys() {
  return kHead;
}
const TagInfo& tag_info(Tag t) {
  return kTags[static_cast<std::size_t>(t)];
}

}  // namespace kk::timeline
