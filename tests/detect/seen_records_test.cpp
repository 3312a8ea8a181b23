// SeenRecords, detect's de-duplication of EVTX records: the same answer as a set of
// (source, record id, time) for the orders real logs give and for hostile ones.
#include <doctest/doctest.h>

#include <random>
#include <set>
#include <tuple>

#include "detect/seen_records.hpp"

namespace {

using kk::detect::SeenRecords;
using Key = std::tuple<std::uint64_t, std::int64_t, std::int64_t>;

// Inserts KEYS into a SeenRecords and a std::set in turn: every answer must agree.
void agree(const std::vector<Key>& keys) {
  SeenRecords seen;
  std::set<Key> truth;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    // Named, not bound: INFO takes them by reference in a lambda, which clang 14 refuses
    // for structured bindings.
    const std::uint64_t source = std::get<0>(keys[i]);
    const std::int64_t id = std::get<1>(keys[i]), time = std::get<2>(keys[i]);
    INFO("key " << i << ": source " << source << ", id " << id << ", time " << time);
    REQUIRE(seen.insert(source, id, time) == truth.insert(keys[i]).second);
  }
}

}  // namespace

TEST_CASE("SeenRecords: a log's records, each once, then again") {
  std::vector<Key> keys;
  for (std::int64_t id = 1; id <= 5000; ++id) keys.emplace_back(7, id, id * 1000);
  for (std::int64_t id = 1; id <= 5000; id += 3) keys.emplace_back(7, id, id * 1000);  // again
  for (std::int64_t id = 1; id <= 100; ++id) keys.emplace_back(8, id, id * 1000);  // another log
  agree(keys);
  SeenRecords s;
  CHECK(s.insert(1, 10, 100));
  CHECK_FALSE(s.insert(1, 10, 100));
  CHECK(s.insert(1, 10, 101));  // the same id at another time is another record
  CHECK_FALSE(s.insert(1, 10, 101));
  CHECK_FALSE(s.insert(1, 10, 100));
  CHECK(s.insert(2, 10, 100));  // the same id and time in another log
}

TEST_CASE("SeenRecords: logs that wrapped around, interleaved, sparse and hostile ids") {
  std::vector<Key> keys;
  // A log that wrapped: its newer ids first, then the older ones, then all again.
  for (int pass = 0; pass < 2; ++pass) {
    for (std::int64_t id = 5000; id < 9000; ++id) keys.emplace_back(1, id, id);
    for (std::int64_t id = 1000; id < 5000; ++id) keys.emplace_back(1, id, id);
  }
  // Falling ids, one by one.
  for (std::int64_t id = 20000; id > 0; --id) keys.emplace_back(2, id, 5);
  // Chunks of many logs stitched into one (carved chunks are alike): ids run on in each
  // chunk of 150 and jump between chunks.
  for (std::int64_t chunk = 0; chunk < 200; ++chunk)
    for (std::int64_t id = 0; id < 150; ++id) keys.emplace_back(5, chunk * 7919 * 1000 + id, 1);
  // The extremes of the id and the time, the time that marks an empty slot among them.
  for (std::int64_t id :
       {INT64_MIN, INT64_MIN + 1, std::int64_t{-1}, std::int64_t{0}, INT64_MAX - 1, INT64_MAX})
    for (std::int64_t time : {INT64_MIN, std::int64_t{0}, INT64_MAX}) {
      keys.emplace_back(3, id, time);
      keys.emplace_back(3, id, time);
    }
  // Ids a block apart each, more than the blocks may hold, so most get none; then every id
  // between them, which makes the blocks dense enough to be made; then the first ones again.
  for (std::int64_t id = 0; id < 4000 * 256; id += 256) keys.emplace_back(4, id, 1);
  for (std::int64_t id = 0; id < 4000 * 256; ++id) keys.emplace_back(4, id, 1);
  for (std::int64_t id = 0; id < 4000 * 256; id += 256 * 97) keys.emplace_back(4, id, 1);
  agree(keys);

  // Random sources, ids and times from small ranges: repeats, gaps and runs of every kind.
  std::mt19937_64 rng(20261206);
  for (int round = 0; round < 20; ++round) {
    std::vector<Key> r;
    const std::int64_t span = std::int64_t{1} << (rng() % 24);
    for (int i = 0; i < 20000; ++i) {
      const std::uint64_t source = rng() % 4;
      const auto id = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span)) -
                      (round % 2 ? span / 2 : 0);
      r.emplace_back(source, id, static_cast<std::int64_t>(rng() % 3));
    }
    agree(r);
  }
}
