// A detection rule as the engine runs it: metadata (who wrote it, what it answers) and a
// compiled Sigma detection (selections and a condition tree). Built-in rules are Sigma
// rules with an extra "kakekomi:" block (see rules/README.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "detect/event.hpp"
#include "detect/pattern_set.hpp"
#include "detect/value_matcher.hpp"

namespace kk::detect {

// Stateful part of a rule: matches are grouped by GROUP_BY and a finding is made only for
// a burst: at least COUNT matches (or COUNT distinct values of DISTINCT) within TIMESPAN.
struct Aggregate {
  std::uint64_t count = 0;
  std::string distinct;  // empty: count matches; else count distinct values of this field
  std::int64_t timespan_us = 0;
};

struct RuleInfo {
  std::string id, title, title_ja, description, description_ja, author, level, status, path;
  std::string source = "sigma";       // "builtin" or "sigma"
  std::string question;               // one of the seven investigation questions
  std::string severity;               // critical|high|medium|low|info
  std::vector<std::string> attack;    // technique ids, e.g. "T1059.001"
  std::vector<std::string> group_by;  // one finding per distinct combination of these fields
  std::vector<std::string> fields;    // key fields shown in evidence (beyond the rule's own)
  std::string summary;                // evidence summary template, "{Field}" placeholders
  std::optional<Aggregate> aggregate;
  std::vector<std::string> warnings;  // e.g. "|expand ignored"
};

struct FieldCondition {
  std::string field;  // empty: keyword, searched in every field
  std::uint32_t field_id = FieldIds::kNone;
  std::vector<ValueMatcher> values;
  bool all = false;   // |all: every value must match (default: any)
  PatternSet any_of;  // VALUES flattened when they are OR'ed pattern lists (see prepare)
  // Call once VALUES and ALL are set: builds ANY_OF, the fast path of matches().
  void prepare();
  bool matches(const Event& e) const;
};

// A Sigma search identifier: OR over alternatives, each an AND of field conditions.
struct Selection {
  std::string name;
  std::vector<std::vector<FieldCondition>> alternatives;
  bool matches(const Event& e) const;
};

struct CondNode {
  enum class Op { kSelection, kAnd, kOr, kNot, kAtLeast } op = Op::kSelection;
  int selection = -1;  // kSelection
  int at_least = 1;    // kAtLeast: N of the children
  std::vector<CondNode> kids;
};

struct CompiledRule {
  std::shared_ptr<const RuleInfo> info;
  std::vector<Selection> selections;
  CondNode condition;
  // Fields the detection names, in order (key fields for evidence).
  std::vector<std::string> referenced_fields;
  bool matches(const Event& e) const;
};

// Parses a Sigma condition over the selection NAMES; the error names the problem.
Result<CondNode> parse_condition(std::string_view text, const std::vector<std::string>& names);

}  // namespace kk::detect
