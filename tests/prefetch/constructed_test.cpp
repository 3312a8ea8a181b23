// Prefetch layouts the corpus does not hold (version 31, version 30 variant 2,
// "MAM\x84"), built field by field from the format description, and damage.
#include <doctest/doctest.h>

#include <string>

#include "core/time.hpp"
#include "prefetch/prefetch.hpp"
#include "scca_builder.hpp"

namespace {

using kk_test::SccaSpec;

// FILETIME of 2024-06-01T09:30:15.1234567Z plus N seconds.
std::uint64_t filetime(int n) {
  const std::int64_t unix_s = kk::days_from_civil(2024, 6, 1) * 86400 + 9 * 3600 + 30 * 60 + 15 + n;
  return static_cast<std::uint64_t>(unix_s) * 10'000'000ULL + kk::kFiletimeUnixEpoch + 1'234'567;
}

SccaSpec windows11_spec() {
  SccaSpec s;
  s.version = 31;
  s.executable = "POWERSHELL.EXE";
  s.hash = 0x022A1004;
  s.run_count = 9;
  for (int i = 0; i < 8; ++i) s.last_run_filetimes.push_back(filetime(-3600 * i));
  const std::string vol = "\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}";
  s.files = {
      {vol + "\\WINDOWS\\SYSTEM32\\NTDLL.DLL", 0x0001000000000123ULL},
      {vol + "\\WINDOWS\\SYSTEM32\\WINDOWSPOWERSHELL\\V1.0\\POWERSHELL.EXE", 0x0003000000045678ULL},
      {vol + "\\USERS\\TARO\\DESKTOP\\資料.PS1", 0},
      {vol + "\\WINDOWS\\SYSTEM32\\KERNEL32.DLL", 0x0002000000000456ULL}};
  s.volumes = {{vol,
                filetime(-86400 * 300),
                0x5A6B7C8D,
                {vol + "\\USERS", vol + "\\USERS\\TARO", vol + "\\WINDOWS\\SYSTEM32"},
                {0x0001000000000123ULL, 0x0002000000000456ULL}}};
  return s;
}

kk::PrefetchInfo parse_ok(const std::vector<std::uint8_t>& data) {
  auto r = kk::parse_prefetch(data);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
  return *r;
}

void check_windows11_fields(const kk::PrefetchInfo& p) {
  CHECK(p.version == 31);
  CHECK(p.executable == "POWERSHELL.EXE");
  CHECK(p.prefetch_hash == 0x022A1004);
  CHECK(p.run_count == 9);
  REQUIRE(p.last_run_times.size() == 8);
  CHECK(kk::format_iso(p.last_run_times[0]) == "2024-06-01T09:30:15.123456Z");
  CHECK(kk::format_iso(p.last_run_times[7]) == "2024-06-01T02:30:15.123456Z");
  REQUIRE(p.files.size() == 4);
  CHECK(p.files[1].path ==
        "\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}\\WINDOWS\\SYSTEM32\\WINDOWSPOWERSHELL\\V1."
        "0\\POWERSHELL.EXE");
  CHECK(p.files[2].path == "\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}\\USERS\\TARO\\DESKTOP\\資料.PS1");
  REQUIRE(p.files[1].reference.has_value());
  CHECK(p.files[1].reference->entry == 0x45678);
  CHECK(p.files[1].reference->sequence == 3);
  CHECK_FALSE(p.files[2].reference.has_value());
  REQUIRE(p.volumes.size() == 1);
  CHECK(p.volumes[0].device_path == "\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}");
  CHECK(p.volumes[0].serial == 0x5A6B7C8D);
  REQUIRE(p.volumes[0].created.has_value());
  CHECK(kk::format_iso(*p.volumes[0].created) == "2023-08-06T09:30:15.123456Z");
  CHECK(p.volumes[0].directories.size() == 3);
  CHECK(p.volumes[0].directories[2] == "\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}\\WINDOWS\\SYSTEM32");
  CHECK(p.volumes[0].file_reference_count == 2);
  CHECK(p.issues.empty());
}

}  // namespace

TEST_CASE("version 31: uncompressed SCCA with the 212-byte file information") {
  const auto data = kk_test::build_scca(windows11_spec());
  auto p = parse_ok(data);
  CHECK(p.format == "SCCA");
  check_windows11_fields(p);
}

TEST_CASE("version 31 in a MAM\\x84 container with a valid CRC32") {
  const auto data = kk_test::build_mam(kk_test::build_scca(windows11_spec()), true);
  auto p = parse_ok(data);
  CHECK(p.format == "MAM");
  CHECK(p.size == data.size());
  check_windows11_fields(p);
}

TEST_CASE("MAM\\x84 with a wrong CRC32 is decoded and reported") {
  auto data = kk_test::build_mam(kk_test::build_scca(windows11_spec()), true);
  data[8] ^= 0x01;  // the stored checksum
  auto p = parse_ok(data);
  CHECK(p.executable == "POWERSHELL.EXE");
  REQUIRE(p.issues.size() == 1);
  CHECK(p.issues[0].offset == 8);
  CHECK(p.issues[0].message.find("CRC32 mismatch") != std::string::npos);
}

TEST_CASE("a large version 31 file spans several LZXPRESS Huffman blocks") {
  SccaSpec s = windows11_spec();
  for (int i = 0; i < 2000; ++i)
    s.files.push_back({"\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}\\PROGRAM FILES\\APP\\MODULE" +
                           std::to_string(i) + ".DLL",
                       static_cast<std::uint64_t>(i + 1)});
  const auto scca = kk_test::build_scca(s);
  REQUIRE(scca.size() > 3 * 65536);
  auto p = parse_ok(kk_test::build_mam(scca, false));
  REQUIRE(p.files.size() == 2004);
  CHECK(p.files[2003].path ==
        "\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}\\PROGRAM FILES\\APP\\MODULE1999.DLL");
  CHECK(p.files[2003].reference->entry == 2000);
  CHECK(p.uncompressed_size == scca.size());
}

TEST_CASE("every version's layout: 17, 23, 26, 30 (both variants), 31") {
  struct Case {
    std::uint32_t version;
    bool variant1;
    std::size_t slots;
  };
  for (Case c : {Case{17, false, 1}, Case{23, false, 1}, Case{26, false, 8}, Case{30, true, 8},
                 Case{30, false, 8}, Case{31, false, 8}}) {
    CAPTURE(c.version);
    CAPTURE(c.variant1);
    SccaSpec s = windows11_spec();
    s.version = c.version;
    s.v30_variant1 = c.variant1;
    auto p = parse_ok(kk_test::build_scca(s));
    CHECK(p.version == c.version);
    CHECK(p.run_count == 9);
    CHECK(p.last_run_times.size() == c.slots);
    CHECK(p.files.size() == 4);
    // Version 17 file metrics carry no file references.
    CHECK(p.files[0].reference.has_value() == (c.version != 17));
    REQUIRE(p.volumes.size() == 1);
    CHECK(p.volumes[0].serial == 0x5A6B7C8D);
    CHECK(p.volumes[0].directories.size() == 3);
    CHECK(p.issues.empty());
  }
}

TEST_CASE("damage: every truncation parses or fails cleanly, and says what is missing") {
  const auto full = kk_test::build_scca(windows11_spec());
  for (std::size_t cut = 0; cut < full.size(); cut += 7) {
    CAPTURE(cut);
    std::vector<std::uint8_t> part(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(cut));
    auto r = kk::parse_prefetch(part);
    if (cut < 84) {
      CHECK_FALSE(r.ok());
    } else {
      REQUIRE(r.ok());
      CHECK_FALSE(r->issues.empty());  // at least the header's file size disagrees
    }
  }
  // Truncated MAM streams are refused with a decoding error.
  const auto mam = kk_test::build_mam(full, false);
  for (std::size_t cut = 8; cut < mam.size() - 8; cut += 97) {
    std::vector<std::uint8_t> part(mam.begin(), mam.begin() + static_cast<std::ptrdiff_t>(cut));
    auto r = kk::parse_prefetch(part);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.rfind("compressed (MAM) prefetch file: ", 0) == 0);
  }
}

TEST_CASE("damage: absurd counts are bounded by the data") {
  auto data = kk_test::build_scca(windows11_spec());
  const std::size_t fi = 84;
  SUBCASE("file metrics count") {
    data[fi + 4] = data[fi + 5] = data[fi + 6] = data[fi + 7] = 0xFF;
    auto p = parse_ok(data);
    CHECK(p.files.size() < 200);
    CHECK_FALSE(p.issues.empty());
  }
  SUBCASE("volume count") {
    data[fi + 28] = data[fi + 29] = data[fi + 30] = data[fi + 31] = 0xFF;
    auto p = parse_ok(data);
    CHECK(p.volumes.size() >= 1);
    CHECK_FALSE(p.issues.empty());
  }
  SUBCASE("unknown version") {
    data[0] = 32;
    auto r = kk::parse_prefetch(data);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message ==
          "unsupported prefetch format version 32 (17, 23, 26, 30 and 31 are known)");
  }
}

TEST_CASE("consistency: executable missing from the loaded files, hash differing from the name") {
  SccaSpec s = windows11_spec();
  s.files.erase(s.files.begin() + 1);  // drop POWERSHELL.EXE itself
  auto p = parse_ok(kk_test::build_scca(s));
  kk::check_consistency(p, "/case/Prefetch/POWERSHELL.EXE-DEADBEEF.pf");
  REQUIRE(p.issues.size() == 2);
  CHECK(p.issues[0].message ==
        "prefetch hash 022A1004 differs from the hash in the file name "
        "\"POWERSHELL.EXE-DEADBEEF.pf\"");
  CHECK(p.issues[1].message == "executable \"POWERSHELL.EXE\" is not among the 3 loaded files");
  CHECK(p.issues[1].severity == kk::Severity::kInfo);

  auto ok = parse_ok(kk_test::build_scca(windows11_spec()));
  kk::check_consistency(ok, "POWERSHELL.EXE-022A1004.pf");
  kk::check_consistency(ok, "Op-POWERSHELL.EXE-022A1004-000000F5.pf");  // Windows 10 "Op-" form
  kk::check_consistency(ok, "notepad.exe:evil.pf");                     // no hash in the name
  CHECK(ok.issues.empty());
}

TEST_CASE("records: the contract's JSONL line for a version 31 file") {
  auto p = parse_ok(kk_test::build_scca(windows11_spec()));
  p.files.resize(2);
  p.last_run_times.resize(1);
  std::string out;
  kk::append_prefetch_json(out, p, "Prefetch/POWERSHELL.EXE-022A1004.pf");
  CHECK(out ==
        "{\"artifact\":\"prefetch\",\"source\":\"Prefetch/"
        "POWERSHELL.EXE-022A1004.pf\",\"version\":31,"
        "\"executable\":\"POWERSHELL.EXE\",\"prefetch_hash\":\"022A1004\",\"run_count\":9,"
        "\"last_run_times\":[\"2024-06-01T09:30:15.123456Z\"],"
        "\"files\":[\"\\\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}\\\\WINDOWS\\\\SYSTEM32\\\\NTDLL.DLL\","
        "\"\\\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}\\\\WINDOWS\\\\SYSTEM32\\\\WINDOWSPOWERSHELL\\\\V1."
        "0\\\\POWERSHELL.EXE\"],"
        "\"directories\":[\"\\\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}\\\\USERS\","
        "\"\\\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}\\\\USERS\\\\TARO\","
        "\"\\\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}\\\\WINDOWS\\\\SYSTEM32\"],"
        "\"volumes\":[{\"device_path\":\"\\\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}\",\"serial\":"
        "\"5A6B7C8D\","
        "\"created\":\"2023-08-06T09:30:15.123456Z\",\"directory_count\":3,\"file_reference_"
        "count\":2}],"
        "\"executable_path\":\"\\\\VOLUME{01da1b2c3d4e5f60-5a6b7c8d}\\\\WINDOWS\\\\SYSTEM32\\\\"
        "WINDOWSPOWERSHELL\\\\V1.0\\\\POWERSHELL.EXE\","
        "\"path_hash_match\":null,\"format\":\"SCCA\",\"size\":" +
            std::to_string(p.size) +
            ",\"file_references\":[{\"entry\":291,\"sequence\":1},{\"entry\":284280,\"sequence\":3}"
            "]}\n");
}

TEST_CASE("--format csv: an executable name that is a formula stays text (issue #22)") {
  kk::PrefetchInfo info;
  info.format = "SCCA";
  info.version = 30;
  info.executable = "=CMD|' /C calc'!A0";
  std::string out;
  kk::append_prefetch_csv(out, info, "-evil.pf");
  INFO(out);
  CHECK(out.rfind("\"'-evil.pf\",SCCA,30,\"'=CMD|' /C calc'!A0\",", 0) == 0);
}
