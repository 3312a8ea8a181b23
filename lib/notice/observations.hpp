// What the verdicts are judged from: the timeline events of the window that could answer
// one of the notice's questions, reduced to the fields the judgement reads and the place
// that proves them (source + record id / offset / entry). Collected while the window is
// read (NoticeInputs::add_record), bounded per kind.
//
// Adding evidence from a new artifact kind is one small function in observations.cpp
// (see docs/verdicts.md, "Adding an artifact"): it looks at one timeline event and files
// it under an ObservationKind; the verdicts then use it without further changes.
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace kk::notice {

enum class ObservationKind : std::uint8_t {
  kProcessStart,    // a program started (Sysmon 1, 4688, prefetch run, BAM, UserAssist)
  kProgramTrace,    // a program was present on the disk (Amcache file, ShimCache)
  kFileWrite,       // a file was created or written (Sysmon 11, MFT $SI birth, USN create)
  kFileDelete,      // deleted or renamed (USN, Sysmon 23/26)
  kDownloadMark,    // Mark of the Web / a browser download (Zone.Identifier, Sysmon 15)
  kAvDetection,     // antivirus detected or acted (Defender 1006/1116/1117 …)
  kAvTamper,        // protection disabled, exclusions (Defender 5001/5007/5010/5012)
  kLogCleared,      // 1102, 104, 1100 (Security log service shut down)
  kLogon,           // 4624 and RDP sessions (LocalSessionManager 21/22/25, 1149)
  kLogonFailure,    // 4625
  kServiceInstall,  // 7045, 4697, a service key written in the window
  kTaskCreated,     // 4698, 4702, TaskScheduler 106/140
  kAutorun,         // Run/RunOnce/IFEO/… changed (registry or Sysmon 12-14)
  kAccountChange,   // 4720, group membership 4728/4732/4756, 4724
  kWmiPersistence,  // WMI event consumers (5861, Sysmon 19-21)
  kScriptBlock,     // PowerShell 4104 / 4103 / classic 400-800
  kNetwork,         // Sysmon 3 / 22, BITS transfers, network logs, SRUM network usage
  kUsb,             // removable media
  kTimestomp,       // MFT $SI earlier than $FN
  kCount
};
inline constexpr std::size_t kObservationKinds = static_cast<std::size_t>(ObservationKind::kCount);
std::string_view observation_kind_name(ObservationKind k);

struct Observation {
  ObservationKind kind{};
  UtcMicros time = 0;
  std::string artifact, source, timestamp_desc, message;
  std::optional<std::int64_t> record_id, offset, entry, event_id, logon_type, dst_port;
  std::optional<std::int64_t> bytes_sent, bytes_received;  // SRUM network usage
  // Fields of the timeline vocabulary (docs/records.md), empty when absent.
  std::string user, domain, sid, src_ip, process, command_line, parent, parent_command_line, path,
      target_path, sha1, sha256, md5, url, dst_ip, dst_host, service, task, key, value_data, threat,
      zone_identifier, provider, channel, group, target_user;
  std::vector<std::string> tags, usn_reasons;
  bool has_tag(std::string_view t) const;
  // Every text field that could name a file, lower-cased, for suspect matching.
  std::string searchable() const;
};

// What one kind of data could show: how many records of it the bundle holds (all of them,
// not only the window's), and, for data kept in a log (EVTX channels, the USN journal), the
// first and last record of that log. A log that begins after the detection cannot show
// what led to it (docs/verdicts.md, "cannot_tell").
struct DataSpan {
  std::int64_t records = 0;                // records of this kind of data
  std::int64_t log_records = 0;            // records of the log that holds it
  std::optional<UtcMicros> first, last;    // that log's first and last record (none: not a log)
};

class ObservationLog {
 public:
  // Files one timeline event (any artifact) under its kinds; ignores the rest.
  void add(simdjson::dom::element event, UtcMicros time);
  const std::vector<Observation>& of(ObservationKind k) const {
    return kinds_[static_cast<std::size_t>(k)];
  }
  std::vector<Observation>& of(ObservationKind k) { return kinds_[static_cast<std::size_t>(k)]; }
  // Observations not kept because their kind was full (the limitations say so).
  std::int64_t dropped() const { return dropped_; }
  // Events seen per kind of data that could answer a question (even when nothing was
  // filed): "sysmon_process", "security_4688", "prefetch", … (see docs/verdicts.md).
  std::int64_t seen(std::string_view data) const;

  // Every record a parser wrote (triage's record stream, not only the window's events):
  // the coverage of each kind of data comes from these when given, else from the
  // timeline events passed to add().
  void cover_record(simdjson::dom::element record);
  DataSpan span(std::string_view data) const;
  bool covered_from_records() const { return from_records_; }

  static constexpr std::size_t kMaxPerKind = 20000;

 private:
  void keep(Observation o);
  void saw(std::string_view data);
  void cover(std::string_view data, std::optional<UtcMicros> t);
  struct Span {
    std::int64_t records = 0;
    std::optional<UtcMicros> first, last;
  };
  std::map<std::string, Span, std::less<>> spans_;
  bool from_records_ = false;
  std::array<std::vector<Observation>, kObservationKinds> kinds_;
  std::vector<std::pair<std::string, std::int64_t>> seen_;
  std::int64_t dropped_ = 0;
};

}  // namespace kk::notice
