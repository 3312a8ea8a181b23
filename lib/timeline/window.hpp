// filter-window as a library: keep the timeline events of the investigation window.
//
// Time bounds come from --anchor/--before/--after and/or --since/--until (both may be
// given; the window is their intersection). Text (--match), tag and artifact filters
// are AND-ed with each other and OR-ed within themselves. --around-suspect narrows the
// window further to what the suspect file did (suspect.hpp). Input need not be sorted:
// every event is judged on its own and written in input order.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/jsonl_reader.hpp"
#include "core/output.hpp"
#include "core/time.hpp"

namespace kk::timeline {

struct WindowOptions {
  std::optional<UtcMicros> anchor;
  std::int64_t before = 3LL * 86400 * 1000000;  // µs; used with anchor
  std::optional<std::int64_t> after;            // µs; unbounded when absent
  std::optional<UtcMicros> since, until;
  std::vector<std::string> match;  // ECMAScript regexes, case-insensitive
  std::vector<std::string> tags;
  std::vector<std::string> artifacts;
  std::vector<std::string> suspects;           // file names or paths
  std::int64_t pid_window = 3600LL * 1000000;  // how long a pid stays "the same process"
};

struct WindowStats {
  std::optional<UtcMicros> from, to;  // effective bounds
  std::uint64_t read = 0, kept = 0, before_window = 0, after_window = 0;
  std::uint64_t filtered = 0;  // inside the time bounds but cut by match/tag/artifact/suspect
  std::uint64_t invalid = 0;   // lines that were not timeline events
  std::map<std::string, std::uint64_t> per_artifact, per_tag;  // of the kept events
  std::uint64_t suspect_processes = 0;  // processes attributed to the suspect
};

class WindowFilter {
 public:
  // Throws std::invalid_argument for a bad --match (the tool reports it as bad usage).
  explicit WindowFilter(WindowOptions options);
  ~WindowFilter();

  // Runs over INPUTS ("-" = stdin) writing kept lines to OUT. Returns false when
  // writing failed; unreadable inputs are reported to DIAG.
  bool run(const std::vector<std::string>& inputs, Output& out, Diagnostics& diag);
  // Judges one already-parsed event, as run() would, and counts it; true when kept.
  // For in-process use (triage); not with suspects, which need run()'s two passes.
  bool keep(simdjson::dom::element event);
  // Counts an event that TIMESTAMP alone puts outside the time bounds, as keep() would,
  // and returns true; false when it is inside (then parse it and call keep()). Lets
  // triage leave most of a long timeline unparsed.
  bool outside(UtcMicros timestamp);
  const WindowStats& stats() const { return stats_; }
  // What run()'s inputs held (JsonlInputTally::report_if_empty: none held an event).
  const JsonlInputTally& inputs() const { return inputs_; }
  // The stats as one JSON object (for --stats FILE) and as human text (stderr).
  std::string stats_json() const;
  std::string stats_text() const;

 private:
  bool selected(simdjson::dom::element event) const;  // match/tag/artifact filters

  WindowOptions options_;
  struct Matchers;  // the compiled --match expressions (std::regex stays out of the header)
  std::unique_ptr<Matchers> match_;
  WindowStats stats_;
  JsonlInputTally inputs_;
};

}  // namespace kk::timeline
