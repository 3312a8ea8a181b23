// Reads Sigma rule YAML (and built-in rules: Sigma plus a "kakekomi:" block) and compiles
// it once per log target. Anything the engine cannot evaluate faithfully makes the rule
// "skipped" with the reason, never half-loaded.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "detect/rule.hpp"
#include "detect/yaml_document.hpp"

namespace kk::detect {

struct LoadedRule {
  CompiledRule rule;
  std::string route;                 // index key (lower-cased channel or artifact:NAME)
  std::set<std::int64_t> event_ids;  // empty: every event of the route
};

struct RuleLoadResult {
  enum class Status { kLoaded, kSkipped, kForeign };
  Status status = Status::kLoaded;
  std::string path, id, title, reason;
  std::vector<std::string> warnings;
  std::vector<LoadedRule> compiled;
};

// A rule file's text read as YAML: the most of loading a rule, and the part that shares
// nothing, so several files are read at once (Detector's load_jobs) and then compiled in
// file order. ERROR, when set, is why the file is skipped.
struct RuleYaml {
  std::optional<YamlDocument> document;
  std::string error;
};
RuleYaml read_rule_yaml(std::string_view yaml_text);

// Compiles a rule file read by read_rule_yaml. SOURCE is "sigma" or "builtin" (built-in
// rules must carry the kakekomi block). Field names are numbered in FIELD_IDS.
RuleLoadResult load_rule(const RuleYaml& yaml, const std::string& path, const std::string& source,
                         FieldIds& field_ids);

// The seven questions a finding answers (docs/records.md).
bool is_question(std::string_view q);

}  // namespace kk::detect
