#include <doctest/doctest.h>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "core/ordered_relay.hpp"
#include "core/parallel.hpp"

TEST_CASE("ordered_parallel keeps item order with many threads") {
  for (unsigned jobs : {1u, 2u, 8u}) {
    std::vector<std::size_t> seen;
    kk::ordered_parallel(
        1000, jobs, [](std::size_t i) { return i * i; },
        [&](std::size_t i, std::size_t v) {
          CHECK(v == i * i);
          seen.push_back(i);
        },
        3);
    REQUIRE(seen.size() == 1000);
    for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == i);
  }
}

TEST_CASE("ordered_parallel propagates a worker's exception") {
  CHECK_THROWS_AS(kk::ordered_parallel(
                      100, 4,
                      [](std::size_t i) -> int {
                        if (i == 50) throw std::runtime_error("boom");
                        return 0;
                      },
                      [](std::size_t, int) {}),
                  std::runtime_error);
}

TEST_CASE("ordered_relay: consumed in order, one at a time, produced on every thread") {
  for (unsigned jobs : {1u, 2u, 8u}) {
    for (std::size_t window : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
      std::vector<std::size_t> seen;
      std::atomic<int> inside{0};
      std::atomic<bool> overlap{false};
      std::vector<std::atomic<int>> by_thread(jobs);
      kk::ordered_relay(
          2000, jobs,
          [&](unsigned t, std::size_t i) {
            REQUIRE(t < jobs);
            ++by_thread[t];
            return i * i;
          },
          [&](std::size_t i, std::size_t v) {
            if (inside.fetch_add(1) != 0) overlap = true;
            CHECK(v == i * i);
            seen.push_back(i);
            inside.fetch_sub(1);
          },
          window);
      CHECK_FALSE(overlap.load());
      REQUIRE(seen.size() == 2000);
      for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == i);
      int total = 0;
      for (auto& n : by_thread) total += n.load();
      CHECK(total == 2000);
    }
  }
  int calls = 0;
  kk::ordered_relay(0, 4, [](unsigned, std::size_t) { return 0; }, [&](std::size_t, int) { ++calls; });
  CHECK(calls == 0);
}

TEST_CASE("ordered_relay: a consumer held back wakes the producers once half the window is free") {
  // Producers are instant and the consumer takes ~20 us an item (spinning: it never sleeps
  // itself). Woken at every item, the producer asleep on the full window would sleep once
  // per item; woken at half the window, once per 8 items of a window of 16.
  const std::size_t n = 2000;
  long first[2] = {-1, -1}, last[2] = {0, 0};  // each thread's voluntary switches so far
  kk::ordered_relay(
      n, 2,
      [&](unsigned t, std::size_t i) {
        struct rusage ru {};
        ::getrusage(RUSAGE_THREAD, &ru);
        if (first[t] < 0) first[t] = ru.ru_nvcsw;
        last[t] = ru.ru_nvcsw;
        return i;
      },
      [&](std::size_t, std::size_t) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(20);
        while (std::chrono::steady_clock::now() < until) {
        }
      },
      16);
  const long slept = (last[0] - std::max(first[0], 0L)) + (last[1] - std::max(first[1], 0L));
  CHECK(slept < static_cast<long>(n / 3));
}

TEST_CASE("ordered_relay propagates an exception from produce or consume") {
  CHECK_THROWS_AS(kk::ordered_relay(
                      100, 3,
                      [](unsigned, std::size_t i) -> int {
                        if (i == 50) throw std::runtime_error("boom");
                        return 0;
                      },
                      [](std::size_t, int) {}),
                  std::runtime_error);
  CHECK_THROWS_AS(kk::ordered_relay(
                      100, 3, [](unsigned, std::size_t) { return 0; },
                      [](std::size_t i, int) {
                        if (i == 70) throw std::runtime_error("boom");
                      }),
                  std::runtime_error);
}
