// Hive reading against regfexport (libregf-utils 20201007): key and value counts of whole
// hives and single values, and damaged hives that give diagnostics, not crashes.
#include <doctest/doctest.h>

#include <fstream>

#include "../test_util.hpp"
#include "core/mapped_file.hpp"
#include "records.hpp"
#include "registry/hive.hpp"
#include "registry/marvin32.hpp"

using kk::registry::Options;

namespace {

struct Counts {
  std::size_t keys = 0, values = 0;
};

Counts raw_counts(const std::string& path) {
  Options opt;
  opt.raw = true;
  opt.plugins = false;
  opt.logs = kk::registry::LogMode::kNone;
  auto p = kk_test::parse(path, opt);
  kk_test::Records r;
  kk_test::select(p, "registry_key", r);
  Counts c;
  c.keys = r.size();
  for (auto& e : r.items) c.values += e["values"].get_array().value().size();
  return c;
}

}  // namespace

TEST_CASE("marvin32: the .NET MarvinTests vectors") {
  using kk::registry::marvin32;
  const std::uint64_t seed = 0x004FB61A001BDBCCULL;
  auto h = [&](std::initializer_list<std::uint8_t> b) {
    std::vector<std::uint8_t> v(b);
    return marvin32(kk::Bytes(v.data(), v.size()), seed);
  };
  CHECK(h({}) == 0x30ED35C100CD3C7DULL);
  CHECK(h({0xAF}) == 0x48E73FC77D75DDC1ULL);
  CHECK(h({0xE7, 0x0F}) == 0xB5F6E1FC485DBFF8ULL);
  CHECK(h({0x37, 0xF4, 0x95}) == 0xF0B07C789B8CF7E8ULL);
  CHECK(h({0x86, 0x42, 0xDC, 0x59}) == 0x7008F2E87E9CF556ULL);
  CHECK(h({0xAB, 0x42, 0x7E, 0xA8, 0xD1, 0x0F, 0xC7}) == 0xE11847E4F0678C41ULL);
}

TEST_CASE("hive: 100_sub_keys.hiv has the keys and values regfexport lists") {
  auto c = raw_counts(kk_test::test_data("100_sub_keys.hiv"));
  CHECK(c.keys == 101);  // regfexport: 101 "Key path" lines
  CHECK(c.values == 100);
  auto p = kk_test::parse(kk_test::test_data("100_sub_keys.hiv"), [] {
    Options o;
    o.raw = true;
    o.key_regex = "^42$";  // paths start below the root key (TestKey)
    return o;
  }());
  REQUIRE(p.lines.size() == 1);
  // regfexport: Key path: TestKey\42 / Value: 0 Value / Type: string (REG_SZ) / Data: String
  CHECK(p.lines[0].find("\"values\":[{\"name\":\"Value\",\"type\":\"REG_SZ\",\"size\":14,\"data\":"
                        "\"String\"}]") != std::string::npos);
}

TEST_CASE("hive: corrupt subkey list - the bad entry is reported, the 99 others are read") {
  kk::Diagnostics diag("parse-registry");
  diag.set_stderr_limit(0);
  Options opt;
  opt.raw = true;
  opt.plugins = false;
  auto p = kk_test::parse(kk_test::test_data("corrupt_sub_key_list.hiv"), opt, &diag);
  // regfexport gives up after 8 subkeys ("unable to read named key at offset: 17536").
  CHECK(p.lines.size() == 100);  // the root key TestKey and 99 of its 100 subkeys
  CHECK(diag.warnings() == 1);   // one report for the one bad cell (0x4480 + 4096)
  CHECK(p.summary.readable);
}

TEST_CASE("hive: not a hive, empty and truncated files are diagnostics, not crashes") {
  kk::Diagnostics diag("parse-registry");
  diag.set_stderr_limit(0);
  std::string tmp = kk_test::temp_file();
  auto p = kk_test::parse(tmp, {}, &diag);  // 0 bytes, like ez-registry/system.LOG1
  CHECK(!p.summary.readable);
  CHECK(diag.errors() == 1);
  std::string hive = kk_test::read_file(kk_test::test_data("100_sub_keys.hiv"));
  for (std::size_t cut : {100u, 4096u, 4200u, 9000u, 20000u}) {
    std::ofstream(tmp, std::ios::binary).write(hive.data(), static_cast<std::streamsize>(cut));
    kk::Diagnostics d("parse-registry");
    d.set_stderr_limit(0);
    Options opt;
    opt.raw = true;
    auto q = kk_test::parse(tmp, opt, &d);
    CHECK((d.errors() + d.warnings() > 0));
  }
}

TEST_CASE("hive: SECURITYNoRoot (8 KB, odd root) reads as regfexport does") {
  auto c = raw_counts(kk_test::test_data("SECURITYNoRoot"));
  CHECK(c.keys == 8);
  CHECK(c.values == 2);
}

TEST_CASE("hive: corpus hives agree with regfexport on key and value counts") {
  if (!kk_test::have_corpus()) {
    MESSAGE("corpus not found, skipped");
    return;
  }
  // Counts from regfexport's output ("Key path:" and "Value:" lines).
  struct Golden {
    const char* file;
    std::size_t keys, values;
  } golden[] = {
      {"plaso/regf/NTUSER.DAT", 1597, 2310},
      {"plaso/regf/SAM", 76, 84},
      {"plaso/winreg/Amcache.hve", 2105, 17539},
      {"plaso/winreg/win10-Amcache.hve", 207, 4188},
      {"plaso/NTUSER-WIN7.DAT", 2288, 5470},
      {"ez-registry/SECURITY", 242, 242},
      {"ez-registry/NTUSER1.DAT", 595, 878},
      {"ez-registry/BCD", 66, 46},
      {"ez-registry/UsrClassDeletedBags.dat", 37, 231},
  };
  for (auto& g : golden) {
    CAPTURE(g.file);
    auto c = raw_counts(kk_test::corpus(g.file));
    CHECK(c.keys == g.keys);
    CHECK(c.values == g.values);
  }
}

TEST_CASE("hive: values as regfexport prints them (NTUSER-WIN7.DAT)") {
  if (!kk_test::have_corpus()) {
    MESSAGE("corpus not found, skipped");
    return;
  }
  kk::Diagnostics diag("t");
  kk::MappedFile f;
  std::string err;
  REQUIRE(f.open(kk_test::corpus("plaso/NTUSER-WIN7.DAT"), &err));
  auto hive = kk::registry::Hive::from_mapping(std::move(f), "NTUSER-WIN7.DAT", diag);
  REQUIRE(hive);
  auto run = hive->find("software\\microsoft\\windows\\currentversion\\RUN");  // case-insensitive
  REQUIRE(run);
  CHECK(hive->string_value(*run, "Skype") ==
        "\"C:\\Program Files (x86)\\Skype\\Phone\\Skype.exe\" /nosplash /minimized");
  CHECK(hive->path_of(*run) == "Software\\Microsoft\\Windows\\CurrentVersion\\Run");
  CHECK(hive->base_block().minor_version == 3);
}

TEST_CASE("hive: damaged hive bin headers (corpus)") {
  if (!kk_test::have_corpus()) {
    MESSAGE("corpus not found, skipped");
    return;
  }
  // SAMBadHBinHeader: the second bin's signature is "gbin"; offset and size are intact, so the
  // bin is kept and the whole SAM is read (regfexport stops at the root).
  kk::Diagnostics diag("t");
  diag.set_stderr_limit(0);
  Options opt;
  opt.raw = true;
  opt.plugins = false;
  auto p = kk_test::parse(kk_test::corpus("ez-registry/SAMBadHBinHeader"), opt, &diag);
  CHECK(p.lines.size() == 68);  // as many keys as the undamaged ez-registry/SAM
  CHECK(diag.warnings() == 1);
  // NotAHive is a PE file: unreadable, exit status 1.
  kk::Diagnostics d2("t");
  d2.set_stderr_limit(0);
  auto q = kk_test::parse(kk_test::corpus("ez-registry/NotAHive"), {}, &d2);
  CHECK(!q.summary.readable);
  CHECK(d2.exit_code(false) == 1);
}

TEST_CASE("hive: deleted keys and values recovered from free cells (UsrClassDeletedBags.dat)") {
  if (!kk_test::have_corpus()) {
    MESSAGE("corpus not found, skipped");
    return;
  }
  Options opt;
  opt.recover_deleted = true;
  opt.plugins = false;
  kk::Diagnostics diag("t");
  diag.set_stderr_limit(0);
  auto p = kk_test::parse(kk_test::corpus("ez-registry/UsrClassDeletedBags.dat"), opt, &diag);
  kk_test::Records r;
  kk_test::select(p, "registry_key", r);
  REQUIRE(r.size() == 3);  // only deleted records without --raw
  // EZ's sample: the shellbag key BagMRU\1 was deleted; its nk, values and parent link survive.
  auto bag =
      kk_test::find(r, "key", "Local Settings\\Software\\Microsoft\\Windows\\Shell\\BagMRU\\1");
  REQUIRE(bag);
  CHECK(kk_test::str(*bag, "deleted") == "true");
  CHECK(kk_test::str(*bag, "key_last_write") == "2015-02-01T19:15:41.728363Z");
  CHECK(diag.warnings() == 0);  // damage inside deleted data is info, not a warning
}
