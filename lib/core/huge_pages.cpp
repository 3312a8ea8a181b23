#include "core/huge_pages.hpp"

#include <sys/mman.h>

#include <cstdint>

namespace kk {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kHugeMin = std::size_t{4} << 20;  // below: operator new

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUseMmap = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kUseMmap = false;
#else
constexpr bool kUseMmap = true;
#endif
#else
constexpr bool kUseMmap = true;
#endif

bool mapped(std::size_t bytes) {
  return kUseMmap && bytes >= kHugeMin;
}
std::size_t rounded(std::size_t bytes) {
  return (bytes + kHugePage - 1) & ~(kHugePage - 1);
}
}  // namespace

void* huge_alloc(std::size_t bytes) {
  if (!mapped(bytes)) return ::operator new(bytes == 0 ? 1 : bytes);
  const std::size_t len = rounded(bytes);
  if (len < bytes || len + kHugePage < len) throw std::bad_alloc();
  // Map one huge page more than needed and trim both ends to a 2 MiB boundary.
  void* raw =
      ::mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<std::uintptr_t>(raw);
  std::uintptr_t aligned = (start + kHugePage - 1) & ~(std::uintptr_t{kHugePage} - 1);
  if (aligned > start) ::munmap(raw, aligned - start);
  std::size_t tail = (start + len + kHugePage) - (aligned + len);
  if (tail) ::munmap(reinterpret_cast<void*>(aligned + len), tail);
  void* p = reinterpret_cast<void*>(aligned);
  ::madvise(p, len, MADV_HUGEPAGE);  // a kernel without THP refuses: 4 KiB pages then
  return p;
}

void huge_free(void* p, std::size_t bytes) noexcept {
  if (!p) return;
  if (!mapped(bytes)) {
    ::operator delete(p);
    return;
  }
  ::munmap(p, rounded(bytes));
}

}  // namespace kk
