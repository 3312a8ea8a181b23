// The sorter's arena: lines of events close in time lie together once the sample is taken.
#include <doctest/doctest.h>

#include <cstring>
#include <random>

#include "timeline/line_arena.hpp"

using kk::timeline::LineArena;

TEST_CASE("after its sample the arena puts each line in the chunk of its time bucket") {
  LineArena arena(64 << 20);  // 16 buckets at most
  std::mt19937_64 rng(3);
  const kk::UtcMicros day = 86400000000;
  std::vector<std::pair<kk::UtcMicros, char*>> lines;
  for (std::size_t i = 0; i < LineArena::kSample + 20000; ++i) {
    kk::UtcMicros t = static_cast<kk::UtcMicros>(rng() % 30) * day;
    char* p = arena.allocate(100, t);
    std::memset(p, static_cast<int>(i % 251), 100);  // every byte writable (ASan sees it)
    lines.push_back({t, p});
  }
  REQUIRE(arena.buckets() >= 8);
  REQUIRE(arena.buckets() <= 16);
  // Later times never go to an earlier bucket; the whole range is spread over the buckets.
  for (kk::UtcMicros d = 1; d < 30; ++d)
    CHECK(arena.bucket_of(d * day) >= arena.bucket_of((d - 1) * day));
  CHECK(arena.bucket_of(0) == 0);
  CHECK(arena.bucket_of(29 * day) == arena.buckets() - 1);
  CHECK(arena.bucket_of(INT64_MIN) == 0);
  CHECK(arena.bucket_of(INT64_MAX) == arena.buckets() - 1);
  // Two consecutive lines of one bucket, after the sample, lie next to each other.
  char* previous = nullptr;
  std::size_t adjacent = 0, seen = 0;
  for (std::size_t i = LineArena::kSample; i < lines.size(); ++i) {
    if (arena.bucket_of(lines[i].first) != arena.bucket_of(0)) continue;
    if (previous) {
      ++seen;
      adjacent += lines[i].second == previous + 100 ? 1 : 0;
    }
    previous = lines[i].second;
  }
  CHECK(seen > 100);
  CHECK(adjacent * 10 > seen * 9);  // all but where a chunk is full
  arena.recycle();
  CHECK(arena.buckets() == 0);
  CHECK(arena.bytes() == 0);
}

TEST_CASE("one time only, a small budget: the arena still stores every line") {
  LineArena same(64 << 20);
  for (std::size_t i = 0; i < LineArena::kSample + 100; ++i)
    std::memset(same.allocate(50, 7), 1, 50);
  CHECK(same.buckets() >= 1);
  CHECK(same.bucket_of(6) <= same.bucket_of(7));
  LineArena small(4 << 20);  // under 8 MiB: one bucket, lines in input order
  char* a = small.allocate(10, 5);
  for (std::size_t i = 0; i < LineArena::kSample + 10; ++i)
    small.allocate(10, static_cast<kk::UtcMicros>(i));
  CHECK(small.buckets() == 0);
  CHECK(small.allocate(10, 1) == a + 10 * (LineArena::kSample + 11));
  char* big = small.allocate(1 << 20, 1);  // over a quarter of a block: its own allocation
  std::memset(big, 0, 1 << 20);
  CHECK(small.bytes() > (1u << 20));
}
