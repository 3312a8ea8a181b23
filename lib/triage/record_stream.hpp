// The parse stage's output handed over in-process: every batch of record lines a
// parser produces is appended to records/<artifact>.jsonl (for the analyst, as the
// separate tools would write it) and parsed once into simdjson documents that the
// timeline builder and then the detector read. No stage reads a file another wrote.
//
// Three threads form a pipeline, so that on two cores the work of the consumers
// overlaps the parsers' and each other's:
//   caller (the parsers' ordered output) -> records/ files, a batch of lines
//   mapper   -> parses each line once, maps it to timeline events
//   detector -> runs the rules on the same parsed documents
// Batches come from a fixed pool, so memory stays bounded whatever the input size.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/diagnostics.hpp"
#include "detect/detect.hpp"
#include "timeline/timeline_builder.hpp"
#include "triage/record_files.hpp"

namespace kk::triage {

class RecordStream {
 public:
  RecordStream(RecordFiles& files, timeline::TimelineBuilder& timeline, detect::Detector& detector,
               Diagnostics& diag);
  ~RecordStream();
  RecordStream(const RecordStream&) = delete;
  RecordStream& operator=(const RecordStream&) = delete;

  // Whole JSONL lines from one parser, in the order it wrote them (one caller thread).
  void write(std::string_view lines);
  // Waits until the timeline and the detector have seen every record; rethrows what
  // either of them threw. Call once, before using the builder or the detector.
  void finish();

  // Seconds each thread spent working (run.json): the caller's share of writing the
  // records files, the mapper's parsing + mapping, the detector's rule matching.
  double records_seconds() const { return records_s_; }
  double timeline_seconds() const { return timeline_s_; }
  double detect_seconds() const { return detect_s_; }

 private:
  struct Batch;
  // A closable FIFO of batches between two threads.
  class Queue {
   public:
    void push(Batch* b);
    Batch* pop();  // nullptr once closed and empty
    void close();

   private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Batch*> items_;
    bool closed_ = false;
  };

  void submit(std::string_view lines);
  void map_loop();
  void detect_loop();
  void fail(std::exception_ptr e);

  RecordFiles& files_;
  timeline::TimelineBuilder& timeline_;
  detect::Detector& detector_;
  Diagnostics& diag_;
  std::vector<std::unique_ptr<Batch>> pool_;
  Queue free_, to_map_, to_detect_;
  std::thread mapper_, detector_thread_;
  std::mutex fail_mu_;
  std::exception_ptr failure_;
  bool finished_ = false;
  double records_s_ = 0, timeline_s_ = 0, detect_s_ = 0;
};

}  // namespace kk::triage
