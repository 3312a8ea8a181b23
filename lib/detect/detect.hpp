// kakekomi detection: parser records and timeline events in, findings out.
//
// Public interface for tools/detect.cpp and the in-process triage pipeline:
//   kk::detect::Detector d(options, diag);
//   d.load_rules();                       // built-in pack + Sigma rule files/directories
//   for each record: d.add(element);      // simdjson DOM element of one JSONL record
//   std::string jsonl = d.finish();       // findings.jsonl (docs/records.md, "Finding")
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "detect/line_batch.hpp"

namespace kk::detect {

struct Options {
  bool builtin = true;                  // load the built-in rule pack (rules/, embedded)
  std::vector<std::string> rule_paths;  // Sigma rule files or directories (recursive)
  std::vector<std::string> suspects;    // suspect file names, paths or hashes
  std::size_t evidence_cap = 20;        // evidence kept per finding (the count is exact)
  // Threads that read rule files and parse their YAML, the most of loading 2,000 Sigma
  // rules; they are compiled in file order, so the result is the same for any number.
  unsigned load_jobs = 1;
};

// What happened to one rule file when it was loaded.
struct RuleStatus {
  std::string path, id, title;
  std::string status;  // "loaded", "skipped" (unsupported construct) or "foreign" (not Windows)
  std::string reason;
  std::vector<std::string> warnings;
};

struct Stats {
  std::uint64_t records = 0;      // records given to add()
  std::uint64_t evaluations = 0;  // rule evaluations run
  std::uint64_t matches = 0;      // rule matches (before grouping)
  std::uint64_t duplicates = 0;   // EVTX records seen twice (same source and record id)
  std::uint64_t unselected = 0;   // records no rule selects by log source and event id
  std::uint64_t findings = 0;
  std::uint64_t rules_loaded = 0, rules_skipped = 0, rules_foreign = 0;
};

class Detector {
 public:
  Detector(Options options, Diagnostics& diag);
  ~Detector();
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  // Loads the built-in pack and every rule path. A path that cannot be read is reported
  // with diag.unreadable; a rule the engine cannot evaluate is skipped and listed in
  // rule_statuses(). Returns the number of rules loaded.
  std::size_t load_rules();
  // The same, reporting into REPORT_TO instead of the detector's own Diagnostics: triage
  // loads the rules on a thread of their own while the bundle is unpacked and parsed, into
  // a holding Diagnostics told after the parse stage (triage/rule_loading.hpp).
  std::size_t load_rules(Diagnostics& report_to);
  // Loads one rule from text (tests, embedded packs). SOURCE: "sigma" or "builtin".
  RuleStatus load_rule_text(std::string_view yaml, const std::string& path,
                            const std::string& source);
  const std::vector<RuleStatus>& rule_statuses() const;
  // CPU seconds load_rules() spent on the threads it started to read rule files (load_jobs
  // above 1), so far: the calling thread's own are its own to measure. Any thread.
  double loading_helper_cpu_seconds() const;
  // Builds, after the rules are loaded, what matching otherwise builds at the first record
  // (the rules grouped by route and event id, each group's prefilter automata): triage does
  // it on the rules' own thread, so the record pipeline does not stall on it. Not while
  // records are matched; a rule loaded later makes them be built again at the next record.
  void prepare_matching();

  // One input record: a parse-* record or a timeline event (docs/records.md).
  void add(simdjson::dom::element record);
  // One JSONL line; returns false (and reports nothing) when it is not JSON.
  bool add_json(std::string_view line);
  // A line of a batch that is not JSON: the batch's number in the span, the line's in the
  // batch, and why ("invalid JSON: …", as JsonlReader::next() says it).
  using InvalidLine =
      std::function<void(std::size_t batch, std::size_t line, const std::string& error)>;
  // The records of BATCHES, parsed and matched on up to JOBS threads: the same findings and
  // stats as add() on each in order (matches are taken on the threads and added to the
  // findings in input order). A line that is not JSON is no record: it is told to INVALID,
  // in input order too, on the thread that adds the matches then. Hand over a few batches
  // per thread at a time.
  void add_batches(std::span<LineBatch> batches, unsigned jobs, const InvalidLine& invalid = {});

  // Ends the run: stateful rules are evaluated and every finding is written as JSONL,
  // ordered by first time.
  std::string finish();
  // The same, one finding at a time: SINK gets each line (with its '\n') and the finding's
  // severity_level (finding_table.hpp), and no text of all of them is kept — a million
  // records' findings are hundreds of MB, built and copied twice before they were written.
  void finish(const std::function<void(std::string_view line, int severity)>& sink);
  // Forgets the records of the run (matches, duplicates, counts) and keeps the loaded rules:
  // another run over other records without loading the rules again (the records fuzzer).
  void restart();
  const Stats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The built-in rule pack compiled into the library: (path under rules/, YAML text).
const std::vector<std::pair<std::string_view, std::string_view>>& builtin_rule_files();

}  // namespace kk::detect
