// A set of 64-bit keys in one flat open-addressing table (8 bytes a slot, at most half
// full), where a set of strings cost ≈110 bytes a record. SeenRecords keeps here the EVTX
// records that do not fit its blocks by record id.
#pragma once

#include <cstdint>
#include <vector>

namespace kk::detect {

class SeenSet {
 public:
  // True when KEY was not in the set (and is now).
  bool insert(std::uint64_t key) {
    if (key == 0) {  // 0 marks an empty slot, so it is kept apart
      if (has_zero_) return false;
      has_zero_ = true;
      ++size_;
      return true;
    }
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::uint64_t& slot = slots_[probe(key)];
    if (slot == key) return false;
    slot = key;
    ++size_;
    return true;
  }
  bool contains(std::uint64_t key) const {
    if (key == 0) return has_zero_;
    return !slots_.empty() && slots_[probe(key)] == key;
  }
  std::size_t size() const { return size_; }

  // splitmix64's finalizer: spreads keys that differ in a few bits over the table.
  static std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  }

 private:
  // Where KEY (not 0) is, or the empty slot where it would go; the table is never full.
  std::size_t probe(std::uint64_t key) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = mix(key) & mask;
    while (slots_[i] != key && slots_[i] != 0) i = (i + 1) & mask;
    return i;
  }
  void grow() {
    std::vector<std::uint64_t> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
    size_ = has_zero_ ? 1 : 0;
    for (std::uint64_t k : old)
      if (k != 0) insert(k);
  }
  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
  bool has_zero_ = false;
};

}  // namespace kk::detect
