// A spilled run reads back exactly what was written, compressed in frames; a damaged or cut
// run is reported, never read past.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "timeline/run_file.hpp"
#include "timeline_test_util.hpp"

using namespace kk::timeline;

namespace {
struct Written {
  kk::UtcMicros ts;
  std::uint64_t seq;
  std::uint32_t host_pos;
  std::string line;
};

std::vector<Written> sample_events() {
  std::vector<Written> v;
  for (std::uint64_t i = 0; i < 3000; ++i)
    v.push_back({static_cast<kk::UtcMicros>(i * 1000 - 5000), i, static_cast<std::uint32_t>(i % 5),
                 "{\"artifact\":\"evtx\",\"record_id\":" + std::to_string(i) + "}\n"});
  v.insert(v.begin() + 1000, {7, 9999, 1, std::string(100000, 'L') + "\n"});  // > a frame
  v.insert(v.begin() + 2000, {8, 10000, 2, ""});                              // empty line
  return v;
}

void write_run(const std::string& path, const std::vector<Written>& events, bool direct,
               std::uint64_t* bytes = nullptr) {
  RunWriter w(path, 8192, 4096, direct);
  for (const auto& e : events) w.write(e.ts, e.seq, e.host_pos, e.line);
  w.close();
  if (bytes) *bytes = w.bytes();
}

std::vector<Written> read_run(const std::string& path, bool direct) {
  RunPrefetcher fetch;
  FrameDecoder decoder;
  RunReader r(path, 8192, direct, fetch, decoder);
  std::vector<Written> out;
  while (r.next()) {
    const SortedEvent& e = r.current();
    out.push_back({e.timestamp, e.batch, e.host_pos, std::string(e.line)});
  }
  return out;
}

bool same(const std::vector<Written>& a, const std::vector<Written>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].ts != b[i].ts || a[i].seq != b[i].seq || a[i].host_pos != b[i].host_pos ||
        a[i].line != b[i].line)
      return false;
  return true;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void overwrite(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// What reading PATH throws ("" when it reads to its end).
std::string read_error(const std::string& path) {
  try {
    read_run(path, false);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a run reads back every event as written, compressed, with and without O_DIRECT") {
  const std::string dir = kk_test::temp_dir();
  const auto events = sample_events();
  std::uint64_t raw = 0;
  for (const auto& e : events) raw += 24 + e.line.size();
  for (bool direct : {false, true}) {
    const std::string path = dir + "/run.bin";
    std::uint64_t bytes = 0;
    write_run(path, events, direct, &bytes);
    CHECK(bytes == std::filesystem::file_size(path));
    CHECK(bytes * 4 < raw);  // the repeated keys compress
    CHECK(same(read_run(path, direct), events));
    // Read in blocks of another size: frames then straddle blocks elsewhere.
    RunPrefetcher fetch;
    FrameDecoder decoder;
    RunReader r(path, 4096, direct, fetch, decoder);
    std::size_t n = 0;
    while (r.next()) ++n;
    CHECK(n == events.size());
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("an empty run reads as no event") {
  const std::string dir = kk_test::temp_dir();
  write_run(dir + "/run.bin", {}, false);
  CHECK(read_run(dir + "/run.bin", false).empty());
  std::filesystem::remove_all(dir);
}

TEST_CASE("a damaged or cut run is reported, not read past") {
  const std::string dir = kk_test::temp_dir();
  const std::string path = dir + "/run.bin";
  write_run(path, sample_events(), false);
  const std::string good = slurp(path);
  REQUIRE(good.size() > 64);

  SUBCASE("a byte changed inside a frame") {
    std::string bad = good;
    bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 0x5a);
    overwrite(path, bad);
    CHECK(read_error(path).find("run file") != std::string::npos);
  }
  SUBCASE("cut short") {
    overwrite(path, good.substr(0, good.size() - 10));
    CHECK(read_error(path).find("run file truncated") != std::string::npos);
  }
  SUBCASE("a header announcing 2 GiB of events") {
    std::string bad = good;
    const unsigned char huge[4] = {0x00, 0x00, 0x00, 0x80};
    bad.replace(4, 4, reinterpret_cast<const char*>(huge), 4);
    overwrite(path, bad);
    CHECK(read_error(path).find("run file damaged") != std::string::npos);
  }
  SUBCASE("a header of zeros") {
    std::string bad = good;
    bad.replace(0, 8, std::string(8, '\0'));
    overwrite(path, bad);
    CHECK(read_error(path).find("run file damaged") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}
