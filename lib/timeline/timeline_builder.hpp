// build-timeline as a library: parser records in, sorted timeline events out.
// tools/build-timeline.cpp and triage both use it.
//
//   kk::timeline::TimelineBuilder b(options, diag);
//   b.add_jsonl("records/evtx.jsonl");          // or b.add_record(doc, "x", line)
//   b.write(out);                               // sorted JSONL (or CSV) events
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/jsonl_reader.hpp"
#include "core/mapped_file.hpp"
#include "core/output.hpp"
#include "timeline/event.hpp"
#include "timeline/event_sorter.hpp"
#include "timeline/mapper.hpp"
#include "timeline/message_catalog.hpp"
#include "timeline/record_mapper.hpp"

namespace kk::timeline {

enum class OutputFormat { kJsonl, kCsv };

struct BuildOptions {
  Lang lang = Lang::kEn;
  std::string host;  // host for records that name none (overrides a manifest's host)
  std::uint64_t memory_budget = 512ull << 20;
  std::string temp_dir;  // parent for spilled runs ("" = $TMPDIR or /tmp)
  bool dedupe = false;
  // "details" as one JSON string (see Event): the default, so a stock Timesketch/OpenSearch
  // index (1,000 fields) takes any timeline; false: a nested object (--details object).
  bool details_as_text = true;
  OutputFormat format = OutputFormat::kJsonl;
  std::string tz = "Asia/Tokyo";  // CSV local_time column
};

struct BuildStats {
  std::uint64_t records = 0;          // parser records read
  std::uint64_t context_records = 0;  // manifest / bundle_summary / finding (no events)
  std::uint64_t passthrough = 0;      // records that already were timeline events
  std::uint64_t untimed = 0;          // records without any usable time (no event)
  std::uint64_t invalid_lines = 0;    // input lines that were not JSON objects
  std::uint64_t events = 0;           // events written
  std::uint64_t duplicates = 0;       // removed by --dedupe
  std::uint64_t runs = 0;             // sorted runs spilled to disk
  double spill_seconds = 0, spill_cpu_seconds = 0;  // of the thread writing them beside
  std::map<std::string, std::uint64_t, std::less<>> per_artifact;  // events made per artifact
};

class TimelineBuilder {
 public:
  TimelineBuilder(BuildOptions options, Diagnostics& diag);
  ~TimelineBuilder();

  // Adds one parsed record (any parser's, or an existing timeline event). INPUT and
  // LINE locate it in diagnostics. RAW, when given, is the record's JSON text (an
  // existing timeline event is then kept byte for byte instead of re-rendered).
  void add_record(simdjson::dom::element record, std::string_view input, std::uint64_t line,
                  std::string_view raw = {}, std::string_view stable_raw = {});
  // Adds records mapped elsewhere (by RecordMapper, on other threads), in input order.
  void add_mapped(const MappedEvents& events);
  // A mapper configured like this builder, for mapping on other threads.
  std::unique_ptr<RecordMapper> make_mapper() const;
  // Adds every record of a JSONL file ("-" = standard input). False (and an
  // "unreadable" diagnostic) when it cannot be opened or is not JSON Lines at all.
  // A file that fits in half the memory budget left is mapped and, when it holds timeline
  // events, kept until write(): they are sorted where they lie (EventSorter::pin), not
  // copied. A file of parser records is unmapped once read (its events are new text).
  bool add_jsonl(const std::string& path);
  // What the add_jsonl inputs held (report_if_empty: none held a record).
  const JsonlInputTally& inputs() const { return inputs_; }
  // Bytes of mapped inputs kept until write() (events refer to them).
  std::uint64_t mapped_bytes() const;

  // Writes every event, sorted; false when writing failed. Call once. OBSERVER, when
  // given, sees each event as written (its time and JSONL line, '\n' included, valid during
  // the call), so an in-process next stage (triage's window) needs no second pass over the
  // output.
  using EventObserver = std::function<void(UtcMicros timestamp, std::string_view line)>;
  bool write(Output& out, const EventObserver& observer = {});
  // After write(), once OUT is closed: the sorter's runs removed beside (see
  // EventSorter::remove_runs); otherwise the destructor removes them.
  void remove_runs() { sorter_.remove_runs(); }
  const BuildStats& stats() const { return stats_; }

 private:
  BuildOptions options_;
  Diagnostics& diag_;
  EventSorter sorter_;
  std::unique_ptr<RecordMapper> mapper_;  // add_record's
  MappedEvents scratch_;
  std::string bundle_host_;  // from manifest records
  BuildStats stats_;
  JsonlInputTally inputs_;
  std::vector<std::unique_ptr<MappedFile>> pinned_;  // add_jsonl's inputs events refer to
  std::uint64_t referenced_ = 0;                     // events added by reference
  std::map<std::string, std::uint64_t, std::less<>> untimed_per_input_;
};

}  // namespace kk::timeline
