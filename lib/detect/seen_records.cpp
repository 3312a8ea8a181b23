#include "detect/seen_records.hpp"

namespace kk::detect {

std::uint64_t SeenRecords::key(std::uint64_t source, std::int64_t record_id, std::int64_t time) {
  // The source mixed first: (source, id) pairs whose XOR agree must not meet.
  std::uint64_t k = SeenSet::mix(SeenSet::mix(source) ^ static_cast<std::uint64_t>(record_id));
  return SeenSet::mix(k ^ static_cast<std::uint64_t>(time));
}

SeenRecords::Block* SeenRecords::block(const Where& w) {
  if (last_block_ && w == last_) return last_block_;
  auto it = index_.find(w);
  if (it == index_.end()) {
    if ((blocks_.size() + 1) * kBlockSlots > kSlotsPerRecord * held_ + kSlack) return nullptr;
    it = index_.emplace(w, blocks_.size()).first;
    blocks_.emplace_back().fill(kEmpty);
  }
  last_ = w;
  last_block_ = &blocks_[it->second];  // blocks_ grows only above, and this is set after
  return last_block_;
}

bool SeenRecords::insert(std::uint64_t source, std::int64_t record_id, std::int64_t time) {
  Block* b = time == kEmpty ? nullptr : block({source, record_id >> kBlockBits});
  if (b) {
    std::int64_t& slot = (*b)[static_cast<std::uint64_t>(record_id) & (kBlockSlots - 1)];
    if (slot == time) return false;
    if (slot == kEmpty) {
      if (overflowed_ && others_.contains(key(source, record_id, time)))
        return false;  // seen while it had no block
      slot = time;
      ++held_;
      return true;
    }
    // This id at another time than its slot's: kept below.
  } else if (time != kEmpty) {
    overflowed_ = true;
  }
  return others_.insert(key(source, record_id, time));
}

}  // namespace kk::detect
