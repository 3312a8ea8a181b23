// The records render-notice reads (see docs/records.md and ../shared/CONTRACT.md):
// findings, timeline events, the unpack-cdir manifest and bundle summary, and
// diagnostics of earlier stages. Only what the notice shows is kept.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace kk::notice {

struct EvidenceItem {
  std::string artifact, source, summary;
  std::optional<std::int64_t> record_id, offset, event_id;
  std::optional<UtcMicros> time;
  std::vector<std::pair<std::string, std::string>> fields;
};

struct Iocs {
  std::vector<std::string> files, paths, hashes, ips, domains, services, tasks, accounts;
};

struct Finding {
  std::string id, source, question, severity, title, title_ja, description, description_ja;
  std::optional<UtcMicros> first, last;
  std::int64_t count = 0;
  std::string rule_id, rule_name, rule_source;
  std::vector<std::string> attack;
  bool suspect = false;
  std::vector<EvidenceItem> evidence;
  Iocs iocs;
};

// A timeline event kept in full: one that a finding, a suspect file or a key tag points at.
struct KeyEvent {
  UtcMicros time = 0;
  std::string artifact, source, host, message, timestamp_desc, channel;
  std::optional<std::int64_t> event_id, record_id, offset;
  std::vector<std::string> tags;
};

struct ManifestEntry {
  std::string source, path, kind, host, sha256, collector_sha256;
  std::optional<UtcMicros> collected_at;
  std::uint64_t size = 0;
  std::optional<bool> hash_match;
  bool complete = true;  // false: the archive ended inside this file (a partial copy)
};

struct BundleSummary {
  bool present = false;
  std::string host, bundle, layout;
  std::optional<UtcMicros> collection_start, collection_end;
  std::string time_zone;  // the zone the collector's local times were read in
  std::map<std::string, std::int64_t> kind_counts;
  // What the collector does not collect: an id (catalog "notcollected.<id>") and its
  // English description from unpack-cdir (shown when the catalog has no entry).
  std::vector<std::pair<std::string, std::string>> not_collected;
  std::vector<std::string> categories_absent;  // kinds the collector normally collects, absent
  // Why the uploaded archive ends early ("" = it does not): absent data may have been lost.
  std::string archive_truncated;
  // The chain-of-custody check against collector-log.txt.
  std::string hash_result;  // "ok", "mismatch", "incomplete", "no_log" (or free text)
  std::vector<std::string> hash_mismatched, missing_from_bundle, not_in_log, not_verified;
  // Files stored unencrypted in a password-protected archive (their origin is not assured).
  std::vector<std::string> not_encrypted;
};

// What the device's own registry says about it (parse-registry "system_info" and
// "timezone" records): Windows version, configured time zone, last shutdown.
struct HostFacts {
  std::map<std::string, std::string> system;  // system_info name -> value (first seen)
  std::string time_zone, utc_offset;          // TimeZoneKeyName (or StandardName), "+09:00"
  bool empty() const { return system.empty() && time_zone.empty() && utc_offset.empty(); }
};

struct DiagnosticRecord {
  std::string tool, file, severity, message;
  std::optional<std::uint64_t> offset;
};

// Per evtx channel (or per artifact for the others): what the analysed data covers.
struct Coverage {
  std::int64_t events = 0;
  UtcMicros oldest = 0, newest = 0;
};

}  // namespace kk::notice
