// The fixed, typed field vocabulary of timeline events (docs/records.md, "Timeline event").
//
// Timesketch stores events in OpenSearch, which rejects a document whose field changes
// type and an index with too many distinct fields. So every top-level key an event may
// carry is declared here once, with its one JSON type, and written in this order; all
// other data goes into the single nested "details" object.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kk::timeline {

enum class FieldType : std::uint8_t { kString, kInteger, kBoolean, kStringArray };
std::string_view field_type_name(FieldType t);

// Vocabulary keys after the fixed head (datetime, timestamp, timestamp_desc, message,
// artifact, source, host, data_type, tags). Order here is output order.
enum class Field : std::uint8_t {
  // Where the evidence is.
  kRecordId,   // EVTX EventRecordID
  kOffset,     // byte offset of the record in its source file
  kEntry,      // MFT entry number (MFT, USN)
  kSequence,   // MFT sequence number
  kUsn,        // USN of a change journal record
  kRecovered,  // carved from slack / unallocated space
  // EVTX system fields.
  kEventId,
  kChannel,
  kProvider,
  kLevel,
  // Accounts and logons.
  kUser,         // the account the event is about (logon target, process owner, …)
  kDomain,       // that account's domain
  kSid,          // that account's SID
  kSubjectUser,  // the account that acted, when different (4720 creator, 4688 subject)
  kSubjectDomain,
  kSubjectSid,
  kLogonId,
  kLogonType,      // 2, 3, 10, …
  kLogonTypeName,  // "Interactive", "Network", "RemoteInteractive (RDP)", …
  kLogonProcess,
  kAuthPackage,
  kWorkstation,
  kStatus,  // NTSTATUS of a failure, "0xc000006d"
  kSubStatus,
  kFailureReason,
  kSessionId,
  // Network.
  kSrcIp,
  kSrcPort,
  kDstIp,
  kDstPort,
  kDstHost,  // destination host name or DNS query name
  kProtocol,
  // Processes.
  kProcess,  // image path of the acting / created process
  kPid,      // its process id (decimal)
  kProcessGuid,
  kCommandLine,
  kParent,  // parent image path
  kParentPid,
  kParentGuid,
  kParentCommandLine,
  kIntegrityLevel,
  // Files.
  kPath,        // file, key or image path the event is about
  kFileName,    // its last path component
  kTargetPath,  // rename / link destination, registry value target
  kSize,
  kIsDir,
  kInUse,
  kMacb,        // "MACB" column as plaso shows it: M.CB etc.
  kTimeSource,  // "$STANDARD_INFORMATION", "$FILE_NAME", "volume", …
  kUsnReasons,
  kFileAttributes,
  kZoneIdentifier,
  kTimestompSuspect,
  // Hashes.
  kMd5,
  kSha1,
  kSha256,
  kImphash,
  // Execution artifacts.
  kExecutable,
  kRunCount,
  kRunIndex,  // which run (1 = first) a prefetch run time is
  kPrefetchHash,
  kExecuted,  // ShimCache "executed" flag
  kPosition,  // ShimCache position
  // Persistence.
  kService,
  kServiceType,
  kStartType,
  kTask,
  kAutorunLocation,
  // Registry.
  kHive,
  kKey,
  kValueName,
  kValueData,
  // Anti-virus.
  kThreat,
  kThreatSeverity,
  kThreatCategory,
  kAction,
  // Scripts.
  kScriptBlockId,
  kScriptPart,  // "1 of 3"
  // Devices and products.
  kDevice,
  kSerial,
  kVolumeSerial,
  kProduct,
  kPublisher,
  kVersion,
  // Shares, objects, misc.
  kShare,
  kObject,
  kAccessMask,
  kGroup,  // group a member was added to
  kTargetUser,
  kTargetDomain,
  kTargetSid,
  kUrl,
  kCount
};

inline constexpr std::size_t kFieldCount = static_cast<std::size_t>(Field::kCount);

struct FieldInfo {
  std::string_view name;
  FieldType type;
  std::string_view description;
};

const FieldInfo& field_info(Field f);
// The field called NAME (message templates name fields by their names).
std::optional<Field> field_named(std::string_view name);

// The head keys every event has, in output order, and their types.
struct HeadKey {
  std::string_view name;
  FieldType type;
  std::string_view description;
};
const std::array<HeadKey, 9>& head_keys();
inline constexpr std::string_view kDetailsKey = "details";

// Tags: the fixed list of investigative labels an event may carry.
enum class Tag : std::uint8_t {
  kExecution,
  kPersistence,
  kLogon,
  kLogonFailed,
  kLogoff,
  kRemoteLogon,
  kPrivilegedLogon,
  kExplicitCredentials,
  kAvDetection,
  kAvTampering,
  kLogCleared,
  kAccountChange,
  kGroupChange,
  kPowershell,
  kFileCreated,
  kFileDeleted,
  kFileRenamed,
  kFileModified,
  kServiceInstalled,
  kTaskCreated,
  kTaskChanged,
  kNetworkConnection,
  kDnsQuery,
  kRegistryChange,
  kProcessAccess,
  kRemoteAccess,
  kUsbDevice,
  kAuditPolicyChange,
  kShareAccess,
  kTimestomp,
  kDownloaded,  // file carries a Zone.Identifier (Mark of the Web)
  kWmi,
  kCount
};
inline constexpr std::size_t kTagCount = static_cast<std::size_t>(Tag::kCount);

struct TagInfo {
  std::string_view name;
  std::string_view description;
};
const TagInfo& tag_info(Tag t);

}  // namespace kk::timeline
