// Candidate rules per event, found once for all rules instead of rule by rule.
//
// Most Sigma rules can only match when some field contains one of a few literal strings
// (Image ending in "\certutil.exe", CommandLine containing "-urlcache", …). For each rule the
// prefilter derives such a necessary condition (conservatively: a rule without one is
// always a candidate), and per field the event's lower-cased values are scanned for all
// its literals at once: the short ones through an Aho-Corasick table, the rest by an 8-byte
// window each (literal_windows.hpp). Only rules with a literal present are then evaluated
// in full. Thousands of process_creation rules meet every Sysmon 1 event, which is what
// this is for.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "detect/event.hpp"
#include "detect/literal_windows.hpp"
#include "detect/rule.hpp"

namespace kk::detect {

// A necessary condition: the rule can only match if ANY of these (field, lower-cased
// literal) pairs occurs (the literal is a substring of a value of the field).
using Requirement = std::vector<std::pair<std::uint32_t, std::string>>;
std::optional<Requirement> necessary_literals(const CompiledRule& rule);

class Prefilter {
 public:
  // What one scan needs besides the automata: each thread that calls candidates() has its
  // own (detect --jobs), and one serves every prefilter the thread uses.
  struct Scratch {
    std::vector<std::uint32_t> seen;  // per rule: the scan that found its literal
    std::uint32_t stamp = 0;
    std::vector<std::uint32_t> hits, out;
  };

  Prefilter() = default;
  Prefilter(const Prefilter&) = delete;
  Prefilter& operator=(const Prefilter&) = delete;

  // Registers rule number RULE (any numbering the caller chooses, e.g. a position in its
  // list of rules). Not while candidates() may run.
  void add(std::uint32_t rule, const CompiledRule& compiled);
  // The rules E can match, ascending: every rule without a necessary literal and those
  // whose literal occurs in E. Valid until SCRATCH is used again. Safe on several threads
  // at once, each with its own SCRATCH (an automaton is built at its first use, once).
  const std::vector<std::uint32_t>& candidates(const Event& e, Scratch& scratch) const;
  // Builds every automaton now instead of at its first use (not while candidates() runs).
  void prepare() const;

 private:
  struct Automaton {  // Aho-Corasick over one field's literals
    std::vector<std::pair<std::string, std::uint32_t>> literals;  // (text, literal id)
    std::atomic<bool> built{false};
    // A complete transition table (failure links followed in advance) over byte classes
    // (every byte no literal holds is class 0), nodes numbered breadth first so the shallow
    // ones most bytes lead to lie together: one load per scanned byte. Empty when too large.
    std::array<std::uint8_t, 256> byte_class{};
    std::uint32_t classes = 0;
    std::array<bool, 256> starts{};               // bytes that leave the root (begin some literal)
    std::vector<std::uint32_t> delta;             // node * classes + class → node (| kHasOutput)
    std::vector<std::vector<std::uint32_t>> own;  // node → literal ids ending exactly here
    std::vector<std::uint32_t> out_link;          // node → nearest failure ancestor with literals
    // Without a table: the trie as a map, with failure links walked while scanning.
    std::unordered_map<std::uint64_t, std::uint32_t> next;  // (node << 8 | byte) → node
    std::vector<std::uint32_t> fail;
    // The literals of LiteralWindows::kWidth bytes or more, found by a window each; the
    // table (or map) above holds the shorter ones.
    LiteralWindows windows;
    bool trie_empty = true;  // every literal is in WINDOWS
  };
  void scan(const Event& e, Scratch& s) const;
  const Automaton& ready(Automaton& a) const;  // built at its first use
  static void build(Automaton& a);
  template <typename Hit>
  static void report(const Automaton& a, std::uint32_t node, Hit& hit);
  // Automata are built at their first scan; MUTABLE for that, under BUILD_MUTEX_.
  mutable std::unordered_map<std::uint32_t, Automaton> by_field_;
  mutable std::mutex build_mutex_;
  std::vector<std::uint32_t> literal_rule_;  // literal id → rule
  std::vector<std::uint32_t> free_;          // rules without a necessary literal, ascending
  std::uint32_t rules_ = 0;                  // highest rule number + 1
};

}  // namespace kk::detect
