// Transaction-log replay: dirty hives built here with their .LOG1/.LOG2 (new "HvLE" format)
// or .LOG (old "DIRT" format) show that replay changes what is read, that only the pending
// entries are applied, in sequence order across both logs, and that damage stops replay.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "hive_builder.hpp"
#include "records.hpp"

using namespace kk_test;
using kk::registry::LogMode;
using kk::registry::Options;

namespace {

constexpr const char* kRun = "Software\\Microsoft\\Windows\\CurrentVersion\\Run";

// Three states of one user hive: before (on disk), mid (after entry 4), after (entry 5).
BuildKey user_hive(int state) {
  BuildKey root{"CsiTool-CreateHive-{00000000-0000-0000-0000-000000000000}"};
  root.path("Control Panel\\Desktop").values.push_back(sz("Wallpaper", "x.bmp"));
  root.path("Environment").values.push_back(sz("TEMP", "%USERPROFILE%\\AppData\\Local\\Temp"));
  auto& run = root.path(kRun);
  run.values.push_back(sz("Updater", state == 0 ? "C:\\before.exe" : "C:\\after1.exe"));
  if (state == 2) {
    run.values.push_back(sz("Implant", "C:\\Users\\Public\\implant.exe"));
    root.path("Software\\Added").values.push_back(dword("Flag", 7));
  }
  return root;
}

void write(const std::string& path, const std::vector<std::uint8_t>& b) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

std::uint32_t bins_size(const std::vector<std::uint8_t>& hive) {
  return static_cast<std::uint32_t>(hive.size() - 4096);
}

std::vector<std::string> autoruns(const Parsed& p) {
  Records r;
  select(p, "autorun", r);
  std::vector<std::string> out;
  for (auto& e : r.items) out.push_back(str(e, "name") + "=" + str(e, "command"));
  return out;
}

struct DirtySet {
  std::string dir, hive;
  std::vector<std::uint8_t> before, mid, after;
};

// As Windows leaves a hive whose write of log entry 5 was interrupted: the primary file holds
// the state after entry 4 ("mid") and sequence numbers 5 (primary) / 4 (secondary). LOG1 holds
// entry 4 (already in the file; re-applying it changes nothing) followed by a stale entry 3
// from an older use of the log (a page of zeros that must never be applied); LOG2 holds
// entry 5.
DirtySet make_dirty(const std::string& hive_name, const std::string& log_prefix) {
  DirtySet s;
  s.dir = temp_dir();
  s.before = build_hive(user_hive(0), 4, 4);
  s.mid = build_hive(user_hive(1), 5, 4);
  s.after = build_hive(user_hive(2), 6, 6);
  s.hive = s.dir + "/" + hive_name;
  write(s.hive, s.mid);
  auto log1 = log_base_block(s.mid, 6, 5);
  log1.resize(512);
  append_log_entry(log1, 4, bins_size(s.mid), changed_pages(s.before, s.mid));
  // Stale entry 3 rewriting the first page with zeros: applying it would destroy the hive.
  append_log_entry(log1, 3, bins_size(s.before), {{0, std::vector<std::uint8_t>(4096, 0)}});
  auto log2 = log_base_block(s.after, 6, 6);
  log2.resize(512);
  append_log_entry(log2, 5, bins_size(s.after), changed_pages(s.mid, s.after));
  write(s.dir + "/" + log_prefix + ".LOG1", log1);
  write(s.dir + "/" + log_prefix + ".LOG2", log2);
  return s;
}

}  // namespace

TEST_CASE("replay: new-format LOG1+LOG2 change what is read; --logs none reads the file as is") {
  auto s = make_dirty("NTUSER.DAT", "ntuser.dat");  // log names in another letter case
  Options none;
  none.logs = LogMode::kNone;
  auto raw = parse(s.hive, none);
  CHECK(raw.summary.dirty);
  CHECK(!raw.summary.replayed);
  CHECK(autoruns(raw) == std::vector<std::string>{"Updater=C:\\after1.exe"});

  kk::Diagnostics diag("parse-registry");
  diag.set_stderr_limit(0);
  auto replayed = parse(s.hive, {}, &diag);
  CHECK(replayed.summary.replayed);
  CHECK(autoruns(replayed) == std::vector<std::string>{"Updater=C:\\after1.exe",
                                                       "Implant=C:\\Users\\Public\\implant.exe"});
  CHECK(diag.warnings() == 0);
  // The evidence file is untouched.
  CHECK(read_file(s.hive) == std::string(s.mid.begin(), s.mid.end()));
  // The replayed hive equals the hive Windows would have written (hive bins identical).
  Options raw_all;
  raw_all.raw = true;
  raw_all.plugins = false;
  std::string clean = s.dir + "/clean";
  write(clean, s.after);
  auto a = parse(s.hive, raw_all), b = parse(clean, raw_all);
  REQUIRE(a.lines.size() == b.lines.size());
  for (std::size_t i = 0; i < a.lines.size(); ++i) {
    // Only "source" differs.
    auto strip = [](std::string l) { return l.substr(l.find("\"hive\"")); };
    CHECK(strip(a.lines[i]) == strip(b.lines[i]));
  }
  std::filesystem::remove_all(s.dir);
}

TEST_CASE("replay: CDIR-C names (<user>_NTUSER.dat.LOG1) are found; user from the file name") {
  auto s = make_dirty("alice_NTUSER.dat", "alice_NTUSER.dat");
  auto p = parse(s.hive);
  CHECK(p.summary.replayed);
  Records r;
  select(p, "autorun", r);
  REQUIRE(r.size() == 2);
  CHECK(str(r[0], "user") == "alice");
  CHECK(str(r[0], "hive") == "NTUSER");
  std::filesystem::remove_all(s.dir);
}

TEST_CASE("replay: only LOG1 present - entry 4 re-applied, nothing newer to read") {
  auto s = make_dirty("NTUSER.DAT", "NTUSER.DAT");
  std::filesystem::remove(s.dir + "/NTUSER.DAT.LOG2");
  auto p = parse(s.hive);
  CHECK(p.summary.replayed);
  CHECK(autoruns(p) == std::vector<std::string>{"Updater=C:\\after1.exe"});
  std::filesystem::remove_all(s.dir);
}

TEST_CASE("replay: entries missing between the hive and the log - not applied, reported") {
  auto s = make_dirty("NTUSER.DAT", "NTUSER.DAT");
  std::filesystem::remove(s.dir + "/NTUSER.DAT.LOG1");
  auto log2 = log_base_block(s.after, 6, 8);
  log2.resize(512);
  append_log_entry(log2, 7, bins_size(s.after), changed_pages(s.mid, s.after));
  write(s.dir + "/NTUSER.DAT.LOG2", log2);
  kk::Diagnostics diag("parse-registry");
  diag.set_stderr_limit(0);
  auto p = parse(s.hive, {}, &diag);
  CHECK(!p.summary.replayed);
  CHECK(diag.warnings() == 1);
  CHECK(autoruns(p) == std::vector<std::string>{"Updater=C:\\after1.exe"});
  std::filesystem::remove_all(s.dir);
}

TEST_CASE("replay: a log entry with a bad hash stops replay there") {
  auto s = make_dirty("NTUSER.DAT", "NTUSER.DAT");
  std::string log2 = read_file(s.dir + "/NTUSER.DAT.LOG2");
  log2[512 + 40 + 8 + 100] ^= 0x55;  // inside entry 5's first dirty page
  std::ofstream(s.dir + "/NTUSER.DAT.LOG2", std::ios::binary)
      .write(log2.data(), static_cast<std::streamsize>(log2.size()));
  kk::Diagnostics diag("parse-registry");
  diag.set_stderr_limit(0);
  auto p = parse(s.hive, {}, &diag);
  CHECK(autoruns(p) == std::vector<std::string>{"Updater=C:\\after1.exe"});
  std::filesystem::remove_all(s.dir);
}

TEST_CASE(
    "replay: damaged primary base block - recovered from a log, newest run of entries applied") {
  auto s = make_dirty("NTUSER.DAT", "NTUSER.DAT");
  auto broken = s.mid;
  put32(broken, 508, xor_checksum(broken) ^ 0x1000);  // wrong checksum
  write(s.hive, broken);
  kk::Diagnostics diag("parse-registry");
  diag.set_stderr_limit(0);
  auto p = parse(s.hive, {}, &diag);
  CHECK(p.summary.replayed);
  CHECK(autoruns(p) == std::vector<std::string>{"Updater=C:\\after1.exe",
                                                "Implant=C:\\Users\\Public\\implant.exe"});
  std::filesystem::remove_all(s.dir);
}

TEST_CASE("replay: a clean hive ignores its logs") {
  auto s = make_dirty("NTUSER.DAT", "NTUSER.DAT");
  write(s.hive, s.before);  // sequence numbers 4/4: clean
  auto p = parse(s.hive);
  CHECK(!p.summary.dirty);
  CHECK(!p.summary.replayed);
  CHECK(autoruns(p) == std::vector<std::string>{"Updater=C:\\before.exe"});
  std::filesystem::remove_all(s.dir);
}

TEST_CASE("replay: old-format log (DIRT bitmap of 512-byte pages), applied when timestamps match") {
  std::string dir = temp_dir();
  auto before = build_hive(user_hive(0), 9, 8);
  auto after = build_hive(user_hive(2), 9, 9);
  write(dir + "/SOFTWARE_LIKE", before);
  // Log: base block (type 1, complete), "DIRT" + bitmap, then the dirty 512-byte pages.
  std::uint32_t size = bins_size(after);
  std::vector<std::uint8_t> log = log_base_block(after, 1, 9);
  std::vector<std::uint8_t> bitmap((size / 512 + 7) / 8, 0);
  std::vector<std::uint8_t> pages;
  for (std::uint32_t page = 0; page < size / 512; ++page) {
    std::size_t off = 4096 + page * 512;
    bool same = off + 512 <= before.size() &&
                std::memcmp(before.data() + off, after.data() + off, 512) == 0;
    if (same) continue;
    bitmap[page / 8] |= static_cast<std::uint8_t>(1u << (page % 8));
    pages.insert(pages.end(), after.begin() + static_cast<std::ptrdiff_t>(off),
                 after.begin() + static_cast<std::ptrdiff_t>(off + 512));
  }
  log.insert(log.end(), {'D', 'I', 'R', 'T'});
  log.insert(log.end(), bitmap.begin(), bitmap.end());
  log.resize((log.size() + 511) / 512 * 512, 0);
  log.insert(log.end(), pages.begin(), pages.end());
  write(dir + "/SOFTWARE_LIKE.LOG", log);
  auto p = parse(dir + "/SOFTWARE_LIKE");
  CHECK(p.summary.replayed);
  CHECK(autoruns(p).size() == 2);
  // A log from another write of the hive (different last-written time) is not applied.
  put64(log, 12, 0x01D7000000000000ULL);
  put32(log, 508, xor_checksum(log));
  write(dir + "/SOFTWARE_LIKE.LOG", log);
  auto q = parse(dir + "/SOFTWARE_LIKE");
  CHECK(!q.summary.replayed);
  CHECK(autoruns(q) == std::vector<std::string>{"Updater=C:\\before.exe"});
  std::filesystem::remove_all(dir);
}

TEST_CASE("replay: damaged logs (truncated, garbage) never crash and never apply garbage") {
  auto s = make_dirty("NTUSER.DAT", "NTUSER.DAT");
  std::string log1 = read_file(s.dir + "/NTUSER.DAT.LOG1");
  for (std::size_t cut : {0u, 100u, 511u, 600u, 5000u}) {
    std::ofstream(s.dir + "/NTUSER.DAT.LOG1", std::ios::binary)
        .write(log1.data(), static_cast<std::streamsize>(std::min(cut, log1.size())));
    kk::Diagnostics diag("parse-registry");
    diag.set_stderr_limit(0);
    auto p = parse(s.hive, {}, &diag);
    CHECK(p.summary.readable);
    // Whatever is left of LOG1, entry 5 in LOG2 still follows the hive's state.
    CHECK(autoruns(p) == std::vector<std::string>{"Updater=C:\\after1.exe",
                                                  "Implant=C:\\Users\\Public\\implant.exe"});
  }
  std::filesystem::remove_all(s.dir);
}
