#include "core/huge_block.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <new>
#include <utility>

#include "core/huge_pages.hpp"

namespace kk {

namespace {

constexpr std::size_t kHugePage = 2 << 20;

// Maps SIZE bytes at a 2 MiB boundary and asks for huge pages; nullptr if it cannot.
char* map_huge(std::size_t size) {
  const std::size_t span = size + kHugePage;  // room to move the start to a boundary
  void* p = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t start = (at + kHugePage - 1) & ~(kHugePage - 1);
  const std::size_t head = start - at, tail = span - head - size;
  if (head) ::munmap(p, head);
  if (tail) ::munmap(reinterpret_cast<char*>(start + size), tail);
  ::madvise(reinterpret_cast<void*>(start), size, MADV_HUGEPAGE);  // a hint: pages either way
  return reinterpret_cast<char*>(start);
}

bool worth_mapping(std::size_t size) {
  static const bool supported = huge_pages_supported();
  return supported && size >= kHugePage && size % 4096 == 0;
}

}  // namespace

HugeBlock::HugeBlock(std::size_t size) : size_(size) {
  if (worth_mapping(size)) data_ = map_huge(size);
  mapped_ = data_ != nullptr;
  if (!data_) data_ = new char[size];  // too small, not supported, or the mapping failed
}

HugeBlock::~HugeBlock() {
  free();
}

HugeBlock::HugeBlock(HugeBlock&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, false)) {}

HugeBlock& HugeBlock::operator=(HugeBlock&& other) noexcept {
  if (this != &other) {
    free();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_ = std::exchange(other.mapped_, false);
  }
  return *this;
}

void HugeBlock::free() {
  if (!data_) return;
  if (mapped_)
    ::munmap(data_, size_);
  else
    delete[] data_;
  data_ = nullptr;
}

}  // namespace kk
