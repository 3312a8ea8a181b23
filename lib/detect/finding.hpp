// Findings: rule matches grouped into the records docs/records.md ("Finding") defines.
// A group collects the matches of one rule for one value of its group_by fields; stateful
// rules keep their matches until the end and make findings only for bursts.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "detect/event.hpp"
#include "detect/rule.hpp"

namespace kk::detect {

struct Evidence {
  std::string artifact, source, summary;
  std::string host;  // the record's computer (EVTX) or host (timeline); "" when absent
  std::optional<std::int64_t> record_id, offset, event_id;
  std::optional<UtcMicros> time;
  std::vector<std::pair<std::string, std::string>> fields;
};

// Indicators pulled from evidence fields, by kind (files, paths, hashes, ips, …).
struct Iocs {
  std::map<std::string, std::set<std::string>> by_kind;
  void add(const Event& e);
  void merge(const Iocs& o);
};

struct FindingGroup {
  std::shared_ptr<const RuleInfo> rule;
  std::string source;  // first evidence's source
  std::optional<UtcMicros> first, last;
  std::uint64_t count = 0;
  std::vector<Evidence> evidence;  // capped
  Iocs iocs;
  bool suspect = false;
  std::string title_suffix;  // group values, e.g. " (alice)"
};

class FindingSink {
 public:
  explicit FindingSink(std::size_t evidence_cap = 20) : cap_(evidence_cap) {}
  // Records that RULE matched E; KEY_FIELDS are shown in the evidence.
  void add(const std::shared_ptr<const RuleInfo>& rule, const std::vector<std::string>& key_fields,
           const Event& e, bool suspect);
  // Stateful rules become findings here. Returns every finding, ordered by first time.
  std::vector<FindingGroup> finish();
  std::uint64_t matches() const { return matches_; }

 private:
  struct Hit {
    UtcMicros time;
    std::string distinct;
    std::int32_t evidence = -1;  // index into StatefulGroup::evidence, or -1 beyond the cap
    bool suspect = false;
  };
  struct StatefulGroup {
    std::shared_ptr<const RuleInfo> rule;
    std::string title_suffix;
    std::vector<Hit> hits;
    std::vector<Evidence> evidence;
    std::vector<std::pair<std::size_t, Iocs>> iocs;  // sampled with evidence
  };
  std::size_t cap_;
  std::uint64_t matches_ = 0;
  std::unordered_map<std::string, FindingGroup> groups_;
  std::unordered_map<std::string, StatefulGroup> stateful_;
};

Evidence make_evidence(const RuleInfo& rule, const std::vector<std::string>& key_fields,
                       const Event& e);

// Writes one finding record (JSONL line) with id RULE_ID#N.
void write_finding(std::string& out, const FindingGroup& g, std::uint64_t n);

}  // namespace kk::detect
