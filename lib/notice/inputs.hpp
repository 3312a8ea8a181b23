// Collects the JSONL records a notice is built from, from files or from in-memory lines
// (so `triage` can render in-process). Records are told apart by their shape:
//   "artifact":"finding"          -> findings (docs/records.md)
//   "artifact":"manifest"         -> evidence inventory (unpack-cdir)
//   "artifact":"bundle_summary"   -> the bundle's summary (unpack-cdir)
//   "artifact":"diagnostic", or {"tool","message",…} without "artifact"
//                                 -> diagnostics of earlier stages
//   "artifact":"system_info" / "timezone" -> facts about the device (parse-registry)
//   anything with "timestamp" (µs) or "datetime"
//                                 -> a timeline event (build-timeline / filter-window)
// Other records (raw parser output) are counted and otherwise ignored.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/diagnostics.hpp"
#include "notice/observations.hpp"
#include "notice/records.hpp"

namespace kk::notice {

class Anonymizer;

// Tags that make a timeline event a key event on their own.
bool is_key_tag(std::string_view tag);

class NoticeInputs {
 public:
  // SUSPECTS: the suspect files from the case; events naming one are key events.
  explicit NoticeInputs(std::vector<std::string> suspects = {});

  // With a learner every record also teaches it the identifiers to pseudonymize.
  void set_learner(Anonymizer* learner) { learner_ = learner; }

  // Every record a parser wrote (triage's record stream), window or not: the coverage of
  // each kind of data (ObservationLog::span) and the file-system data holding the suspect.
  void cover_record(simdjson::dom::element record);
  // Artifacts ("mft", "usnjrnl") with a record of a suspect file, at any time.
  std::set<std::string> suspect_file_in;
  bool knows_suspects() const { return !suspect_names_.empty(); }

  // One JSONL line. ORIGIN and LINE_NO name it in diagnostics.
  void add_line(std::string_view json, std::string_view origin, std::uint64_t line_no,
                Diagnostics& diag);
  // An already-parsed record.
  void add_record(simdjson::dom::element record, std::string_view origin, std::uint64_t line_no,
                  Diagnostics& diag);
  // Every line of PATH ("-" = stdin). AS_DIAGNOSTICS reads each line as a diagnostic
  // record. Returns false (after diag.unreadable) when the file cannot be opened.
  bool add_file(const std::string& path, Diagnostics& diag, bool as_diagnostics = false);

  // A network log received (triage's netlog_input records, docs/records.md): the scope
  // lists each with its period and whether it covers the window.
  struct NetlogReceived {
    std::string source, product, unreadable;
    std::string product_name;  // what the customer calls it ("FortiGate"); may be empty
    std::int64_t lines = 0, records = 0;
    std::optional<UtcMicros> first, last;
    std::optional<bool> covers_window;
    std::vector<std::string> pc_addresses;  // the PC's own, as triage joined the log to it
  };
  std::vector<NetlogReceived> netlogs;
  // The name to print for the product of network log SOURCE: its product_name when triage
  // gave one, else PRODUCT as the record names it.
  std::string_view netlog_product_name(std::string_view source, std::string_view product) const;

  std::vector<Finding> findings;
  std::vector<ManifestEntry> manifest;
  BundleSummary summary;
  HostFacts host_facts;
  std::vector<DiagnosticRecord> diagnostics;

  // Every timeline event's time and artifact (index into ARTIFACTS), for the chart.
  std::vector<std::pair<UtcMicros, std::uint16_t>> event_times;
  std::vector<std::string> artifacts;
  // EVTX events' time and channel (index into CHANNEL_NAMES), to count per channel in the window.
  std::vector<std::pair<UtcMicros, std::uint16_t>> evtx_times;
  std::vector<std::string> channel_names;
  // Coverage of the data: per EVTX channel and per artifact.
  std::map<std::string, Coverage> channels, artifact_coverage;
  // Event id counts per EVTX channel ("Security" -> {4624: 12, …}).
  std::map<std::string, std::map<std::int64_t, std::int64_t>> event_ids;
  std::vector<KeyEvent> key_events;
  std::int64_t key_events_dropped = 0;
  std::int64_t other_records = 0, bad_lines = 0;
  std::set<std::string> hosts;
  std::set<std::string> event_sources;  // "source" of the events (bounded, see kMaxSources)
  static constexpr std::size_t kMaxSources = 100000;

  static constexpr std::size_t kMaxKeyEvents = 5000;

  // The window events that can answer the notice's questions (observations.hpp).
  ObservationLog observations;
  // The window as the timeline cut it (triage: the WindowFilter's bounds and counts). When
  // set, the notice uses these bounds and counts, so they equal window.jsonl and
  // window-stats.json; otherwise it derives them from the events it was given.
  struct WindowCut {
    std::optional<UtcMicros> from, to;
    std::int64_t kept = 0, before = 0, after = 0;
    std::map<std::string, std::int64_t> per_artifact;
  };
  std::optional<WindowCut> window_cut;
  // Events whose time is not plausible (after the collection, before kTimeFloor), per
  // artifact and source: kept in the records, left out of the window and the verdicts.
  struct OutOfRange {
    std::int64_t count = 0;
    UtcMicros earliest = 0, latest = 0;
  };
  // Transparent: an event's views are looked up without building three strings (281 k
  // events of the bench bundle are out of range). Both sides are compared as views: a tuple
  // of views against a tuple of strings has no operator< under clang with libstdc++ 12.
  struct ViewsLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return views(a) < views(b);
    }
    template <typename T>
    static std::tuple<std::string_view, std::string_view, std::string_view> views(const T& t) {
      return {std::get<0>(t), std::get<1>(t), std::get<2>(t)};
    }
  };
  std::map<std::tuple<std::string, std::string, std::string>, OutOfRange, ViewsLess> out_of_range;
  void add_out_of_range(std::string_view artifact, std::string_view source, UtcMicros t,
                        std::string_view reason);
  static constexpr UtcMicros kTimeFloor = 946684800LL * 1000000;  // 2000-01-01: before Windows 2000
  // Rules the detector loaded, per rule set ("builtin", "sigma").
  std::map<std::string, std::int64_t> rules_loaded;

 private:
  void add_event(simdjson::dom::element e);
  std::uint16_t artifact_index(std::string_view a);
  std::uint16_t channel_index(std::string_view c);
  bool names_suspect(std::string_view text) const;

  std::vector<std::string> suspect_names_;  // folded base names and full paths
  Anonymizer* learner_ = nullptr;
  simdjson::dom::parser parser_;
};

}  // namespace kk::notice
