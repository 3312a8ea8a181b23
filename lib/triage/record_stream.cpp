#include "triage/record_stream.hpp"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/cpu_time.hpp"
#include "core/jsonl_batch.hpp"
#include "core/thread_name.hpp"

namespace kk::triage {

namespace {
using Clock = std::chrono::steady_clock;
// Measures one piece of work on the calling thread into a Busy total: wall time always,
// CPU time when COUNT_CPU. A thread's CPU clock is a system call (not the vDSO), two per
// batch per thread; the mapper, sorter and detector threads do nothing else, so their CPU
// is read once, at their end (ThreadCpu), and only the caller's is read per batch.
class BusyTimer {
 public:
  explicit BusyTimer(bool count_cpu = false)
      : wall_(Clock::now()), cpu_(count_cpu ? thread_cpu_seconds() : -1) {}
  void add_to(RecordStream::Busy& b) const {
    b.seconds += std::chrono::duration<double>(Clock::now() - wall_).count();
    if (cpu_ >= 0) b.cpu_seconds += thread_cpu_seconds() - cpu_;
  }

 private:
  Clock::time_point wall_;
  double cpu_;
};
// A consumer thread's CPU time, from its start to the end of its scope, into a Busy total.
class ThreadCpu {
 public:
  explicit ThreadCpu(RecordStream::Busy& b) : b_(b), cpu_(thread_cpu_seconds()) {}
  ~ThreadCpu() { b_.cpu_seconds += thread_cpu_seconds() - cpu_; }
  ThreadCpu(const ThreadCpu&) = delete;
  ThreadCpu& operator=(const ThreadCpu&) = delete;

 private:
  RecordStream::Busy& b_;
  double cpu_;
};
constexpr std::size_t kBatchesPerMapper = 2;  // in flight between the threads (+2)
constexpr std::size_t kMaxBatches = 24;
constexpr std::size_t kKeepDocument = 1 << 20;       // larger parsed lines are not kept
constexpr std::size_t kKeepBatchDocument = 4 << 20;  // nor larger parsed batches
}  // namespace

struct RecordStream::Batch {
  // The lines, padded for simdjson. Byte 0 and the bytes between lines are framing: once
  // the lines are in the records files, they make the text one JSON array (see frame()).
  std::string text;
  struct Line {
    std::string_view json;
    std::string_view file;  // records/<artifact>.jsonl
    std::uint64_t number = 0;
  };
  std::vector<Line> lines;
  // The batch parsed as one array: its records lie together in one tape, in line order.
  simdjson::dom::document doc;
  std::vector<simdjson::dom::element> records;  // records[i] holds lines[i] when parsed[i]
  std::vector<char> parsed;
  std::vector<simdjson::dom::document> docs;  // one per line, when the array did not parse
  std::uint64_t seq = 0;                      // submission order
  timeline::MappedEvents events;

  // Turns TEXT into "[line,line,...]" (the bytes between lines become spaces) without
  // moving a line. One document per line spread each record over two allocations sized
  // for the longest line that document ever held: the detector, reading what a mapper had
  // parsed, missed the cache and the TLB on every record (docs/notes/issue-21-pipeline.md).
  // A line that is not one JSON value makes the array invalid or its length differ from
  // the lines', and the batch's lines are then parsed one by one, each error told.
  void frame() {
    text[0] = '[';
    const char* const base = text.data();
    std::size_t at = 1;  // the first byte not yet framed
    for (std::size_t i = 0; i <= lines.size(); ++i) {
      const std::size_t next =
          i < lines.size() ? static_cast<std::size_t>(lines[i].json.data() - base) : text.size();
      std::fill(text.begin() + static_cast<std::ptrdiff_t>(at),
                text.begin() + static_cast<std::ptrdiff_t>(next), ' ');
      if (i > 0 && i < lines.size()) text[at] = ',';  // a line ends in "\n" before the next
      if (i < lines.size()) at = next + lines[i].json.size();
    }
    if (at < text.size())
      text[at] = ']';
    else
      text.push_back(']');
  }
};

void RecordStream::Queue::push(Batch* b) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    items_.push_back(b);
  }
  cv_.notify_one();
}

RecordStream::Batch* RecordStream::Queue::pop() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return closed_ || !items_.empty(); });
  if (items_.empty()) return nullptr;
  Batch* b = items_.front();
  items_.pop_front();
  return b;
}

void RecordStream::Queue::close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

void RecordStream::Reorder::push(Batch* b) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ready_.emplace(b->seq, b);
  }
  cv_.notify_all();
}

RecordStream::Batch* RecordStream::Reorder::pop_next() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return closed_ || ready_.count(next_) != 0; });
  auto it = ready_.find(next_);
  if (it == ready_.end()) return nullptr;
  Batch* b = it->second;
  ready_.erase(it);
  ++next_;
  return b;
}

void RecordStream::Reorder::close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

RecordStream::RecordStream(RecordFiles& files, timeline::TimelineBuilder& timeline,
                           detect::Detector& detector, Diagnostics& diag, unsigned mappers,
                           std::size_t batch_bytes)
    : files_(files),
      timeline_(timeline),
      detector_(detector),
      diag_(diag),
      batch_bytes_(std::max<std::size_t>(1, batch_bytes)) {
  mappers = std::max(1u, mappers);
  // Each batch in flight holds its text, about ten times that in parsed documents, and
  // its rendered events: the pool is capped so that many cores do not mean much memory.
  const std::size_t batches = std::min<std::size_t>(kBatchesPerMapper * mappers + 2, kMaxBatches);
  for (std::size_t i = 0; i < batches; ++i) {
    pool_.push_back(std::make_unique<Batch>());
    free_.push(pool_.back().get());
  }
  mapper_busy_.assign(mappers, Busy{});
  running_ = mappers;
  for (unsigned i = 0; i < mappers; ++i) mappers_.emplace_back([this, i] { map_loop(i); });
  sorter_thread_ = std::thread([this] { sort_loop(); });
  detector_thread_ = std::thread([this] { detect_loop(); });
}

RecordStream::~RecordStream() {
  try {
    finish();
  } catch (...) {  // already reported by whoever called finish(), or the run is failing anyway
  }
}

void RecordStream::fail(std::exception_ptr e) {
  std::lock_guard<std::mutex> lock(fail_mu_);
  if (!failure_) failure_ = e;
}

void RecordStream::write(std::string_view lines) {
  // Parsers hand over a few dozen KB at a time (an EVTX chunk's records): each write is
  // gathered into the open batch, which goes to the mappers once it holds BATCH_BYTES.
  // One hand-over per chunk cost four queue hand-offs and their wake-ups per 48 KB. A
  // single write larger than a batch (a whole hive's output) is cut at line ends.
  while (!lines.empty()) {
    if (!open_) {
      open_ = free_.pop();
      if (!open_) return;
      open_->text.assign(1, ' ');  // room for the array's '[' (Batch::frame)
    }
    std::size_t cut = lines.size();
    const std::size_t room = batch_bytes_ - std::min(batch_bytes_, open_->text.size());
    if (cut > room) {
      cut = lines.find('\n', room);
      cut = cut == std::string_view::npos ? lines.size() : cut + 1;
    }
    open_->text.append(lines.substr(0, cut));
    lines.remove_prefix(cut);
    if (open_->text.size() >= batch_bytes_) submit_open();
  }
}

void RecordStream::submit_open() {
  Batch* b = std::exchange(open_, nullptr);
  if (!b) return;
  BusyTimer t(true);  // the caller also parses: its CPU is read around each batch
  // In place for simdjson: the padding after the array's ']', and the lines' views taken
  // only now that the text will not move.
  b->text.reserve(b->text.size() + 1 + simdjson::SIMDJSON_PADDING);
  b->lines.clear();
  for_each_jsonl_line(std::string_view(b->text).substr(1), [&](std::string_view line) {
    RecordFiles::Written w = files_.write_line(line);
    b->lines.push_back({line, w.path, w.line});
  });
  b->frame();  // the lines are in the records files: the bytes between them can change
  t.add_to(records_busy_);
  b->seq = next_seq_++;
  to_map_.push(b);
}

// The lines of B one by one (a line that is not one JSON value spoilt the array): each
// bad line is reported, the others parsed into documents of their own.
void RecordStream::parse_lines(simdjson::dom::parser& parser, Batch& b) {
  ++by_line_;
  if (b.docs.size() < b.lines.size()) b.docs.resize(b.lines.size());
  for (std::size_t i = 0; i < b.lines.size(); ++i) {
    const Batch::Line& l = b.lines[i];
    // In place: the text holds SIMDJSON_PADDING bytes after its last line.
    if (parser.parse_into_document(b.docs[i], l.json.data(), l.json.size(), false)
            .get(b.records[i]) != simdjson::SUCCESS) {
      // Parsers write valid JSON; a bad line is a defect, reported, not hidden.
      diag_.warning(
          l.file, std::nullopt,
          "line " + std::to_string(l.number) + ": not valid JSON, not used by timeline or detect");
      continue;
    }
    b.parsed[i] = 1;
  }
}

void RecordStream::map_loop(std::size_t id) {
  name_this_thread("kk-map");
  ThreadCpu cpu(mapper_busy_[id]);
  simdjson::dom::parser parser;
  std::unique_ptr<timeline::RecordMapper> mapper = timeline_.make_mapper();
  while (Batch* b = to_map_.pop()) {
    BusyTimer t;
    b->events.clear();
    try {
      b->records.assign(b->lines.size(), simdjson::dom::element());
      b->parsed.assign(b->lines.size(), 0);
      // simdjson counts an array's elements up to 0xFFFFFF: a batch of more lines (none of
      // triage's: ~48 k at most) is parsed line by line rather than trusted to that count.
      simdjson::dom::array all;
      if (b->lines.size() < 0xFFFFFF &&
          parser.parse_into_document(b->doc, b->text.data(), b->text.size(), false).get(all) ==
              simdjson::SUCCESS &&
          all.size() == b->lines.size()) {
        std::size_t i = 0;
        for (simdjson::dom::element rec : all) {
          b->records[i] = rec;
          b->parsed[i++] = 1;
        }
      } else {
        parse_lines(parser, *b);
      }
      for (std::size_t i = 0; i < b->lines.size(); ++i) {
        const Batch::Line& l = b->lines[i];
        if (b->parsed[i]) mapper->map(b->records[i], l.file, l.number, l.json, b->events);
      }
    } catch (...) {
      fail(std::current_exception());
      b->parsed.assign(b->lines.size(), 0);
      b->events.clear();
    }
    t.add_to(mapper_busy_[id]);
    mapped_.push(b);
  }
  if (--running_ == 0) mapped_.close();
}

void RecordStream::sort_loop() {
  name_this_thread("kk-sort");
  ThreadCpu cpu(sort_busy_);
  while (Batch* b = mapped_.pop_next()) {
    BusyTimer t;
    try {
      timeline_.add_mapped(b->events);
    } catch (...) {
      fail(std::current_exception());
    }
    t.add_to(sort_busy_);
    to_detect_.push(b);
  }
  to_detect_.close();
}

void RecordStream::detect_loop() {
  name_this_thread("kk-detect");
  ThreadCpu cpu(detect_busy_);
  while (Batch* b = to_detect_.pop()) {
    try {
      if (before_matching_) std::exchange(before_matching_, nullptr)();  // not busy: waiting
    } catch (...) {
      fail(std::current_exception());
    }
    BusyTimer t;
    try {
      for (std::size_t i = 0; i < b->lines.size(); ++i)
        if (b->parsed[i]) {
          detector_.add(b->records[i]);
          if (observer_) observer_(b->records[i]);
        }
    } catch (...) {
      fail(std::current_exception());
    }
    for (auto& d : b->docs)
      if (d.capacity() > kKeepDocument) d = simdjson::dom::document();
    if (b->doc.capacity() > kKeepBatchDocument) b->doc = simdjson::dom::document();
    t.add_to(detect_busy_);
    free_.push(b);
    {
      std::lock_guard<std::mutex> lock(seen_mu_);
      ++seen_batches_;
    }
    seen_cv_.notify_all();
  }
}

void RecordStream::wait_seen() {
  if (finished_) return;
  submit_open();
  const std::uint64_t submitted = next_seq_;
  std::unique_lock<std::mutex> lock(seen_mu_);
  seen_cv_.wait(lock, [&] { return seen_batches_ >= submitted; });
}

void RecordStream::finish() {
  if (finished_) return;
  finished_ = true;
  submit_open();
  to_map_.close();
  for (auto& m : mappers_) m.join();
  sorter_thread_.join();
  detector_thread_.join();
  for (const Busy& x : mapper_busy_) map_busy_ += x;
  std::lock_guard<std::mutex> lock(fail_mu_);
  if (failure_) std::rethrow_exception(failure_);
}

}  // namespace kk::triage
