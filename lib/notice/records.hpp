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
};

struct BundleSummary {
  bool present = false;
  std::string host, bundle, layout;
  std::optional<UtcMicros> collection_start, collection_end;
  std::map<std::string, std::int64_t> kind_counts;
  std::vector<std::string> not_collected;  // what the collector does not collect
  std::string hash_check;                  // as reported ("ok", "3 mismatched", …)
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
