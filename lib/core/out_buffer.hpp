// A growable byte buffer written through a raw pointer: room(N) guarantees N writable bytes
// after the end without filling them (std::string::resize would zero them first, and C++20
// has no resize_and_overwrite), commit(P) moves the end to P. Writers that can bound what
// they write (a JSON record: core/json_writer.hpp json_string_bound) then write without a
// check or a copy per piece.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

namespace kk {

class OutBuffer {
 public:
  OutBuffer() = default;
  OutBuffer(OutBuffer&& o) noexcept
      : data_(std::move(o.data_)),
        size_(std::exchange(o.size_, 0)),
        cap_(std::exchange(o.cap_, 0)) {}
  OutBuffer& operator=(OutBuffer&& o) noexcept {
    data_ = std::move(o.data_);
    size_ = std::exchange(o.size_, 0);
    cap_ = std::exchange(o.cap_, 0);
    return *this;
  }
  // The end of the bytes, with at least N bytes of capacity after it.
  char* room(std::size_t n) {
    if (cap_ - size_ < n) grow(n);
    return data_.get() + size_;
  }
  // Capacity for exactly N more bytes when there is less (room() doubles it): for a buffer
  // whose size a memory budget counts.
  void reserve(std::size_t n) {
    if (cap_ - size_ < n) reallocate(size_ + n);
  }
  // END is the room() pointer plus the bytes written (at most the N asked for).
  void commit(const char* end) { size_ = static_cast<std::size_t>(end - data_.get()); }
  void append(std::string_view s) {
    std::memcpy(room(s.size()), s.data(), s.size());
    size_ += s.size();
  }
  std::string_view view() const { return {data_.get(), size_}; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() { size_ = 0; }
  // Drops the bytes after the first N (N <= size()).
  void truncate(std::size_t n) { size_ = n < size_ ? n : size_; }

 private:
  void grow(std::size_t n) {
    std::size_t cap = cap_ ? cap_ * 2 : 4096;
    while (cap - size_ < n) cap *= 2;
    reallocate(cap);
  }
  void reallocate(std::size_t cap) {
    auto bigger = std::make_unique_for_overwrite<char[]>(cap);
    if (size_) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    cap_ = cap;
  }
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0, cap_ = 0;
};

}  // namespace kk
