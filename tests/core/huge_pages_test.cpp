#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "core/huge_pages.hpp"

TEST_CASE("huge_alloc gives writable memory of every size, large blocks 2 MiB-aligned") {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{4096}, std::size_t{4} << 20,
                        (std::size_t{5} << 20) + 123}) {
    auto* p = static_cast<unsigned char*>(kk::huge_alloc(n));
    REQUIRE(p != nullptr);
    if (n) {
      std::memset(p, 0xAB, n);
      CHECK(p[n - 1] == 0xAB);
    }
    kk::huge_free(p, n);
  }
#if !defined(__SANITIZE_ADDRESS__)
  kk::HugeBlock b(std::size_t{8} << 20);
  // Under AddressSanitizer blocks come from operator new (no alignment promised).
  CHECK(reinterpret_cast<std::uintptr_t>(b.get()) % (std::size_t{2} << 20) == 0);
#endif
}

TEST_CASE("a vector on HugePageAllocator grows across the huge-page threshold intact") {
  std::vector<std::uint64_t, kk::HugePageAllocator<std::uint64_t>> v;
  for (std::uint64_t i = 0; i < 1'500'000; ++i) v.push_back(i * 3);  // 12 MB, several moves
  bool ok = true;
  for (std::uint64_t i = 0; i < v.size(); ++i) ok = ok && v[i] == i * 3;
  CHECK(ok);
  v.clear();
  v.shrink_to_fit();
  CHECK(v.capacity() == 0);
  kk::HugeBlock a(std::size_t{6} << 20), c;
  a.get()[0] = 'x';
  c = std::move(a);
  CHECK(c.get()[0] == 'x');
  CHECK(c.size() == (std::size_t{6} << 20));
}
