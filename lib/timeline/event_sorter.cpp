#include "timeline/event_sorter.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <stdexcept>

#include "timeline/run_file.hpp"

namespace kk::timeline {

namespace {
[[noreturn]] void io_failure(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

bool before(UtcMicros t1, std::uint64_t s1, UtcMicros t2, std::uint64_t s2) {
  return t1 != t2 ? t1 < t2 : s1 < s2;
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

EventSorter::EventSorter(SorterOptions options) : options_(std::move(options)) {
  direct_io_ = options_.run_io == RunIo::kDirect ||
               (options_.run_io == RunIo::kAuto && options_.memory_budget >= (16u << 20));
  block_size_ = static_cast<std::size_t>(
      std::clamp<std::uint64_t>(options_.memory_budget / 16, 4096, 8u << 20));
}

EventSorter::~EventSorter() {
  for (const auto& r : runs_) std::remove(r.c_str());
  if (!run_dir_.empty()) ::rmdir(run_dir_.c_str());
}

char* EventSorter::allocate(std::size_t n) {
  if (n > block_size_ / 4) {                                 // a large line gets a block of its own
    large_.push_back(std::unique_ptr<char[]>(new char[n]));  // no zero-fill: written next
    arena_bytes_ += n;
    return large_.back().get();
  }
  if (blocks_.empty() || block_used_ + n > block_size_) {
    if (!spare_.empty()) {
      blocks_.push_back(std::move(spare_.back()));
      spare_.pop_back();
    } else {
      blocks_.push_back(std::unique_ptr<char[]>(new char[block_size_]));
    }
    arena_bytes_ += block_size_;
    block_used_ = 0;
  }
  char* p = blocks_.back().get() + block_used_;
  block_used_ += n;
  return p;
}

void EventSorter::add(UtcMicros timestamp, std::string_view line, std::uint32_t host_pos) {
  add_line(timestamp, line, false, host_pos);
}

void EventSorter::add_line(UtcMicros timestamp, std::string_view text, bool add_newline,
                           std::uint32_t host_pos) {
  std::size_t size = text.size() + (add_newline ? 1 : 0);
  // Memory this event may add: the line (or a whole new block), plus index growth.
  std::size_t next_index = index_.size() == index_.capacity()
                               ? index_bytes(std::max<std::size_t>(64, index_.capacity() * 2))
                               : index_bytes(index_.capacity());
  std::size_t next_arena = arena_bytes_ + std::max(size, block_size_);
  if (!index_.empty() && next_arena + next_index > options_.memory_budget) spill();
  char* p = allocate(size);
  std::memcpy(p, text.data(), text.size());
  if (add_newline) p[text.size()] = '\n';
  index_.push_back(Entry{timestamp, p, static_cast<std::uint32_t>(size), host_pos});
  ++next_sequence_;
}

// The index and, when the batch is sorted, the two key arrays of the radix sort.
std::size_t EventSorter::index_bytes(std::size_t capacity) const {
  return capacity * (sizeof(Entry) + 2 * sizeof(SortKey));
}

template <typename Emit>
void EventSorter::for_each_sorted(Emit&& emit) {
  const std::size_t n = index_.size();
  order_.resize(n);
  for (std::size_t i = 0; i < n; ++i) order_[i] = SortKey{order_key(index_[i].timestamp), i};
  sort_keys(order_, order_scratch_);
  // The lines are scattered over the arena in input order: fetch the next few ahead of use.
  constexpr std::size_t kAhead = 8;
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 2 * kAhead < n) __builtin_prefetch(&index_[order_[i + 2 * kAhead].pos]);
    if (i + kAhead < n) {
      const Entry& a = index_[order_[i + kAhead].pos];
      for (std::uint32_t o = 0; o < a.length && o < 256; o += 64) __builtin_prefetch(a.text + o);
    }
    emit(index_[order_[i].pos], batch_sequence_ + order_[i].pos);
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
  recycle_memory();
  spare_.clear();
  index_.shrink_to_fit();
  order_ = {};
  order_scratch_ = {};
}

// Reusing the blocks saves the kernel faulting in and zeroing the whole budget again
// after every spill (a tenth of build-timeline's time on inputs that spill).
void EventSorter::recycle_memory() {
  for (auto& b : blocks_) spare_.push_back(std::move(b));
  blocks_.clear();
  large_.clear();
  block_used_ = 0;
  arena_bytes_ = 0;
  index_.clear();
  batch_sequence_ = next_sequence_;
}

void EventSorter::spill() {
  std::string path = new_run_path();
  RunWriter w(path, std::clamp<std::size_t>(options_.memory_budget / 16, 4096, 1 << 20),
              direct_io_);
  runs_.push_back(path);
  for_each_sorted([&](const Entry& e, std::uint64_t sequence) {
    w.write(e.timestamp, sequence, e.host_pos, {e.text, e.length});
  });
  w.close();
  ++runs_written_;
  bytes_spilled_ += w.bytes();
  recycle_memory();
}

void EventSorter::merge_runs(const std::vector<std::string>& inputs,
                             const std::function<void(const SortedEvent&)>& sink) {
  // Two blocks per run (one read ahead), together half the budget at most.
  std::size_t buffer =
      std::clamp<std::size_t>(options_.memory_budget / (4 * (inputs.size() + 1)), 4096, 4u << 20);
  RunPrefetcher fetch;  // declared first: outlives the readers whose blocks it fills
  std::vector<std::unique_ptr<RunReader>> readers;
  for (const auto& p : inputs)
    readers.push_back(std::make_unique<RunReader>(p, buffer, direct_io_, fetch));
  auto later = [&](std::size_t a, std::size_t b) {
    const SortedEvent& x = readers[a]->current();
    const SortedEvent& y = readers[b]->current();
    return before(y.timestamp, y.sequence, x.timestamp, x.sequence);
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> heap(later);
  for (std::size_t i = 0; i < readers.size(); ++i)
    if (readers[i]->next()) heap.push(i);
  while (!heap.empty()) {
    std::size_t i = heap.top();
    heap.pop();
    sink(readers[i]->current());
    if (readers[i]->next()) heap.push(i);
  }
}

void EventSorter::finish(const std::function<void(const SortedEvent&)>& sink) {
  if (runs_.empty()) {
    for_each_sorted([&](const Entry& e, std::uint64_t sequence) {
      sink(SortedEvent{e.timestamp, sequence, {e.text, e.length}, e.host_pos});
    });
    release_memory();
    return;
  }
  if (!index_.empty()) spill();
  release_memory();  // the merge's read buffers take the budget now
  // Merge passes until one pass can take every run at once.
  while (runs_.size() > kMaxFanIn) {
    std::vector<std::string> group(runs_.begin(), runs_.begin() + kMaxFanIn);
    runs_.erase(runs_.begin(), runs_.begin() + kMaxFanIn);
    std::string path = new_run_path();
    {
      RunWriter w(path, std::clamp<std::size_t>(options_.memory_budget / 16, 4096, 1 << 20),
                  direct_io_);
      merge_runs(group, [&](const SortedEvent& e) {
        w.write(e.timestamp, e.sequence, e.host_pos, e.line);
      });
      w.close();
      bytes_spilled_ += w.bytes();
    }
    runs_.push_back(path);
    for (const auto& g : group) std::remove(g.c_str());
  }
  merge_runs(runs_, sink);
}

}  // namespace kk::timeline
