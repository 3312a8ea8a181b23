// The parse stage's output handed over in-process: every batch of record lines a
// parser produces is appended to records/<artifact>.jsonl (for the analyst, as the
// separate tools would write it) and, parsed once, given to the timeline builder and
// the detector. No stage reads a file another stage wrote.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/diagnostics.hpp"
#include "core/jsonl_batch.hpp"
#include "detect/detect.hpp"
#include "timeline/timeline_builder.hpp"
#include "triage/record_files.hpp"

namespace kk::triage {

class RecordStream {
 public:
  RecordStream(RecordFiles& files, timeline::TimelineBuilder& timeline, detect::Detector& detector,
               Diagnostics& diag)
      : files_(files), timeline_(timeline), detector_(detector), diag_(diag) {}

  // Whole JSONL lines from one parser, in the order it wrote them.
  void write(std::string_view lines);

  // CPU seconds spent, on the consuming thread, in each consumer (run.json).
  double json_seconds() const { return json_s_; }
  double timeline_seconds() const { return timeline_s_; }
  double detect_seconds() const { return detect_s_; }

 private:
  RecordFiles& files_;
  timeline::TimelineBuilder& timeline_;
  detect::Detector& detector_;
  Diagnostics& diag_;
  JsonlBatch batch_;
  double json_s_ = 0, timeline_s_ = 0, detect_s_ = 0;
};

}  // namespace kk::triage
