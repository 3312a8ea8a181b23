// The parse stage's output handed over in-process: every batch of record lines a
// parser produces is appended to records/<artifact>.jsonl (for the analyst, as the
// separate tools would write it) and parsed once, the batch as one JSON array, into a
// simdjson document that the timeline builder and then the detector read. No stage
// reads a file another wrote.
//
// Threads form a pipeline, so that the work of the consumers overlaps the parsers' and
// each other's, and mapping (the heaviest part) uses every core:
//   caller (the parsers' ordered output) -> records/ files, batches of lines, numbered
//   N mappers -> each parses its batch's lines once and maps them to timeline events
//   sorter    -> takes the batches back in order and adds their events to the timeline
//                (so it is the same for any N)
//   detector  -> runs the rules on the same parsed documents, in order
// Batches come from a fixed pool, so memory stays bounded whatever the input size.
#pragma once

#include <simdjson.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
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
  // MAPPERS: threads that parse and map (at least 1). BATCH_BYTES: about how much text
  // one batch holds (tests make it small to run many batches through the threads). Each
  // batch is four hand-offs between threads, each a wake-up when the next thread waits;
  // a larger batch's parsed array is colder when the detector reads it. 192 KiB (one
  // array per batch since session 20) took 0.8 CPU-s less than 96 KiB and 512 KiB more
  // (docs/notes/issue-21-pipeline.md).
  RecordStream(RecordFiles& files, timeline::TimelineBuilder& timeline, detect::Detector& detector,
               Diagnostics& diag, unsigned mappers, std::size_t batch_bytes = 192 << 10);
  ~RecordStream();
  RecordStream(const RecordStream&) = delete;
  RecordStream& operator=(const RecordStream&) = delete;

  // Also sees every parsed record, in order, on the detector thread (set before write()).
  using RecordObserver = std::function<void(simdjson::dom::element record)>;
  void set_observer(RecordObserver observer) { observer_ = std::move(observer); }

  // Called once on the detector thread before it matches its first record: triage's rules
  // are still loading while the first records are parsed and mapped (set before write()).
  void set_before_matching(std::function<void()> wait) { before_matching_ = std::move(wait); }

  // Whole JSONL lines from one parser, in the order it wrote them (one caller thread).
  void write(std::string_view lines);
  // Waits until the observer (and the detector) has seen every record written so far, and
  // keeps the stream open: a later input that depends on earlier records (network logs
  // joined on the PC's addresses from its registry) is written after it.
  void wait_seen();
  // Waits until the timeline and the detector have seen every record; rethrows what
  // either of them threw. Call once, before using the builder or the detector.
  void finish();

  // Busy time (run.json), wall and CPU seconds: the caller writing the records files, the
  // mappers parsing and mapping (summed over threads), the sorter thread adding events to
  // the timeline (spills included), the detector thread running the rules.
  struct Busy {
    double seconds = 0, cpu_seconds = 0;
    Busy& operator+=(const Busy& b) {
      seconds += b.seconds;
      cpu_seconds += b.cpu_seconds;
      return *this;
    }
  };
  Busy records_busy() const { return records_busy_; }
  Busy timeline_busy() const { return map_busy_; }
  Busy sort_busy() const { return sort_busy_; }
  Busy detect_busy() const { return detect_busy_; }
  std::uint64_t batches() const { return next_seq_; }  // handed to the mappers so far
  // Batches whose lines were parsed one by one (a line was not one JSON value).
  std::uint64_t batches_parsed_by_line() const { return by_line_.load(); }

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

  // Mapped batches, handed out in the order they were submitted.
  class Reorder {
   public:
    void push(Batch* b);
    Batch* pop_next();  // nullptr once closed and the next one will never come
    void close();

   private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::map<std::uint64_t, Batch*> ready_;
    std::uint64_t next_ = 0;
    bool closed_ = false;
  };

  void submit_open();  // the open batch to the mappers
  void parse_lines(simdjson::dom::parser& parser, Batch& b);
  void map_loop(std::size_t id);
  void sort_loop();
  void detect_loop();
  void fail(std::exception_ptr e);

  RecordFiles& files_;
  timeline::TimelineBuilder& timeline_;
  detect::Detector& detector_;
  Diagnostics& diag_;
  std::vector<std::unique_ptr<Batch>> pool_;
  Queue free_, to_map_, to_detect_;
  Reorder mapped_;
  std::vector<std::thread> mappers_;
  std::vector<Busy> mapper_busy_;     // per mapper
  std::atomic<unsigned> running_{0};  // mappers still running; the last closes mapped_
  std::atomic<std::uint64_t> by_line_{0};
  std::thread sorter_thread_, detector_thread_;
  std::uint64_t next_seq_ = 0;
  Batch* open_ = nullptr;  // being filled by write()
  std::size_t batch_bytes_;
  RecordObserver observer_;
  std::function<void()> before_matching_;
  std::mutex seen_mu_;
  std::condition_variable seen_cv_;
  std::uint64_t seen_batches_ = 0;  // batches the detector thread is done with
  std::mutex fail_mu_;
  std::exception_ptr failure_;
  bool finished_ = false;
  Busy records_busy_, map_busy_, sort_busy_, detect_busy_;
};

}  // namespace kk::triage
