#include "timeline/line_arena.hpp"

#include <algorithm>
#include <bit>

#include "timeline/sort_keys.hpp"

namespace kk::timeline {

LineArena::LineArena(std::uint64_t budget)
    : block_size_(static_cast<std::size_t>(std::clamp<std::uint64_t>(budget / 16, 4096, 8u << 20))),
      // Below 8 MiB of budget, one bucket: the blocks would be too small for chunks.
      max_buckets_(static_cast<std::size_t>(
          std::clamp<std::uint64_t>(budget / kBucketBytes, 1, kMaxBuckets))) {
  static_assert(2 * kBucketBytes / 16 >= 4 * kChunk, "with two buckets, a block takes 4 chunks");
  static_assert(kMaxBuckets <= 256, "a cell names its bucket in one byte");
}

char* LineArena::from_blocks(std::size_t n) {
  if (n > block_size_ / 4) {                                 // a large line gets a block of its own
    large_.push_back(std::unique_ptr<char[]>(new char[n]));  // no zero-fill: written next
    bytes_ += n;
    return large_.back().get();
  }
  if (blocks_.empty() || block_used_ + n > block_size_) {
    if (!spare_.empty()) {
      blocks_.push_back(std::move(spare_.back()));
      spare_.pop_back();
    } else {
      blocks_.emplace_back(block_size_);  // 2 MiB pages where it can: see core/huge_block
    }
    bytes_ += block_size_;
    block_used_ = 0;
  }
  char* p = blocks_.back().data() + block_used_;
  block_used_ += n;
  return p;
}

// Bucket bounds at the sample's quantiles (equal times share a bucket); the grid spans
// the sample without its first and last percent, so a few stray times (1601, 2100) do
// not squeeze everything else into one cell.
void LineArena::choose_buckets() {
  std::sort(sample_.begin(), sample_.end());
  const std::size_t n = sample_.size();
  std::vector<std::uint64_t> bounds;
  for (std::size_t b = 1; b < max_buckets_; ++b) {
    std::uint64_t k = order_key(sample_[b * n / max_buckets_]);
    if (bounds.empty() || bounds.back() < k) bounds.push_back(k);
  }
  grid_from_ = order_key(sample_[n / 100]);
  const std::uint64_t span = order_key(sample_[n - 1 - n / 100]) - grid_from_;
  const auto width = static_cast<unsigned>(std::bit_width(span));
  grid_shift_ = width > kCellBits ? width - kCellBits : 0;
  cells_.resize(std::size_t{1} << kCellBits);
  for (std::size_t c = 0; c < cells_.size(); ++c) {
    std::uint64_t k = grid_from_ + (std::uint64_t{c} << grid_shift_);
    if (k < grid_from_) k = UINT64_MAX;  // past the last time
    cells_[c] = static_cast<std::uint8_t>(std::upper_bound(bounds.begin(), bounds.end(), k) -
                                          bounds.begin());
  }
  chunks_.assign(bounds.size() + 1, Chunk{});
  sample_.clear();
}

std::size_t LineArena::bucket_of(UtcMicros t) const {
  if (chunks_.empty()) return 0;
  const std::uint64_t k = order_key(t);
  const std::uint64_t cell = k < grid_from_ ? 0 : (k - grid_from_) >> grid_shift_;
  return cells_[std::min<std::uint64_t>(cell, cells_.size() - 1)];
}

char* LineArena::allocate(std::size_t n, UtcMicros t) {
  if (chunks_.empty()) {
    if (max_buckets_ > 1) {
      sample_.push_back(t);
      if (sample_.size() == kSample) choose_buckets();
    }
    return from_blocks(n);
  }
  if (n > kChunk / 4) return from_blocks(n);
  Chunk& c = chunks_[bucket_of(t)];
  if (c.room < n) {
    c.next = from_blocks(kChunk);
    c.room = kChunk;
  }
  char* p = c.next;
  c.next += n;
  c.room -= n;
  // The bucket's next line goes here, many lines later: fetched now, its stores do not
  // wait for memory (the hardware fetches ahead of a few streams, not of every bucket).
  for (std::size_t o = 0; o < kWriteAhead && o < c.room; o += 64) __builtin_prefetch(c.next + o, 1);
  return p;
}

void LineArena::recycle() {
  for (auto& b : blocks_) spare_.push_back(std::move(b));
  blocks_.clear();
  large_.clear();
  block_used_ = 0;
  bytes_ = 0;
  sample_.clear();
  chunks_.clear();
}

void LineArena::trim(std::size_t bytes, LineArena* to) {
  const std::size_t keep = bytes / block_size_;
  if (to && to->block_size_ == block_size_)
    while (spare_.size() > keep && to->spare_.size() < keep) {
      to->spare_.push_back(std::move(spare_.back()));
      spare_.pop_back();
    }
  if (spare_.size() > keep) spare_.resize(keep);
}

void LineArena::release() {
  recycle();
  spare_.clear();
  sample_.shrink_to_fit();
}

}  // namespace kk::timeline
