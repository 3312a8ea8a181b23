// ShimCache decoder on EZ AppCompatCacheParser's raw value samples. Expected counts and
// entries are those of AppCompatCacheParser's own tests (AppCompatCacheTest.cs); for
// Win2k8Standard and Win10Creators, which it does not test, they are read from the blob's
// header count and first entry by hand.
#include <doctest/doctest.h>

#include "../test_util.hpp"
#include "core/time.hpp"
#include "records.hpp"
#include "registry/shimcache.hpp"

using kk::registry::decode_shimcache;

namespace {

kk::registry::ShimCache decode_file(const std::string& path) {
  std::string bytes = kk_test::read_file(path);
  return decode_shimcache(
      kk::Bytes(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

std::string raw(const std::string& name) {
  return kk_test::corpus("ez-appcompatcacheparser/AppCompatCache_raw_values/" + name);
}

bool contains(const std::string& s, const char* part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("shimcache: Windows 7 x86 (tests/data copy)") {
  auto sc = decode_file(kk_test::test_data("win7x86.bin"));
  CHECK(sc.format == "7-32");
  REQUIRE(sc.entries.size() == 91);
  CHECK(sc.declared_count == 91u);
  CHECK(contains(sc.entries[0].path, "LogonUI.exe"));
  CHECK(sc.entries[0].executed == true);
  CHECK(contains(sc.entries[2].path, "SearchProtocolHost.exe"));
  CHECK(contains(sc.entries[8].path, "wmplayer.exe"));
  CHECK(sc.entries[8].executed == false);
  CHECK(contains(sc.entries[89].path, "reg.exe"));
  CHECK(sc.entries[90].path == "\\??\\C:\\WINDOWS\\SYSTEM32\\SETUPUGC.EXE");
  CHECK(kk::format_iso(*sc.entries[0].modified) == "2009-07-14T01:14:22.876000Z");
  CHECK(sc.problems.empty());
}

TEST_CASE("shimcache: Windows 8.0 (tests/data copy)") {
  auto sc = decode_file(kk_test::test_data("Win80.bin"));
  CHECK(sc.format == "8.0");
  REQUIRE(sc.entries.size() == 104);
  CHECK(sc.entries[0].path == "SYSVOL\\Windows\\System32\\LogonUI.exe");
  CHECK(sc.entries[0].executed == true);
  CHECK(kk::format_iso(*sc.entries[0].modified) == "2012-07-26T03:20:49.094000Z");
  CHECK(contains(sc.entries[2].path, "EditPadLite7.exe"));
  CHECK(sc.entries[2].executed == true);
  CHECK(contains(sc.entries[8].path, "svchost.exe"));
  CHECK(contains(sc.entries[100].path, "Setup.exe"));
  CHECK(sc.entries[100].executed == true);
  CHECK(contains(sc.entries[101].path, "WWAHost.exe"));
  CHECK(sc.entries[101].executed == false);
}

TEST_CASE("shimcache: every corpus header variant, XP to Windows 10 Creators") {
  if (!kk_test::have_corpus()) {
    MESSAGE("corpus not found, skipped");
    return;
  }
  SUBCASE("XP x86: 17 live entries of 96 slots") {
    auto sc = decode_file(raw("WinXPx86.bin"));
    CHECK(sc.format == "xp");
    CHECK(sc.declared_count == 96u);
    REQUIRE(sc.entries.size() == 17);
    CHECK(contains(sc.entries[0].path, "msoobe.exe"));
    CHECK(contains(sc.entries[2].path, "agentsvr.exe"));
    CHECK(contains(sc.entries[8].path, "NETSHELL.dll"));
    CHECK(!sc.entries[0].executed.has_value());
    CHECK(sc.entries[0].size.has_value());
  }
  SUBCASE("Server 2008 x64") {
    auto sc = decode_file(raw("Win2k8Standard.bin"));
    CHECK(sc.format == "2003-vista-2008-64");
    REQUIRE(sc.entries.size() == 873);
    CHECK(sc.entries[0].path ==
          "\\??\\C:\\Program Files "
          "(x86)\\StorageCraft\\ShadowProtect\\ShadowSnap\\raw_agent_svc.exe");
    CHECK(kk::format_iso(*sc.entries[0].modified) == "2014-03-27T14:35:44.000000Z");
  }
  SUBCASE("7 x64") {
    auto sc = decode_file(raw("win7x64.bin"));
    CHECK(sc.format == "7-64");
    REQUIRE(sc.entries.size() == 304);
    CHECK(contains(sc.entries[0].path, "wuauclt.exe"));
    CHECK(sc.entries[0].executed == true);
    CHECK(contains(sc.entries[2].path, "SearchFilterHost.exe"));
    CHECK(contains(sc.entries[7].path, "chrome.exe"));
    CHECK(sc.entries[7].executed == false);
    CHECK(contains(sc.entries[300].path, "chrmstp.exe"));
    CHECK(contains(sc.entries[301].path, "reg.exe"));
  }
  SUBCASE("8.1") {
    auto sc = decode_file(raw("Win81.bin"));
    CHECK(sc.format == "8.1");
    REQUIRE(sc.entries.size() == 1024);
    CHECK(contains(sc.entries[0].path, "java.exe"));
    CHECK(contains(sc.entries[2].path, "SpotifyHelper.exe"));
    CHECK(contains(sc.entries[8].path, "dllhost.exe"));
    CHECK(contains(sc.entries[1011].path, "osTriage2.exe"));
    CHECK(contains(sc.entries[1023].path, "setup.exe"));
    CHECK(sc.entries[1023].executed == true);
  }
  SUBCASE("10") {
    auto sc = decode_file(raw("Win10.bin"));
    CHECK(sc.format == "10");
    REQUIRE(sc.entries.size() == 350);
    CHECK(sc.entries[0].path == "C:\\WINDOWS\\System32\\vds.exe");
    CHECK(!sc.entries[0].executed.has_value());
    CHECK(contains(sc.entries[2].path, "DismHost.exe"));
    CHECK(contains(sc.entries[7].path, "mstsc.exe"));
    CHECK(contains(sc.entries[337].path, "Ngen.exe"));
    CHECK(contains(sc.entries[349].path, "services.exe"));
    CHECK(kk::format_iso(*sc.entries[0].modified) == "2015-03-14T08:51:44.911306Z");
    CHECK(sc.problems.empty());
  }
  SUBCASE("10 Creators Update (0x34-byte header)") {
    auto sc = decode_file(raw("Win10Creators.bin"));
    CHECK(sc.format == "10-creators");
    CHECK(sc.declared_count == 506u);
    REQUIRE(sc.entries.size() == 506);
    CHECK(sc.entries[0].path ==
          "C:\\Program Files (x86)\\NVIDIA Corporation\\3D Vision\\nvstreg.exe");
    CHECK(sc.entries[505].path == "C:\\WINDOWS\\system32\\services.exe");
  }
}

TEST_CASE("shimcache: truncated and unknown values report problems, keep what came before") {
  std::string bytes = kk_test::read_file(kk_test::test_data("win7x86.bin"));
  kk::Bytes b(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  auto cut = decode_shimcache(b.subspan(0, 128 + 32 * 10 + 5));
  CHECK(cut.entries.size() <= 10);
  CHECK(!cut.problems.empty());
  std::uint8_t junk[16] = {1, 2, 3, 4};
  auto unknown = decode_shimcache(kk::Bytes(junk, sizeof junk));
  CHECK(unknown.entries.empty());
  CHECK(!unknown.problems.empty());
}
