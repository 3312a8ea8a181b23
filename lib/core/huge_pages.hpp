// Large working memory on transparent huge pages.
//
// build-timeline's sorter fills hundreds of MiB to GiB of arena and index in memory; touched
// 4 KiB at a time, faulting them in was a fifth of its CPU (the kernel's fault path, per
// page), and its reads of the lines in sorted order missed the TLB on almost every line.
// Blocks of 4 MiB or more are mapped 2 MiB-aligned and advised MADV_HUGEPAGE (taken even
// where the system setting is "madvise"): 512× fewer faults and TLB entries. Smaller sizes,
// and builds under AddressSanitizer (so that it still sees overruns), use operator new.
#pragma once

#include <cstddef>
#include <new>

namespace kk {

// At least BYTES bytes (never nullptr: throws std::bad_alloc); free with huge_free(p, BYTES).
void* huge_alloc(std::size_t bytes);
void huge_free(void* p, std::size_t bytes) noexcept;

// One block of huge_alloc memory, freed when destroyed.
class HugeBlock {
 public:
  HugeBlock() = default;
  explicit HugeBlock(std::size_t bytes) : p_(static_cast<char*>(huge_alloc(bytes))), n_(bytes) {}
  HugeBlock(HugeBlock&& o) noexcept : p_(o.p_), n_(o.n_) { o.p_ = nullptr; }
  HugeBlock& operator=(HugeBlock&& o) noexcept {
    if (this != &o) {
      if (p_) huge_free(p_, n_);
      p_ = o.p_;
      n_ = o.n_;
      o.p_ = nullptr;
    }
    return *this;
  }
  ~HugeBlock() {
    if (p_) huge_free(p_, n_);
  }
  char* get() const { return p_; }
  std::size_t size() const { return n_; }

 private:
  char* p_ = nullptr;
  std::size_t n_ = 0;
};

// std::vector<T, HugePageAllocator<T>>: a large vector on huge pages.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(huge_alloc(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { huge_free(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace kk
