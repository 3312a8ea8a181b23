// core/huge_block: a large block is mapped at a 2 MiB boundary with huge pages asked for
// (where the kernel has them and no sanitizer runs); a small one is an ordinary allocation;
// either is writable end to end and moves without a copy.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "core/huge_block.hpp"
#include "core/huge_pages.hpp"

namespace {

// The "THPeligible" line of the mapping that holds P in /proc/self/smaps ("" if none).
std::string thp_eligible(const void* p) {
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  FILE* f = std::fopen("/proc/self/smaps", "r");
  if (!f) return "";
  char line[512];
  bool inside = false;
  std::string found;
  while (std::fgets(line, sizeof line, f)) {
    unsigned long from = 0, to = 0;
    if (std::sscanf(line, "%lx-%lx", &from, &to) == 2)  // a mapping's first line
      inside = at >= from && at < to;
    else if (inside && std::strncmp(line, "THPeligible:", 12) == 0)
      found = std::to_string(std::atoi(line + 12));
  }
  std::fclose(f);
  return found;
}

}  // namespace

TEST_CASE("HugeBlock: large blocks mapped for 2 MiB pages, small ones allocated, both usable") {
  constexpr std::size_t kLarge = 8 << 20;
  kk::HugeBlock large(kLarge);
  REQUIRE(large.data() != nullptr);
  CHECK(large.size() == kLarge);
  CHECK(large.mapped() == kk::huge_pages_supported());
  std::memset(large.data(), 0x5a, kLarge);
  CHECK(large.data()[kLarge - 1] == 0x5a);
  if (large.mapped()) {
    CHECK(reinterpret_cast<std::uintptr_t>(large.data()) % (2 << 20) == 0);
    CHECK(thp_eligible(large.data()) == "1");
  }

  kk::HugeBlock small(4096);
  CHECK_FALSE(small.mapped());
  std::memset(small.data(), 1, 4096);

  char* const at = large.data();
  kk::HugeBlock moved(std::move(large));
  CHECK(moved.data() == at);
  CHECK(large.data() == nullptr);  // NOLINT(bugprone-use-after-move): moved from, checked empty
  moved = std::move(small);
  CHECK(moved.size() == 4096);
  CHECK(moved.data()[4095] == 1);
}
