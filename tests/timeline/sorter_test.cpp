// The spilling sort must give exactly the in-memory result, whatever the budget.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>

#include "timeline/event_sorter.hpp"
#include "timeline/key_buffer.hpp"
#include "timeline_test_util.hpp"

using namespace kk::timeline;

namespace {
struct Item {
  kk::UtcMicros ts;
  std::string line;
};

std::vector<Item> random_items(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::vector<Item> v;
  for (std::size_t i = 0; i < n; ++i) {
    // Few distinct times, so stability (input order among equal times) is exercised.
    kk::UtcMicros ts = static_cast<kk::UtcMicros>(rng() % 200) * 1000000 - 50000000;
    std::string line =
        "{\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string(rng() % 300, 'x') + "\"}\n";
    v.push_back({ts, line});
  }
  return v;
}

std::vector<std::string> sorted_with(const std::vector<Item>& items, std::uint64_t budget,
                                     std::uint64_t* runs = nullptr, RunIo io = RunIo::kAuto,
                                     SpillThread spill = SpillThread::kAuto) {
  EventSorter s(SorterOptions{budget, "", io, spill});
  for (const auto& it : items) s.add(it.ts, it.line, 7);
  std::vector<std::string> out;
  s.finish([&](const SortedEvent& e) {
    CHECK(e.host_pos == 7u);
    out.emplace_back(e.line);
  });
  if (runs) *runs = s.runs_written();
  return out;
}
}  // namespace

TEST_CASE("spilled sort equals the in-memory stable sort") {
  auto items = random_items(20000, 42);
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return items[a].ts < items[b].ts; });
  std::vector<std::string> expected;
  for (auto i : order) expected.push_back(items[i].line);

  std::uint64_t runs = 0;
  CHECK(sorted_with(items, 512ull << 20, &runs) == expected);
  CHECK(runs == 0);
  CHECK(sorted_with(items, 256 << 10, &runs) == expected);  // a few runs, one merge pass
  CHECK(runs > 4);
  CHECK(sorted_with(items, 16 << 10, &runs) == expected);  // more runs than one pass takes
  CHECK(runs > EventSorter::kMaxFanIn);
}

TEST_CASE("runs written beside the caller give what runs written by the caller give") {
  auto items = random_items(20000, 43);
  const auto expected = sorted_with(items, 512ull << 20);
  for (std::uint64_t budget : {16ull << 10, 256ull << 10, 2ull << 20}) {
    CAPTURE(budget);
    std::uint64_t caller_runs = 0, beside_runs = 0;
    CHECK(sorted_with(items, budget, &caller_runs, RunIo::kAuto, SpillThread::kCaller) == expected);
    CHECK(sorted_with(items, budget, &beside_runs, RunIo::kAuto, SpillThread::kBackground) ==
          expected);
    // Half the budget per batch: about twice the runs (a 16 KiB budget is all blocks and
    // keys: a run per event or two).
    CHECK(beside_runs > caller_runs);
    if (budget > (16u << 10)) CHECK(beside_runs <= 3 * caller_runs + 1);
  }
  // Until a first run is written the batch has the whole budget: a timeline that fits
  // (here about 4 MiB of lines and keys in 6 MiB) is sorted in memory.
  std::uint64_t runs_fit = 1;
  CHECK(sorted_with(items, 6ull << 20, &runs_fit, RunIo::kAuto, SpillThread::kBackground) ==
        expected);
  CHECK(runs_fit == 0);
  // With a budget of 16 MiB and more the runs are written beside by default.
  auto many = random_items(150000, 44);
  std::uint64_t runs = 0;
  CHECK(sorted_with(many, 16ull << 20, &runs, RunIo::kPageCache) == sorted_with(many, 1ull << 30));
  CHECK(runs >= 2);
}

TEST_CASE("the batches hold no more than the budget: kept blocks and the sort's room count") {
  // Lines of ~100-300 bytes in random time order, several runs at each budget. The first
  // batch has the whole budget; its keys, sized for it, must not stay when it has half.
  auto items = random_items(150000, 45);
  for (auto config : {std::pair{16ull << 20, SpillThread::kBackground},
                      std::pair{4ull << 20, SpillThread::kBackground},
                      std::pair{4ull << 20, SpillThread::kCaller}}) {
    const auto [budget_, spill] = config;
    const unsigned long long budget = budget_;  // CAPTURE takes it by reference: no binding
    CAPTURE(budget);
    EventSorter s(SorterOptions{budget, "", RunIo::kPageCache, spill});
    for (const auto& it : items) s.add(it.ts, it.line, 7);
    std::size_t n = 0;
    s.finish([&](const SortedEvent&) { ++n; });
    CHECK(n == items.size());
    CHECK(s.runs_written() >= 3);
    CHECK(s.peak_memory() <= budget);
    CHECK(s.peak_memory() > budget / 2);  // the budget is used, not just respected
  }
}

TEST_CASE("lines kept in time buckets (budget of 8 MiB and more) sort as before") {
  auto items = random_items(60000, 9);  // more than the arena's sample in every batch
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return items[a].ts < items[b].ts; });
  std::vector<std::string> expected;
  for (auto i : order) expected.push_back(items[i].line);
  std::uint64_t runs = 0;
  CHECK(sorted_with(items, 64 << 20, &runs) == expected);  // 16 buckets, in memory
  CHECK(runs == 0);
  CHECK(sorted_with(items, 8 << 20, &runs, RunIo::kPageCache) == expected);  // 2 buckets
  CHECK(runs >= 1);
}

TEST_CASE("O_DIRECT runs give what runs through the page cache give") {
  // Lines of every length around the 4 KiB blocks, so events and headers span blocks.
  std::mt19937_64 rng(5);
  std::vector<Item> items;
  for (std::size_t i = 0; i < 600; ++i)
    items.push_back({static_cast<kk::UtcMicros>(rng() % 50),
                     std::string(rng() % 9000, static_cast<char>('a' + i % 26)) + "\n"});
  std::vector<std::string> expected = sorted_with(items, 1ull << 30);
  std::uint64_t runs = 0;
  CHECK(sorted_with(items, 256 << 10, &runs, RunIo::kDirect) == expected);
  CHECK(runs > 4);
  CHECK(sorted_with(items, 256 << 10, &runs, RunIo::kPageCache) == expected);
  CHECK(runs > 4);
}

TEST_CASE("the radix sort keeps input order among equal times, over any range of times") {
  std::mt19937_64 rng(7);
  for (int shape = 0; shape < 4; ++shape) {
    KeyBuffer keys, scratch;
    for (std::uint64_t i = 0; i < 5000; ++i) {
      std::int64_t t;
      switch (shape) {
        case 0:  // the whole int64 range, extremes included
          t = i % 97 == 0 ? INT64_MIN : i % 89 == 0 ? INT64_MAX : static_cast<std::int64_t>(rng());
          break;
        case 1:  // a month of microseconds, some equal
          t = 1700000000000000 + static_cast<std::int64_t>(rng() % 2592000) * 1000000;
          break;
        case 2:  // already in order
          t = static_cast<std::int64_t>(i / 3);
          break;
        default:  // few distinct times around zero
          t = static_cast<std::int64_t>(rng() % 5) - 2;
      }
      keys.push_back({order_key(t), i});
    }
    std::vector<SortKey> expected(keys.begin(), keys.end());
    std::stable_sort(expected.begin(), expected.end(),
                     [](const SortKey& a, const SortKey& b) { return a.key < b.key; });
    sort_keys(keys, scratch);
    REQUIRE(keys.size() == expected.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      CHECK(keys[i].key == expected[i].key);
      CHECK(keys[i].value == expected[i].value);
    }
  }
  CHECK(order_key(-1) < order_key(0));
  CHECK(order_key(INT64_MIN) < order_key(-1));
  CHECK(key_time(order_key(INT64_MIN)) == INT64_MIN);
  CHECK(key_time(order_key(-5)) == -5);
}

TEST_CASE("lines referenced where they lie sort as copied ones, in and out of memory") {
  auto items = random_items(20000, 11);
  const auto expected = sorted_with(items, 512ull << 20);
  std::uint64_t held = 0;
  for (const auto& it : items) held += it.line.size();
  for (std::uint64_t budget : {512ull << 20, 4ull * held, 256ull << 10}) {
    EventSorter s(SorterOptions{budget, "", RunIo::kAuto});
    const bool pinned = s.pin(held);
    CHECK(pinned == (held <= budget / 2));
    for (std::size_t i = 0; i < items.size(); ++i) {  // every other line referenced
      if (pinned && i % 2 == 0)
        s.add_pinned(items[i].ts, items[i].line, 7);
      else
        s.add(items[i].ts, items[i].line, 7);
    }
    std::vector<std::string> out;
    s.finish([&](const SortedEvent& e) { out.emplace_back(e.line); });
    CHECK(out == expected);
    CHECK((s.runs_written() == 0) == (budget > held));
  }
}

TEST_CASE("pinned lines without a host slot, kept by their key alone, sort as the others") {
  auto items = random_items(20000, 13);
  // Lines past what a key can hold (64 KiB) are stored as before.
  items[5].line = "{\"long\":\"" + std::string(70000, 'y') + "\"}\n";
  items[9000].line = "{\"long\":\"" + std::string(65530, 'z') + "\"}\n";
  const auto expected = sorted_with(items, 512ull << 20);
  std::uint64_t held = 0;
  for (const auto& it : items) held += it.line.size();
  // The lines stay in ITEMS throughout: a small budget pins a part of them only for its
  // accounting, so that batches of keys alone spill too.
  for (std::uint64_t budget : {512ull << 20, 4ull * held, 1ull << 20, 256ull << 10}) {
    CAPTURE(budget);
    EventSorter s(SorterOptions{budget, "", RunIo::kAuto});
    const bool pinned = s.pin(std::min(held, budget / 3));
    // Every third line by its key, every third pinned with a host slot, the rest copied.
    auto host_of = [&](std::size_t i) { return i % 3 == 1 ? 7u : EventSorter::kNoHostPos; };
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (pinned && i % 3 != 2)
        s.add_pinned(items[i].ts, items[i].line, host_of(i));
      else
        s.add(items[i].ts, items[i].line, host_of(i));
    }
    std::vector<std::string> out;
    bool hosts_kept = true;
    s.finish([&](const SortedEvent& e) {
      out.emplace_back(e.line);
      if (out.back()[2] != 'i') return;  // a long line
      const auto i = static_cast<std::size_t>(std::stoul(out.back().substr(5)));
      hosts_kept = hosts_kept && e.host_pos == host_of(i);
    });
    CHECK(out == expected);
    CHECK(hosts_kept);
    CHECK(pinned);
    CHECK((s.runs_written() == 0) == (budget > 2 * held));
  }
}

TEST_CASE("pinned memory counts in the budget: past half of it, nothing more is pinned") {
  EventSorter s(SorterOptions{1 << 20, "", RunIo::kAuto});
  CHECK(s.pin(300 << 10));
  CHECK(s.pin(200 << 10));
  CHECK_FALSE(s.pin(100 << 10));
  CHECK(s.pin(12 << 10));  // exactly half
  // With half the budget pinned, the other half (less the run writer's block, frame and
  // compression context, some 200 KiB here) still holds lines before a spill.
  for (int i = 0; i < 600; ++i) s.add(i, std::string(200, 'x') + "\n", 7);
  CHECK(s.runs_written() == 0);
  for (int i = 0; i < 3000; ++i) s.add(i, std::string(200, 'x') + "\n", 7);
  CHECK(s.runs_written() > 0);
}

TEST_CASE("a line larger than the whole budget still sorts") {
  std::vector<Item> items = {{3, std::string(100000, 'a') + "\n"}, {1, "b\n"}, {2, "c\n"}};
  auto out = sorted_with(items, 4096);
  REQUIRE(out.size() == 3);
  CHECK(out[0] == "b\n");
  CHECK(out[2].size() == 100001);
}

TEST_CASE("a line over 2 GiB is refused, not stored with its length cut") {
  EventSorter s(SorterOptions{1 << 20, "", RunIo::kAuto});
  const char small[] = "x\n";
  // Only the size is looked at: nothing is read from the (short) memory behind the view.
  const std::string_view huge(small, EventSorter::kMaxLine + 1);
  CHECK_THROWS_AS(s.add(1, huge, 7), std::length_error);
  CHECK_THROWS_AS(s.add_pinned(1, huge, 7), std::length_error);
  s.add(2, "ok\n", 7);
  std::vector<std::string> out;
  s.finish([&](const SortedEvent& e) { out.emplace_back(e.line); });
  CHECK(out == std::vector<std::string>{"ok\n"});
}

TEST_CASE("memory sizes") {
  CHECK(parse_memory_size("512M") == 512ull << 20);
  CHECK(parse_memory_size("2G") == 2ull << 30);
  CHECK(parse_memory_size("64k") == 64ull << 10);
  CHECK(parse_memory_size("1000") == 1000);
  CHECK(parse_memory_size("12MiB") == 12ull << 20);
  CHECK(parse_memory_size("x") == 0);
  CHECK(parse_memory_size("5T") == 0);
}

TEST_CASE("build-timeline on real records: a tiny budget gives the same bytes") {
  std::vector<std::string> inputs;
  for (auto n : {"evtx_records.jsonl", "prefetch_records.jsonl", "mft_records.jsonl",
                 "usnjrnl_records.jsonl", "registry_records.jsonl"})
    inputs.push_back(kk_test::data_path(n));
  kk::timeline::BuildOptions small;
  small.memory_budget = 8 << 10;
  kk::timeline::BuildStats s1, s2;
  std::string in_memory = kk_test::build_text(inputs, {}, &s1);
  std::string spilled = kk_test::build_text(inputs, small, &s2);
  CHECK(s1.runs == 0);
  CHECK(s2.runs > 3);
  CHECK(s1.events == s2.events);
  CHECK(in_memory == spilled);
}

TEST_CASE("a run that cannot be written or read back is reported to the caller") {
  namespace fs = std::filesystem;
  // Written beside, the failure shows at the next spill or at finish().
  for (SpillThread spill : {SpillThread::kCaller, SpillThread::kBackground}) {
    const std::string root = kk_test::temp_dir();
    auto items = random_items(6000, 7);
    bool thrown = false;
    try {
      EventSorter s(SorterOptions{64 << 10, root, RunIo::kPageCache, spill});
      std::size_t i = 0;
      for (; s.runs_written() < 2 && i < items.size(); ++i) s.add(items[i].ts, items[i].line, 7);
      REQUIRE(s.runs_written() == 2);
      // The run folder goes: the runs still to be written cannot be created. A run being
      // created beside meanwhile can leave it not empty: removed again.
      for (int tries = 0; tries < 1000 && !fs::is_empty(root); ++tries) {
        std::error_code ec;
        for (const auto& d : fs::directory_iterator(root)) fs::remove_all(d.path(), ec);
      }
      REQUIRE(fs::is_empty(root));
      for (; i < items.size(); ++i) s.add(items[i].ts, items[i].line, 7);
      s.finish([](const SortedEvent&) {});
    } catch (const std::runtime_error& e) {
      thrown = std::string(e.what()).find("run file") != std::string::npos;
    }
    CHECK(thrown);
    fs::remove_all(root);
  }
}

TEST_CASE("the runs stay until remove_runs() or the sorter's end, then are gone") {
  namespace fs = std::filesystem;
  for (bool remove_runs : {true, false}) {
    const std::string root = kk_test::temp_dir();
    auto items = random_items(6000, 11);
    std::size_t merged = 0;
    {
      EventSorter s(SorterOptions{64 << 10, root, RunIo::kPageCache});
      for (const auto& it : items) s.add(it.ts, it.line, 7);
      REQUIRE(s.runs_written() > 2);
      s.finish([&](const SortedEvent&) { ++merged; });
      // The caller's outputs are not closed yet: removing now would hold the disk.
      CHECK_FALSE(fs::is_empty(root));
      if (remove_runs) s.remove_runs();  // beside; the destructor waits for it
    }
    CHECK(merged == items.size());
    CHECK(fs::is_empty(root));
    fs::remove_all(root);
  }
}

TEST_CASE("KeyBuffer: keys kept through every growth, swap and release") {
  KeyBuffer a, b;
  // Past glibc's mmap threshold (32 MiB at most), where growing is mremap().
  const std::uint64_t n = (40u << 20) / sizeof(SortKey);
  for (std::uint64_t i = 0; i < n; ++i) a.push_back({i * 3, ~i});
  REQUIRE(a.size() == n);
  CHECK(a.capacity() >= n);
  bool same = true;
  for (std::uint64_t i = 0; i < n; ++i) same = same && a[i].key == i * 3 && a[i].value == ~i;
  CHECK(same);
  a.swap(b);
  CHECK(a.empty());
  CHECK(b.size() == n);
  CHECK(b[n - 1].key == (n - 1) * 3);
  b.resize(n + 5);  // room past the keys, unset
  CHECK(b.size() == n + 5);
  CHECK(b[n - 1].value == ~(n - 1));
  b.clear();
  CHECK(b.empty());
  CHECK(b.capacity() >= n + 5);
  b.release();
  CHECK(b.capacity() == 0);
  CHECK(b.data() == nullptr);
  b.push_back({1, 2});
  CHECK(b.capacity() == 64);
  CHECK(b[0].value == 2);
}
