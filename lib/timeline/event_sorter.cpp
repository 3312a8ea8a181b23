#include "timeline/event_sorter.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "core/cpu_time.hpp"
#include "core/direct_writer.hpp"
#include "core/thread_name.hpp"
#include "timeline/loser_tree.hpp"
#include "timeline/run_file.hpp"
#include "timeline/sort_keys.hpp"

namespace kk::timeline {

namespace {
[[noreturn]] void io_failure(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

// What the arena holds before each line (unaligned: copied in and out). A pinned line is
// not copied: LENGTH has kPinned set and the line's address follows instead (most pinned
// lines are not here at all: kDirect below). No input sequence: the stable sort keeps a
// batch's equal times in input order, and its batch number orders them between runs.
struct StoredEvent {
  std::uint32_t length;
  std::uint32_t host_pos;
};
constexpr std::uint32_t kPinned = 1u << 31;
static_assert(EventSorter::kMaxLine < kPinned, "a copied line's length never has kPinned set");

// A key's value: where the event is stored in the arena, or, with kDirect set, a pinned
// line itself (its address in the low 47 bits, its length in the 16 above). A pinned event
// without a host slot then takes no room in the arena, and writing the batch in order reads
// one place at random per event instead of two (a third of build-timeline's time re-sorting
// 10 M events in memory went to those reads).
constexpr std::uint64_t kDirect = std::uint64_t{1} << 63;
constexpr unsigned kAddressBits = 47;  // user-space addresses on x86-64 and AArch64
constexpr std::uint64_t kMaxDirectLine = (std::uint64_t{1} << 16) - 1;
std::uint64_t direct_value(std::string_view line) {
  const auto address = reinterpret_cast<std::uintptr_t>(line.data());
  if (address >> kAddressBits || line.size() > kMaxDirectLine) return 0;
  return kDirect | std::uint64_t{line.size()} << kAddressBits | address;
}
std::string_view direct_line(std::uint64_t value) {
  return {reinterpret_cast<const char*>(value & ((std::uint64_t{1} << kAddressBits) - 1)),
          static_cast<std::size_t>((value & ~kDirect) >> kAddressBits)};
}
}  // namespace

std::uint64_t parse_memory_size(std::string_view s) {
  if (s.empty()) return 0;
  std::uint64_t n = 0;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    n = n * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (n > (1ull << 50)) return 0;
  }
  if (i == 0) return 0;
  std::string_view unit = s.substr(i);
  if (unit.empty() || unit == "B") return n;
  char u = static_cast<char>(std::toupper(static_cast<unsigned char>(unit[0])));
  if (unit.size() > 1 && !(unit.size() == 2 && (unit[1] == 'B' || unit[1] == 'b')) &&
      !(unit.size() == 3 && unit.substr(1) == "iB"))
    return 0;
  switch (u) {
    case 'K':
      return n << 10;
    case 'M':
      return n << 20;
    case 'G':
      return n << 30;
    default:
      return 0;
  }
}

EventSorter::EventSorter(SorterOptions options)
    : options_(std::move(options)),
      run_writer_memory_(RunWriter::memory(run_block(), run_frame())) {
  direct_io_ = options_.run_io == RunIo::kDirect ||
               (options_.run_io == RunIo::kAuto && options_.memory_budget >= (16u << 20) &&
                direct_io_allowed());
  background_ = options_.spill == SpillThread::kBackground ||
                (options_.spill == SpillThread::kAuto && options_.memory_budget >= (16u << 20));
  batch_ =
      std::make_unique<Batch>(background_ ? options_.memory_budget / 2 : options_.memory_budget);
}

EventSorter::~EventSorter() {
  if (spiller_.joinable()) spiller_.join();
  for (const auto& r : runs_) std::remove(r.c_str());
  if (!run_dir_.empty()) ::rmdir(run_dir_.c_str());
}

void EventSorter::add(UtcMicros timestamp, std::string_view line, std::uint32_t host_pos) {
  add_line(timestamp, line, false, host_pos);
}

// Memory an event of SIZE stored bytes may add to the batch being filled: SIZE (or a whole
// new block) when it is STORED in the arena, plus index growth.
bool EventSorter::has_room(std::size_t size, bool stored) const {
  const KeyBuffer& keys = batch_->keys;
  // The radix sort swaps keys and scratch: either may be the larger.
  const std::size_t next_keys =
      keys.size() == keys.capacity() ? keys.next_capacity() : keys.capacity();
  const std::size_t next_index = index_bytes(std::max(next_keys, batch_->scratch.capacity()));
  // Blocks kept from an earlier batch count although this one has not reached them yet.
  const std::size_t next_arena = std::max(
      batch_->arena.bytes() + (stored ? batch_->arena.growth(size) : 0), batch_->arena.held());
  return next_arena + next_index <= batch_room();
}

void EventSorter::admit(std::size_t size, bool stored) {
  // After a spill batch_ is another batch: the full one may be being written beside.
  if (!batch_->keys.empty() && !has_room(size, stored)) spill();
  ++events_;
}

char* EventSorter::store(UtcMicros timestamp, std::size_t size) {
  admit(size, true);
  char* p = batch_->arena.allocate(size, timestamp);
  batch_->keys.push_back(SortKey{order_key(timestamp), reinterpret_cast<std::uintptr_t>(p)});
  return p;
}

void EventSorter::add_line(UtcMicros timestamp, std::string_view text, bool add_newline,
                           std::uint32_t host_pos) {
  std::size_t size = text.size() + (add_newline ? 1 : 0);
  if (size > kMaxLine) throw std::length_error("a timeline event line over 2 GiB");
  char* p = store(timestamp, sizeof(StoredEvent) + size);
  StoredEvent stored{static_cast<std::uint32_t>(size), host_pos};
  std::memcpy(p, &stored, sizeof stored);
  std::memcpy(p + sizeof stored, text.data(), text.size());
  if (add_newline) p[sizeof stored + text.size()] = '\n';
}

bool EventSorter::pin(std::uint64_t bytes) {
  if (bytes > options_.memory_budget / 2 - pinned_) return false;  // pinned_ <= half of it
  pinned_ += bytes;
  return true;
}

void EventSorter::add_pinned(UtcMicros timestamp, std::string_view line, std::uint32_t host_pos) {
  if (line.size() > kMaxLine) throw std::length_error("a timeline event line over 2 GiB");
  if (const std::uint64_t v = host_pos == kNoHostPos ? direct_value(line) : 0) {
    admit(0, false);
    batch_->keys.push_back(SortKey{order_key(timestamp), v});
    return;
  }
  const char* text = line.data();
  char* p = store(timestamp, sizeof(StoredEvent) + sizeof text);
  StoredEvent stored{static_cast<std::uint32_t>(line.size()) | kPinned, host_pos};
  std::memcpy(p, &stored, sizeof stored);
  std::memcpy(p + sizeof stored, &text, sizeof text);
}

// The keys and, when the batch is sorted, the radix sort's room.
std::size_t EventSorter::index_bytes(std::size_t capacity) const {
  return capacity * 2 * sizeof(SortKey);
}

std::uint64_t EventSorter::held(const Batch& b) const {
  return b.arena.held() + index_bytes(std::max(b.keys.capacity(), b.scratch.capacity()));
}

// A batch holds the most just before it is written: the peak is taken there.
void EventSorter::note_held(const Batch& b) {
  peak_held_ = std::max(peak_held_, held(b) + (spare_ ? spare_held_ : 0) + run_writer_memory());
}

namespace {
// Where a stored event's line is.
std::string_view line_of(const char* p, const StoredEvent& stored) {
  const char* text = p + sizeof stored;
  if ((stored.length & kPinned) == 0) return {text, stored.length};
  std::memcpy(&text, p + sizeof stored, sizeof text);
  return {text, stored.length & ~kPinned};
}
}  // namespace

template <typename Emit>
void EventSorter::for_each_sorted(Batch& batch, std::uint64_t number, Emit&& emit) {
  KeyBuffer& keys = batch.keys;
  sort_keys(keys, batch.scratch);
  const std::size_t n = keys.size();
  constexpr std::size_t kAhead = 8;  // events whose lines are fetched ahead of use
  constexpr std::size_t kFetch = sizeof(StoredEvent) + 256;
  auto place = [](std::uint64_t v) {  // where the event's first bytes are
    return (v & kDirect) ? direct_line(v).data() : reinterpret_cast<const char*>(v);
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 2 * kAhead < n)  // the stored event (a pinned line's address) or the line
      __builtin_prefetch(place(keys[i + 2 * kAhead].value));
    if (i + kAhead < n) {
      const std::uint64_t v = keys[i + kAhead].value;
      const char* a = place(v);
      if (!(v & kDirect)) {
        StoredEvent ahead;
        std::memcpy(&ahead, a, sizeof ahead);
        if (ahead.length & kPinned) a = line_of(a, ahead).data();
      }
      for (std::size_t o = 0; o < kFetch; o += 64) __builtin_prefetch(a + o);
    }
    const std::uint64_t v = keys[i].value;
    if (v & kDirect) {
      emit(SortedEvent{key_time(keys[i].key), number, direct_line(v), kNoHostPos});
      continue;
    }
    const char* p = reinterpret_cast<const char*>(v);
    StoredEvent stored;
    std::memcpy(&stored, p, sizeof stored);
    emit(SortedEvent{key_time(keys[i].key), number, line_of(p, stored), stored.host_pos});
  }
}

std::string EventSorter::new_run_path() {
  if (run_dir_.empty()) {
    std::string parent = options_.temp_dir;
    if (parent.empty()) {
      const char* t = std::getenv("TMPDIR");
      parent = t && *t ? t : "/tmp";
    }
    std::string tmpl = parent + "/kakekomi-timeline-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) io_failure("cannot create temp dir under", parent);
    run_dir_ = buf.data();
  }
  return run_dir_ + "/run-" + std::to_string(run_counter_++) + ".bin";
}

void EventSorter::release_memory() {
  batch_->arena.release();
  batch_->keys.release();
  batch_->scratch.release();
  spare_.reset();
}

// Recycling the blocks saves the kernel faulting in and zeroing the whole budget again
// after every spill (a tenth of build-timeline's time on inputs that spill).
std::uint64_t EventSorter::write_run(Batch& batch, std::uint64_t number,
                                     const std::string& path) const {
  RunWriter w(path, run_block(), run_frame(), direct_io_);
  for_each_sorted(batch, number,
                  [&](const SortedEvent& e) { w.write(e.timestamp, e.batch, e.host_pos, e.line); });
  w.close();
  batch.recycle();
  return w.bytes();
}

void EventSorter::wait_for_spill() {
  if (!spiller_.joinable()) return;
  spiller_.join();
  bytes_spilled_ += std::exchange(spill_bytes_, 0);
  if (spill_failure_) std::rethrow_exception(std::exchange(spill_failure_, nullptr));
}

// The batch's share: what pin() left of the budget (pinned_ is half of it at most), or half
// of that once the runs are written beside (a second batch being written meanwhile).
std::uint64_t EventSorter::batch_room() const {
  std::uint64_t room = options_.memory_budget - pinned_;
  // A run's writer holds its buffers beside the batches.
  if (room > 2 * run_writer_memory()) room -= run_writer_memory();
  return background_ && !runs_.empty() ? room / 2 : room;
}

void EventSorter::spill() {
  std::string path = new_run_path();
  const bool first = runs_.empty();
  runs_.push_back(path);
  const std::uint64_t number = runs_written_++;  // batches are filled one after the other
  // The first batch had the whole budget (a timeline that fits is sorted in memory, as
  // without a second batch): written here, then its blocks trimmed to the half it has now.
  note_held(*batch_);
  if (!background_ || first) {
    // The lines' share of what the batch held: the blocks kept for the next ones.
    const double lines = static_cast<double>(batch_->arena.bytes()),
                 share = lines / (lines + static_cast<double>(index_bytes(batch_->keys.size())));
    bytes_spilled_ += write_run(*batch_, number, path);
    if (background_) {  // its keys were sized for the whole budget: they grow again
      batch_->keys.release();
      batch_->scratch.release();
      // The blocks past its half go to the second batch, filled after the next spill: the
      // kernel does not fault in and zero them again (0.1 CPU-s in triage).
      spare_ = std::make_unique<Batch>(options_.memory_budget / 2);
      batch_->arena.trim(static_cast<std::size_t>(static_cast<double>(batch_room()) * share),
                         &spare_->arena);
      spare_held_ = held(*spare_);
    }
    return;
  }
  // The previous run done, its batch (recycled) is filled next while this one is written.
  wait_for_spill();
  if (!spare_) spare_ = std::make_unique<Batch>(options_.memory_budget / 2);
  std::swap(batch_, spare_);
  spare_held_ = held(*spare_);  // fixed while it is written: the sort's room is counted
  spiller_ = std::thread([this, number, path = std::move(path)] {
    name_this_thread("kk-spill");
    const auto start = std::chrono::steady_clock::now();
    try {
      spill_bytes_ = write_run(*spare_, number, path);
    } catch (...) {
      spill_failure_ = std::current_exception();
    }
    spill_seconds_ +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    spill_cpu_seconds_ += thread_cpu_seconds();  // a new thread per run: all of it is the run's
  });
}

void EventSorter::merge_runs(const std::vector<std::string>& inputs,
                             const std::function<void(const SortedEvent&)>& sink) {
  // Per run two blocks (one read ahead), a frame and its compressed bytes when they span
  // two blocks: together half the budget at most.
  const std::size_t per_run = options_.memory_budget / (2 * (inputs.size() + 1));
  const std::size_t frames = 2 * run_frame() + FrameDecoder::memory() / (inputs.size() + 1);
  const std::size_t buffer =
      std::clamp<std::size_t>(per_run > frames ? (per_run - frames) / 2 : 0, 4096, 4u << 20);
  RunPrefetcher fetch;  // declared first: outlives the readers whose blocks it fills
  FrameDecoder decoder;
  std::vector<std::unique_ptr<RunReader>> readers;
  for (const auto& p : inputs)
    readers.push_back(std::make_unique<RunReader>(p, buffer, direct_io_, fetch, decoder));
  auto key_of = [&](const RunReader& r) {
    return LoserTree::Key{order_key(r.current().timestamp), r.current().batch};
  };
  if (readers.empty()) return;
  std::vector<LoserTree::Key> first;
  for (const auto& r : readers) first.push_back(r->next() ? key_of(*r) : LoserTree::kDone);
  LoserTree tree(std::move(first));
  while (!tree.done()) {
    RunReader& r = *readers[tree.winner()];
    sink(r.current());
    tree.replace_winner(r.next() ? key_of(r) : LoserTree::kDone);
  }
}

void EventSorter::finish(const std::function<void(const SortedEvent&)>& sink) {
  note_held(*batch_);
  if (runs_.empty()) {
    for_each_sorted(*batch_, 0, sink);
    release_memory();
    return;
  }
  if (!batch_->keys.empty()) spill();
  wait_for_spill();
  release_memory();  // the merge's read buffers take the budget now
  // Merge passes until one pass can take every run at once.
  while (runs_.size() > kMaxFanIn) {
    std::vector<std::string> group(runs_.begin(), runs_.begin() + kMaxFanIn);
    runs_.erase(runs_.begin(), runs_.begin() + kMaxFanIn);
    std::string path = new_run_path();
    {
      RunWriter w(path, run_block(), run_frame(), direct_io_);
      merge_runs(group,
                 [&](const SortedEvent& e) { w.write(e.timestamp, e.batch, e.host_pos, e.line); });
      w.close();
      bytes_spilled_ += w.bytes();
    }
    runs_.push_back(path);
    for (const auto& g : group) std::remove(g.c_str());
  }
  merge_runs(runs_, sink);
}

// Removing the runs is mostly waiting for the file system: a thread does it while the
// caller goes on, and the destructor waits for it.
void EventSorter::remove_runs() {
  if (runs_.empty() && run_dir_.empty()) return;
  remover_ = std::jthread([runs = std::exchange(runs_, {}), dir = std::exchange(run_dir_, {})] {
    name_this_thread("kk-cleanup");
    for (const auto& r : runs) std::remove(r.c_str());
    if (!dir.empty()) ::rmdir(dir.c_str());
  });
}

}  // namespace kk::timeline
