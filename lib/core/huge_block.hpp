// A large block of memory that one thread fills from start to end (the timeline sorter's
// arena), backed by 2 MiB pages where the kernel allows them.
//
// glibc's hugetlb tunable (core/huge_pages.hpp) gives 2 MiB pages to the main heap only: the
// blocks a sorter thread takes come from its own heap, 4 KiB at a fault. In the virtual
// machines cases are triaged on, a fault costs ~11 µs per 4 KiB and ~4.5 µs per 4 KiB of a
// 2 MiB page (docs/notes/issue-21-pipeline.md): filling triage's 128 MiB sort budget took
// 28 k faults. Without transparent huge pages, or under a sanitizer (whose allocator must
// see the block to check it), the block is an ordinary allocation.
#pragma once

#include <cstddef>

namespace kk {

class HugeBlock {
 public:
  HugeBlock() = default;
  // SIZE bytes, uninitialised. Throws std::bad_alloc.
  explicit HugeBlock(std::size_t size);
  ~HugeBlock();
  HugeBlock(HugeBlock&& other) noexcept;
  HugeBlock& operator=(HugeBlock&& other) noexcept;
  HugeBlock(const HugeBlock&) = delete;
  HugeBlock& operator=(const HugeBlock&) = delete;

  char* data() const { return data_; }
  std::size_t size() const { return size_; }
  // Whether the block was mapped for 2 MiB pages (for tests; the kernel may still split it).
  bool mapped() const { return mapped_; }

 private:
  void free();
  char* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
};

}  // namespace kk
