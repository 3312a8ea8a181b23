// The sorter's keys: a growable array of SortKey that grows with realloc().
//
// A batch's keys reach hundreds of MiB (16 bytes an event). std::vector doubles by
// allocating anew and copying: every growth faults in and zeroes fresh pages and copies
// the old keys into them, and re-sorting 10 M events in memory spent 12 % of its time
// there. glibc's realloc() of a block that large (it is mmapped) is mremap(): the pages
// move, nothing is copied or zeroed again. resize() leaves new keys unset, so the radix
// sort's room is not zeroed before it is written either.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

#include "timeline/sort_keys.hpp"

namespace kk::timeline {

class KeyBuffer {
 public:
  KeyBuffer() = default;
  ~KeyBuffer() { std::free(data_); }
  KeyBuffer(const KeyBuffer&) = delete;
  KeyBuffer& operator=(const KeyBuffer&) = delete;

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  SortKey* data() { return data_; }
  const SortKey* data() const { return data_; }
  SortKey& operator[](std::size_t i) { return data_[i]; }
  const SortKey& operator[](std::size_t i) const { return data_[i]; }
  SortKey* begin() { return data_; }
  SortKey* end() { return data_ + size_; }
  const SortKey* begin() const { return data_; }
  const SortKey* end() const { return data_ + size_; }

  // The capacity the next push_back() past a full buffer grows to.
  std::size_t next_capacity() const { return capacity_ < 32 ? 64 : capacity_ * 2; }
  void push_back(const SortKey& k) {
    if (size_ == capacity_) reserve(next_capacity());
    data_[size_++] = k;
  }
  void reserve(std::size_t n) {
    if (n <= capacity_) return;
    void* p = std::realloc(data_, n * sizeof(SortKey));
    if (!p) throw std::bad_alloc();
    data_ = static_cast<SortKey*>(p);
    capacity_ = n;
  }
  // N keys; those past the old size are left unset.
  void resize(std::size_t n) {
    reserve(n);
    size_ = n;
  }
  void clear() { size_ = 0; }
  void swap(KeyBuffer& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
  }
  // Empties the buffer and gives its memory back.
  void release() {
    std::free(data_);
    data_ = nullptr;
    size_ = capacity_ = 0;
  }

 private:
  static_assert(std::is_trivially_copyable_v<SortKey>, "moved by realloc()");
  SortKey* data_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
};

}  // namespace kk::timeline
