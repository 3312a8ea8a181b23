// Damage handling on real data made hostile: nothing crashes, every record that
// is intact still comes out, and damage is reported with an offset.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "../test_util.hpp"
#include "normalize.hpp"

using kk_evtx_test::parse;

namespace {

const std::string kData = std::string(KK_TEST_DATA) + "/evtx/";

std::string write_temp(const std::string& bytes) {
  std::string path = kk_test::temp_file();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// Every line is one valid JSON object.
bool all_valid_json(const std::string& jsonl) {
  simdjson::dom::parser p;
  std::size_t pos = 0;
  while (pos < jsonl.size()) {
    std::size_t nl = jsonl.find('\n', pos);
    if (nl == std::string::npos) return false;
    simdjson::dom::element e;
    if (p.parse(jsonl.data() + pos, nl - pos).get(e)) return false;
    pos = nl + 1;
  }
  return true;
}

std::size_t count_recovered(const std::string& jsonl) {
  std::size_t n = 0;
  for (std::size_t p = 0; (p = jsonl.find("\"recovered\":true", p)) != std::string::npos; ++p) ++n;
  return n;
}

}  // namespace

TEST_CASE("damage: truncated file at every 4 KiB boundary and odd sizes") {
  std::string orig = kk_test::read_file(kData + "Security_short_selected.evtx");
  for (std::size_t len : {0ul, 100ul, 4096ul, 4096ul + 100, 4096ul + 512, 4096ul + 7000,
                          4096ul + 20000, orig.size() - 1}) {
    CAPTURE(len);
    std::string path = write_temp(orig.substr(0, len));
    auto p = parse(path);
    CHECK(all_valid_json(p.jsonl));
    CHECK(p.stats.records <= 7);
    std::remove(path.c_str());
  }
  // 7000 bytes into the chunk: records wholly inside are kept (the 4th starts at 0x2000+).
  std::string path = write_temp(orig.substr(0, 4096 + 7000));
  auto p = parse(path);
  CHECK(p.stats.records >= 3);
  CHECK(p.warnings > 0);
  std::remove(path.c_str());
}

TEST_CASE("damage: a corrupt record header is skipped, the others parsed, the offset reported") {
  std::string b = kk_test::read_file(kData + "Security_short_selected.evtx");
  // Second record starts at file offset 6880 (see the golden test): break its signature.
  REQUIRE(b.substr(6880, 2) == "**");
  b[6880] = 'X';
  std::string path = write_temp(b);
  auto p = parse(path);
  CHECK(p.stats.records == 6);
  CHECK(p.stats.damaged == 1);
  CHECK(p.jsonl.find("\"record_id\":319457830") == std::string::npos);
  CHECK(p.jsonl.find("\"record_id\":319457831") != std::string::npos);
  std::remove(path.c_str());
}

TEST_CASE("damage: bad chunk magic; --recover carves its records") {
  std::string b = kk_test::read_file(kData + "Security_short_selected.evtx");
  std::memcpy(&b[4096], "XXXXXXXX", 8);
  std::string path = write_temp(b);
  auto p = parse(path);
  CHECK(p.stats.records == 0);
  CHECK(p.stats.bad_chunks == 1);
  CHECK(p.warnings >= 1);
  kk::evtx::Options opt;
  opt.recover = true;
  auto r = parse(path, opt);
  // 7 live records, plus 8 older UniversalTelemetryClient records (ids 891-898) left in
  // the chunk's slack, which evtxexport -m recovered does not find.
  CHECK(r.stats.recovered == 15);
  CHECK(count_recovered(r.jsonl) == 15);
  CHECK(r.jsonl.find("\"record_id\":898,") != std::string::npos);
  CHECK(all_valid_json(r.jsonl));
  std::remove(path.c_str());
}

TEST_CASE("damage: chunks beyond the header's chunk count are read; --recover does not duplicate") {
  std::string b = kk_test::read_file(kData + "Security_short_selected.evtx");
  std::string two = b + b.substr(4096, 65536);  // header still says 1 chunk
  std::string path = write_temp(two);
  auto p = parse(path);
  CHECK(p.stats.records == 14);
  kk::evtx::Options opt;
  opt.recover = true;
  auto r = parse(path, opt);
  CHECK(r.stats.records == 22);
  CHECK(r.stats.recovered == 8);  // the same slack records in both chunks: emitted once
  std::remove(path.c_str());
}

TEST_CASE("damage: --recover does not emit a slack copy of a live record") {
  std::string b = kk_test::read_file(kData + "Security_short_selected.evtx");
  std::uint32_t free_off, size;
  std::memcpy(&free_off, &b[4096 + 48], 4);
  std::memcpy(&size, &b[6880 + 4], 4);  // record 319457830
  std::size_t at = 4096 + ((free_off + 7) & ~7u);
  b.replace(at, size, b.substr(6880, size));  // a stale copy in the slack
  std::string path = write_temp(b);
  kk::evtx::Options opt;
  opt.recover = true;
  auto r = parse(path, opt);
  CHECK(r.stats.records == 7 + r.stats.recovered);
  std::size_t n = 0;
  for (std::size_t p = 0; (p = r.jsonl.find("\"record_id\":319457830,", p)) != std::string::npos;
       ++p)
    ++n;
  CHECK(n == 1);
  std::remove(path.c_str());
}

TEST_CASE("damage: checksum mismatch is reported and the chunk still parsed") {
  std::string b = kk_test::read_file(kData + "Security_short_selected.evtx");
  b[4096 + 60] ^= 0x55;  // inside the chunk header's unknown area: CRC no longer matches
  std::string path = write_temp(b);
  auto p = parse(path);
  CHECK(p.stats.records == 7);
  CHECK(p.warnings == 1);
  std::remove(path.c_str());
}

TEST_CASE("damage: random byte corruption never crashes and always yields valid JSON") {
  std::string orig = kk_test::read_file(kData + "sysmon_13_keylogger_directx.evtx");
  std::mt19937 rng(1234);
  std::string path = kk_test::temp_file();
  for (int round = 0; round < 60; ++round) {
    std::string b = orig;
    int flips = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < flips; ++i) {
      std::size_t at = 4096 + rng() % (b.size() - 4096);
      b[at] = static_cast<char>(rng());
    }
    std::ofstream(path, std::ios::binary | std::ios::trunc) << b;
    kk::evtx::Options opt;
    opt.recover = round % 2 == 0;
    opt.xml = round % 3 == 0;
    auto p = parse(path, opt);
    CHECK(all_valid_json(p.jsonl));
  }
  std::remove(path.c_str());
}

TEST_CASE("damage: --recover keeps an old record whose id was reused after a log clear") {
  std::string b = kk_test::read_file(kData + "Security_short_selected.evtx");
  std::uint32_t free_off, size;
  std::memcpy(&free_off, &b[4096 + 48], 4);
  std::memcpy(&size, &b[6880 + 4], 4);
  std::string copy = b.substr(6880, size);
  std::uint64_t t;
  std::memcpy(&t, &copy[16], 8);
  t -= 864000000000ULL;  // written a day earlier: a different record with the same id
  std::memcpy(&copy[16], &t, 8);
  std::size_t at = 4096 + ((free_off + 7) & ~7u);
  b.replace(at, size, copy);
  std::string path = write_temp(b);
  kk::evtx::Options opt;
  opt.recover = true;
  auto r = parse(path, opt);
  std::size_t n = 0;
  for (std::size_t p = 0; (p = r.jsonl.find("\"record_id\":319457830,", p)) != std::string::npos;
       ++p)
    ++n;
  CHECK(n == 2);
  std::remove(path.c_str());
}

TEST_CASE("thousands of tiny .evtx files: bounded mappings and open files, each reported") {
  // Issue #22: a zip with 70,000 16-byte .evtx entries mapped every file up front and ran
  // into the kernel's mapping limit (std::bad_alloc). Files are now read with pread() and
  // opened only while their chunks are in the window of work in flight (issue #21).
  std::string dir = kk_test::temp_dir();
  std::vector<kk::evtx::Input> inputs;
  for (int i = 0; i < 1500; ++i) {
    std::string p = dir + "/tiny" + std::to_string(i) + ".evtx";
    std::ofstream(p, std::ios::binary) << std::string(16, 'E');
    inputs.push_back({p, "Evtx/tiny" + std::to_string(i) + ".evtx"});
  }
  inputs.push_back({kData + "Security_short_selected.evtx", "Evtx/Security.evtx"});
  auto maps = [] {
    std::ifstream in("/proc/self/maps");
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  };
  auto fds = [] {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
    return n;
  };
  const std::size_t before = maps(), fds_before = fds();
  std::size_t most = 0, most_fds = 0, records = 0;
  kk::Diagnostics diag("parse-evtx");
  diag.set_stderr_limit(0);
  kk::evtx::Options opt;
  opt.jobs = 2;
  auto st = kk::evtx::parse_files(inputs, opt, diag, [&](std::string_view lines) {
    most = std::max(most, maps());
    most_fds = std::max(most_fds, fds());
    for (char c : lines) records += c == '\n';
  });
  diag.finish();
  CHECK(st.unreadable_files == 1500);
  CHECK(diag.errors() == 1500);  // each is still named (in the JSONL), only stderr is grouped
  CHECK(records > 0);
  INFO("mappings before " << before << ", most while parsing " << most);
  CHECK(most < before + 400);  // was: one mapping per file, 1,500 more
  INFO("open files before " << fds_before << ", most while parsing " << most_fds);
  CHECK(most_fds < fds_before + 64);
  std::filesystem::remove_all(dir);
}
