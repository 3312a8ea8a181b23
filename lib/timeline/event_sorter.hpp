// Stable, memory-bounded sort of rendered events by time.
//
// Events are kept in arena blocks with a small index; when arena + index would pass
// the memory budget, the batch is sorted and written to a run file in the temp dir.
// finish() k-way merges the runs (several passes when there are more than kMaxFanIn).
// Order is (timestamp, input order), so the result is the same whatever the budget: a
// batch's stable sort keeps equal times in input order, and the batches are filled one after
// the other, so between runs the batch number orders them.
// A batch is put in order by a stable radix sort of (timestamp, stored event) keys
// (sort_keys.hpp): a few linear passes instead of a comparison sort.
// A line that already lies in memory kept until finish() (a mapped input file, pinned
// in the budget) is stored as a reference: re-sorting a timeline in memory then takes
// a tenth of the fresh memory, which the kernel must fault in and zero (the most of
// build-timeline's time when its input was just written).
// With a budget of 16 MiB and more, once a first run is written, each full batch is
// written to its run by a thread of its own while the next half of the budget fills: the
// caller (triage's whole record stream behind it) no longer stops for the sort and the
// disk, 0.1-0.2 s per run on a VM. Those batches have half the budget, so there are about
// twice as many runs; the merge takes them in one pass all the same. A timeline that fits
// in the whole budget is still sorted in memory.
#pragma once

#include <algorithm>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/time.hpp"
#include "timeline/key_buffer.hpp"
#include "timeline/line_arena.hpp"
#include "timeline/sort_keys.hpp"

namespace kk::timeline {

struct SortedEvent {
  UtcMicros timestamp;
  std::uint64_t batch;     // the batch it was added in (runs' number; 0 in memory)
  std::string_view line;   // rendered JSONL line including '\n'
  std::uint32_t host_pos;  // Event::kNoHostSlot or where the host value goes
};

// How runs are written and read (run_file.hpp): kAuto is O_DIRECT where the file system
// takes it once the budget is 16 MiB or more (below, the blocks are too small for it), unless
// KK_DIRECT_IO=0 (core/direct_writer.hpp).
enum class RunIo { kAuto, kDirect, kPageCache };

// Who writes a full batch to its run: kAuto is a thread of its own (two batches of half the
// budget each) once the budget is 16 MiB or more, the caller below that.
enum class SpillThread { kAuto, kBackground, kCaller };

struct SorterOptions {
  std::uint64_t memory_budget = 512ull << 20;
  std::string temp_dir;  // parent for the run files ("" = $TMPDIR or /tmp)
  RunIo run_io = RunIo::kAuto;
  SpillThread spill = SpillThread::kAuto;
};

class EventSorter {
 public:
  explicit EventSorter(SorterOptions options);
  ~EventSorter();
  EventSorter(const EventSorter&) = delete;
  EventSorter& operator=(const EventSorter&) = delete;

  // The longest line an event may have (a stored length's top bit marks a reference).
  static constexpr std::size_t kMaxLine = (std::size_t{1} << 31) - 1;
  // A host_pos saying the line has no host slot (Event::kNoHostSlot).
  static constexpr std::uint32_t kNoHostPos = 0xFFFFFFFFu;

  // Throws std::runtime_error when a run file cannot be written (disk full; with the runs
  // written beside, at the next spill or at finish()), and std::length_error for a LINE
  // longer than kMaxLine (callers drop those first).
  void add(UtcMicros timestamp, std::string_view line, std::uint32_t host_pos);
  // The same for TEXT without its line end: '\n' is appended in place (no extra copy).
  void add_line(UtcMicros timestamp, std::string_view text, bool add_newline,
                std::uint32_t host_pos);
  // Takes BYTES of the budget for input held in memory until finish() (a mapped file:
  // its pages count in the process's memory); false, taking nothing, when they would pass
  // half the budget: the input is then read and its lines copied, as add() does.
  bool pin(std::uint64_t bytes);
  // Gives back BYTES that pin() took, once nothing added refers to them.
  void unpin(std::uint64_t bytes) { pinned_ -= std::min(bytes, pinned_); }
  // As add(), for a LINE ('\n' included) in pinned memory: referenced, not copied (without
  // a host slot and under 64 KiB, by its key alone).
  void add_pinned(UtcMicros timestamp, std::string_view line, std::uint32_t host_pos);
  // Calls SINK for every event in order; the views are valid during the call only.
  // The merged runs stay on disk until remove_runs() or the destructor.
  void finish(const std::function<void(const SortedEvent&)>& sink);
  // Removes the merged runs on a thread of its own; the destructor waits for it. Called
  // once the caller's outputs are closed: on a file system mounted with `discard`, a
  // removal holds the device, and writes still in flight would wait behind it (0.65 s for
  // 96 MiB of runs at the end of triage, 0.11 s on an idle device).
  void remove_runs();

  std::uint64_t count() const { return events_; }
  // Runs started (with the runs written beside, the last may still be being written).
  std::uint64_t runs_written() const { return runs_written_; }
  std::uint64_t bytes_spilled() const { return bytes_spilled_; }  // of the runs finished
  // Wall and CPU seconds of the thread writing the runs beside (0 when the caller writes).
  double spill_seconds() const { return spill_seconds_; }
  double spill_cpu_seconds() const { return spill_cpu_seconds_; }
  // The most memory the batches held at once (arena blocks, kept ones included, keys and
  // the sort's room) with a run's write block: within the budget. The merge's read
  // buffers come after them, in half of it.
  std::uint64_t peak_memory() const { return peak_held_; }
  static constexpr std::size_t kMaxFanIn = 64;

 private:
  // Events to sort: each stored in the arena (a StoredEvent header, then its line), the
  // keys in input order carrying where. Sorted, they lead the write straight to each line:
  // no index between them, and the next lines' addresses are known in advance.
  struct Batch {
    explicit Batch(std::uint64_t budget) : arena(budget) {}
    LineArena arena;
    KeyBuffer keys, scratch;             // scratch: the radix sort's room
    void recycle() {                     // keeps the blocks for the next batch: no new page faults
      arena.recycle();
      keys.clear();
    }
  };
  // Calls EMIT(event) for BATCH, numbered NUMBER, in (timestamp, input) order.
  template <typename Emit>
  static void for_each_sorted(Batch& batch, std::uint64_t number, Emit&& emit);
  std::size_t index_bytes(std::size_t capacity) const;
  std::uint64_t held(const Batch& b) const;  // memory B has, used or kept for reuse
  void note_held(const Batch& b);            // B about to be written: the peak so far
  std::uint64_t batch_room() const;          // bytes the batch being filled may hold
  // The block a run is written in (RunWriter's buffer) and the events compressed at once.
  std::size_t run_block() const {
    return std::clamp<std::size_t>(options_.memory_budget / 16, 4096, 1 << 20);
  }
  std::size_t run_frame() const {
    return std::clamp<std::size_t>(options_.memory_budget / 64, 4096, 256 << 10);
  }
  // What a run's writer holds (RunWriter::memory, asked once: has_room() needs it per event).
  std::size_t run_writer_memory() const { return run_writer_memory_; }
  bool has_room(std::size_t size, bool stored) const;
  // Counts one more event, after a spill when the batch has no room for its key and, when
  // STORED, its SIZE bytes in the arena.
  void admit(std::size_t size, bool stored);
  // Room for an event of SIZE stored bytes, after a spill when the budget is full.
  char* store(UtcMicros timestamp, std::size_t size);
  void spill();
  // Sorts BATCH into a new run file at PATH and recycles it; returns the bytes written.
  std::uint64_t write_run(Batch& batch, std::uint64_t number, const std::string& path) const;
  // Waits for the run being written beside; rethrows what writing it threw.
  void wait_for_spill();
  std::string new_run_path();
  void merge_runs(const std::vector<std::string>& inputs,
                  const std::function<void(const SortedEvent&)>& sink);
  void release_memory();  // frees everything

  SorterOptions options_;
  std::size_t run_writer_memory_;
  bool direct_io_;
  bool background_;               // runs written by spiller_, batches of half the budget
  std::unique_ptr<Batch> batch_;  // being filled
  std::unique_ptr<Batch> spare_;  // being written by spiller_, then filled next
  std::thread spiller_;
  std::exception_ptr spill_failure_;
  std::uint64_t spill_bytes_ = 0;  // what spiller_ wrote, counted once it is done
  std::uint64_t spare_held_ = 0;   // held(*spare_) when it was handed to spiller_
  std::uint64_t peak_held_ = 0;
  double spill_seconds_ = 0, spill_cpu_seconds_ = 0;  // spiller_'s, summed over the runs
  std::uint64_t events_ = 0;
  std::uint64_t pinned_ = 0;  // bytes of the budget pin() took
  std::string run_dir_;
  std::vector<std::string> runs_;
  std::uint64_t runs_written_ = 0, bytes_spilled_ = 0, run_counter_ = 0;
  std::jthread remover_;  // removes the merged runs while the caller goes on
};

// "512M", "2G", "64K", "1048576" → bytes; 0 on a bad spelling.
std::uint64_t parse_memory_size(std::string_view s);

}  // namespace kk::timeline
