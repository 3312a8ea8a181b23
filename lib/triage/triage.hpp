// triage as a library: one received bundle to a case folder with every stage's
// output (manifest, records, timeline, window, findings, notice, run.json).
//
// Stages run in-process through each area's public interface; each still writes
// the file the separate tool would, so an analyst can re-run any stage by hand.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/case_dir.hpp"
#include "core/diagnostics.hpp"
#include "core/time.hpp"

namespace kk::triage {

struct Options {
  std::string bundle;                           // folder or archive (CONTRACT.md, unpack-cdir)
  std::string out_dir;                          // CASEDIR; created, must not hold a previous run
  std::optional<UtcMicros> detected_at;         // the window anchor
  bool window_all = false;                      // no anchor: keep every event
  std::int64_t before = 3LL * 86400 * 1000000;  // lookback from the anchor
  std::optional<std::int64_t> after;            // unbounded by default
  std::vector<std::string> suspects;            // names, paths or hashes
  std::string case_path;                        // CASE.json; empty: intake "not provided"
  std::optional<std::string> password;          // archive password
  std::vector<std::string> rule_paths;          // extra Sigma rules
  bool default_sigma = true;                    // load sigma/rules (sigma_set.hpp)
  std::string lang = "ja";                      // notice language: "ja" or "en"
  bool include_memory = false;
  bool recover_evtx = false;
  unsigned jobs = 1;
  bool progress = false;
  std::string tz = kDefaultTz;
  std::vector<std::string> netlogs;  // --netlog: network/security logs (files, folders)
};

struct StageTiming {
  std::string stage;
  double seconds = 0;      // wall
  double cpu_seconds = 0;  // user + system, every thread of the stage
};

struct Report {
  std::string status = "failed";  // "completed", "completed_with_damage", "failed"
  std::string error;              // why it failed
  bool error_reported = false;    // ... already printed as a diagnostic: not to print again
  std::vector<std::string> hosts;
  std::optional<UtcMicros> anchor;  // the detection time used (option or case file)
  std::vector<StageTiming> timings;
  std::map<std::string, std::uint64_t> counts;    // manifest files, records, events, …
  std::map<std::string, std::uint64_t> records;   // records per artifact
  std::map<std::string, std::uint64_t> findings;  // findings per severity
  std::uint64_t warnings = 0, errors = 0;         // diagnostics
  double seconds = 0, cpu_seconds = 0;
};

// Runs every stage for OPTIONS.bundle into OPTIONS.out_dir, opened as a CaseDir (created, or
// an empty folder of this user; not a link, not inside the bundle). Damage never stops the
// run (it is reported and shown in the notice's limitations); only an unusable bundle or
// output folder fails it. run.json is written in every case but a refused folder: then
// nothing at all is written.
Report run(const Options& options, Diagnostics& diag);
// The same into CASE_DIR, already open (a batch creates it in its OUTROOT).
Report run(const Options& options, const CaseDir& case_dir, Diagnostics& diag);

}  // namespace kk::triage
