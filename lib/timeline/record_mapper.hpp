// Parser records → rendered timeline events, for one thread. TimelineBuilder uses one;
// triage runs several in parallel, each filling MappedEvents for a batch of records,
// and hands the batches to the builder in input order (TimelineBuilder::add_mapped), so
// the timeline is the same whatever the number of threads.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/out_buffer.hpp"
#include "core/time.hpp"
#include "timeline/event.hpp"
#include "timeline/mapper.hpp"
#include "timeline/member_index.hpp"

namespace kk::timeline {

struct BuildOptions;

// The events of a run of records, rendered, in order, with what the records counted.
struct MappedEvents {
  struct Item {
    UtcMicros timestamp;
    std::uint32_t offset, length;  // the line in TEXT, '\n' included
    std::uint32_t host_pos;        // Event::kNoHostSlot or where the host value goes
    const char* pinned;            // or, when set, the line lies here (map's STABLE_RAW)
  };
  OutBuffer text;
  std::vector<Item> items;
  std::uint64_t records = 0, context_records = 0, passthrough = 0, untimed = 0, invalid = 0;
  std::map<std::string, std::uint64_t, std::less<>> per_artifact;    // events per artifact (or 0)
  std::map<std::string, std::uint64_t, std::less<>> untimed_inputs;  // untimed records per input
  std::string bundle_host;  // the first manifest record's host

  void clear();
};

class RecordMapper : private EventSink {
 public:
  RecordMapper(const BuildOptions& options, Diagnostics& diag);
  RecordMapper(const RecordMapper&) = delete;
  RecordMapper& operator=(const RecordMapper&) = delete;

  // Maps one parsed record (any parser's, or an existing timeline event) into OUT.
  // INPUT and LINE locate it in diagnostics; RAW is its JSON text (an existing timeline
  // event is kept byte for byte). STABLE_RAW, when given, is the same line with its '\n'
  // in memory that outlives the events (JsonlReader::stable_line): an existing event
  // exactly that line is then not copied into OUT's text but pointed at.
  void map(simdjson::dom::element record, std::string_view input, std::uint64_t line,
           std::string_view raw, MappedEvents& out, std::string_view stable_raw = {});

 private:
  void emit(const Event& ev) override;
  void add_passthrough(simdjson::dom::element record, std::string_view input, std::uint64_t line,
                       std::string_view raw, std::string_view stable_raw);
  void push(UtcMicros timestamp, std::string_view line, bool add_newline, std::uint32_t host_pos);
  bool fits(std::size_t start);
  void count_artifact(std::string_view artifact);

  Diagnostics& diag_;
  Event event_;
  MemberIndex index_;  // the record being mapped
  MapContext ctx_;
  MappedEvents* out_ = nullptr;
  std::string_view input_;  // map()'s record, for reports
  std::uint64_t line_ = 0;
  std::string minified_;
};

}  // namespace kk::timeline
