// Where the timeline sorter keeps a batch's lines: arena blocks, with the lines of events
// close in time placed close together.
//
// The sorter writes a batch in time order, reading each line where it was stored. Stored
// in input order, consecutive lines of the sorted write lie anywhere in hundreds of MiB:
// every line is a cache and TLB miss, a quarter of build-timeline's user time on events
// in random time order. So, once the batch's first kSample events have shown how its
// times spread, each later line goes into the 64 KiB chunk of its time bucket (up to one
// bucket per 4 MiB of budget, kMaxBuckets at most; bounds at the sample's quantiles): the
// sorted write then reads one bucket's few MiB at a time. More buckets would make the
// writes here the scattered ones. Where a line goes changes no output, so the bucket is
// found by a table over a fixed grid of times rather than a search; a sample unlike the
// rest (one time only, or later times elsewhere) only puts most lines in a few buckets,
// as before. Lines over a quarter of a chunk, and the sample's, go to the blocks in input
// order; a line over a quarter of a block gets an allocation of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/huge_block.hpp"
#include "core/time.hpp"

namespace kk::timeline {

class LineArena {
 public:
  static constexpr std::size_t kChunk = 64 << 10;
  static constexpr std::size_t kSample = 16384;
  static constexpr std::size_t kBucketBytes = 4 << 20;
  static constexpr std::size_t kMaxBuckets = 128;
  static constexpr unsigned kCellBits = 12;        // the grid: 4096 cells
  static constexpr std::size_t kWriteAhead = 320;  // bytes of a bucket's next line prefetched

  // BUDGET (bytes) sets the block size and the number of buckets.
  explicit LineArena(std::uint64_t budget);

  // Room for N bytes of a line of an event at time T (not zeroed; never moves).
  char* allocate(std::size_t n, UtcMicros t);
  // Bytes taken from the system for this batch's lines (whole blocks and the large lines).
  std::size_t bytes() const { return bytes_; }
  // Bytes held: bytes() and the blocks kept from earlier batches for reuse (the memory the
  // arena really has, which a budget must count).
  std::size_t held() const { return bytes_ + spare_.size() * block_size_; }
  // The most bytes the next allocate(N) can add to bytes().
  std::size_t growth(std::size_t n) const { return n > block_size_ ? n : block_size_; }
  // Forgets every line; keeps the blocks for the next batch (no new page faults).
  void recycle();
  // After recycle(): keeps BYTES of the kept blocks (a batch that may hold less). The next
  // BYTES of them go to TO's kept blocks when given (an arena of the same budget: the same
  // block size), already faulted in; the rest are freed.
  void trim(std::size_t bytes, LineArena* to = nullptr);
  // Forgets every line and frees every block.
  void release();
  // Buckets in use (0 until the sample is taken) and the bucket of time T: for tests.
  std::size_t buckets() const { return chunks_.size(); }
  std::size_t bucket_of(UtcMicros t) const;

 private:
  struct Chunk {
    char* next = nullptr;
    std::size_t room = 0;
  };
  char* from_blocks(std::size_t n);  // in input order
  void choose_buckets();

  std::size_t block_size_;
  std::size_t max_buckets_;
  std::vector<HugeBlock> blocks_;               // filled in order; the last has room
  std::vector<std::unique_ptr<char[]>> large_;  // one per line too big for a block
  std::vector<HugeBlock> spare_;                // blocks kept across recycle(), reused
  std::size_t block_used_ = 0, bytes_ = 0;
  std::vector<UtcMicros> sample_;    // the batch's first times, until the buckets are chosen
  std::uint64_t grid_from_ = 0;      // order_key of the grid's first time
  unsigned grid_shift_ = 0;          // a cell spans 2^grid_shift_ microseconds
  std::vector<std::uint8_t> cells_;  // each cell's bucket
  std::vector<Chunk> chunks_;        // each bucket's chunk being filled
};

}  // namespace kk::timeline
