// Findings: rule matches grouped into the records docs/records.md ("Finding") defines.
// A group collects the matches of one rule for one value of its group_by fields; stateful
// rules keep their matches until the end and make findings only for bursts.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "detect/event.hpp"
#include "detect/rule.hpp"

namespace kk::detect {

// One record shown in a finding, kept as the JSON object the finding will hold: a finding
// is written only at the end (findings are ordered by first time), and a million records'
// evidence as a dozen strings each took 1.5 times the memory and most of the allocations.
struct Evidence {
  std::optional<UtcMicros> time;  // a finding's evidence is written in time order
  std::string source;             // the record's; a burst's finding takes its first one's
  std::string json;               // {"artifact":…,"fields":{…}} (docs/records.md, "Finding")
};

// The indicators of E's fields as (kind, value) in field order: files, paths, hashes, ips, ….
using IocList = std::vector<std::pair<std::string_view, std::string>>;
IocList ioc_list(const Event& e);

// The kinds of indicator, in the order a finding lists them.
inline constexpr std::array<std::string_view, 8> kIocKinds = {
    "files", "paths", "hashes", "ips", "domains", "services", "tasks", "accounts"};

// Indicators pulled from evidence fields, by kind (at most 50 of a kind, the first ones):
// (kind, value) kept sorted by kind (its place in kIocKinds), then value, the order a
// finding lists them in. One vector, where a std::set per kind took a tree node a value
// and a sixth of the memory of a million records' findings, held until the end.
struct Iocs {
  std::vector<std::pair<std::uint8_t, std::string>> items;
  std::array<std::uint8_t, kIocKinds.size()> counts{};  // items of each kind
  void add(const IocList& list);
  void merge(const Iocs& o);

 private:
  void add(std::uint8_t kind, std::string_view value);
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

// One rule's match of one record with all its finding needs of the record, taken while the
// record is at hand: detect --jobs matches records on several threads and adds their
// matches to the one FindingSink in input order.
struct Match {
  std::shared_ptr<const RuleInfo> rule;
  std::string key;       // the group: rule id, then the group_by values or the source
  std::string suffix;    // the group's values as the title shows them
  std::string source;    // the record's
  std::string distinct;  // stateful rules with a distinct field: its value
  std::optional<UtcMicros> time;
  bool suspect = false;
  std::optional<Evidence> evidence;  // absent: the group keeps no more evidence
  IocList iocs;                      // taken with the evidence (always for grouped rules)
};

// The match of RULE on E with its evidence and IOCs (KEY_FIELDS are shown in the evidence).
Match take_match(const std::shared_ptr<const RuleInfo>& rule,
                 const std::vector<std::string>& key_fields, const Event& e, bool suspect);

class FindingSink {
 public:
  explicit FindingSink(std::size_t evidence_cap = 20) : cap_(evidence_cap) {}
  // Records that RULE matched E; KEY_FIELDS are shown in the evidence. Evidence is taken
  // only while the group keeps more.
  void add(const std::shared_ptr<const RuleInfo>& rule, const std::vector<std::string>& key_fields,
           const Event& e, bool suspect);
  // The same for a match taken on another thread; matches come in input order.
  void add(Match m);
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
  bool keeps_evidence(const Match& m) const;
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
