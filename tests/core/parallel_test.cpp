#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

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
