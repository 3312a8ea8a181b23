// Candidate rules per event, found once for all rules instead of rule by rule.
//
// Most Sigma rules can only match when some field contains one of a few literal strings
// (Image ending in "\certutil.exe", CommandLine containing "-urlcache", …). For each rule the
// prefilter derives such a necessary condition (conservatively: a rule without one is
// always a candidate), and per field one Aho-Corasick automaton finds in a single pass over
// the event's lower-cased values which literals occur. Only rules with a literal present are
// then evaluated in full. Thousands of process_creation rules meet every Sysmon 1 event,
// which is what this is for.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "detect/event.hpp"
#include "detect/rule.hpp"

namespace kk::detect {

// A necessary condition: the rule can only match if ANY of these (field, lower-cased
// literal) pairs occurs (the literal is a substring of a value of the field).
using Requirement = std::vector<std::pair<std::uint32_t, std::string>>;
std::optional<Requirement> necessary_literals(const CompiledRule& rule);

class Prefilter {
 public:
  // Registers rule number RULE (any numbering the caller chooses, e.g. a position in its
  // list of rules).
  void add(std::uint32_t rule, const CompiledRule& compiled);
  // The rules E can match, ascending: every rule without a necessary literal and those
  // whose literal occurs in E. Valid until the next call.
  const std::vector<std::uint32_t>& candidates(const Event& e);

 private:
  struct Automaton {  // Aho-Corasick over one field's literals
    std::unordered_map<std::uint64_t, std::uint32_t> next;  // (node << 8 | byte) → node
    // The same as a complete transition table (failure links followed in advance) over
    // byte classes (every byte no literal holds is class 0): one load per scanned byte
    // instead of a hash lookup and a walk up the failure links. Empty when too large.
    std::array<std::uint8_t, 256> byte_class{};
    std::uint32_t classes = 0;
    std::vector<std::uint32_t> delta;  // node * classes + class → node
    std::vector<std::uint32_t> fail;
    std::vector<std::vector<std::uint32_t>> out;  // node → literal ids ending here (incl. via fail)
    std::vector<std::string> pending;             // literals added since the last build
    std::vector<std::uint32_t> pending_ids;
    bool built = false;
  };
  void scan(const Event& e);
  void build(std::uint32_t field, Automaton& a);
  static void build_table(Automaton& a);
  std::unordered_map<std::uint32_t, Automaton> by_field_;
  std::vector<std::vector<std::uint32_t>> literal_rules_;  // literal id → rules
  std::vector<std::string> literal_text_;
  std::vector<std::uint32_t> literal_field_;
  std::vector<std::uint32_t> free_;  // rules without a necessary literal, ascending
  bool free_sorted_ = true;
  std::vector<std::uint32_t> seen_;  // per rule: the scan that found its literal
  std::uint32_t stamp_ = 0;
  std::vector<std::uint32_t> hits_, out_;
};

}  // namespace kk::detect
