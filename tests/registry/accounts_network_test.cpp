// SAM accounts, network interfaces / profiles, mounted devices and USB facts on the
// corpus hives (registry/dfir-artifact-museum SAM, regipy SYSTEM hives, kept .xz there).
#include <archive.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "registry/registry.hpp"

namespace fs = std::filesystem;

namespace {
const fs::path kCorpus = fs::path(KK_CORPUS) / "registry";

// The bytes of a .xz file.
std::vector<std::uint8_t> unxz(const fs::path& path) {
  std::vector<std::uint8_t> out;
  archive* a = archive_read_new();
  archive_read_support_filter_xz(a);
  archive_read_support_format_raw(a);
  archive_entry* e = nullptr;
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) == ARCHIVE_OK &&
      archive_read_next_header(a, &e) == ARCHIVE_OK) {
    std::uint8_t buf[1 << 16];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
  }
  archive_read_free(a);
  return out;
}

std::string run(std::vector<std::uint8_t> bytes, const std::string& source) {
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  std::string out;
  kk::registry::parse_hive_bytes(std::move(bytes), source, {}, out, diag);
  return out;
}

bool has(const std::string& out, const std::string& s) {
  return out.find(s) != std::string::npos;
}
}  // namespace

TEST_CASE("sam: the Windows 10 SAM's accounts, times, counters and groups") {
  const fs::path sam = kCorpus / "dfir-artifact-museum/Win10/RathbunVM/SAM";
  if (!fs::exists(sam)) {
    MESSAGE("shared corpus not present, skipped");
    return;
  }
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  std::string out;
  kk::registry::parse_hive(sam.string(), "Registry/SAM", {}, out, diag);
  CHECK(std::count(out.begin(), out.end(), '\n') == 5);
  CHECK(has(
      out,
      R"("key":"SAM\\Domains\\Account\\Users\\000003E9","key_last_write":"2022-02-08T20:44:05.750328Z","user":"AndrewRathbun","rid":1001)"));
  CHECK(
      has(out,
          R"("created":"2022-02-05T19:31:19.814281Z","last_logon":"2022-02-08T20:44:05.750328Z")"));
  CHECK(has(out, R"("logon_count":4,"failed_logon_count":0,"disabled":false)"));
  CHECK(has(
      out,
      R"("user":"Guest","rid":501,"full_name":"","comment":"Built-in account for guest access to the computer/domain")"));
  CHECK(has(
      out,
      R"("flags":["password_not_required","normal_account","password_never_expires"],"groups":["Administrators"])"));
  CHECK(has(out, R"("user":"WDAGUtilityAccount")"));
}

TEST_CASE("system: network interfaces with the PC's own addresses, USB and mounted devices") {
  const fs::path b = kCorpus / "regipy/SYSTEM_B.xz";
  const fs::path w7 = kCorpus / "regipy/SYSTEM.xz";
  if (!fs::exists(b)) {
    MESSAGE("shared corpus not present, skipped");
    return;
  }
  std::string out = run(unxz(b), "Registry/SYSTEM");
  CHECK(has(out, R"("interface_guid":"{4b0ae068-b350-4bd4-85ab-77e00e581863}","name":"Wi-Fi")"));
  CHECK(has(out, R"("dhcp_enabled":true,"ip_addresses":["192.168.0.7"])"));
  CHECK(has(out, R"("dhcp_server":"192.168.0.1")"));
  // Lease times on this build are a counter, not POSIX seconds: null, not 1970.
  CHECK(!has(out, R"("lease_obtained":"1970)"));
  CHECK(has(
      out,
      R"("serial":"AA010215170355310594&0","serial_is_generated":false,"vendor":"SanDisk","product":"Extreme")"));
  CHECK(has(
      out,
      R"("first_install":"2018-03-27T12:11:32.021203Z","first_connected":"2018-03-27T12:11:32.021203Z","last_arrival":"2018-03-27T12:13:16.365329Z")"));
  CHECK(has(
      out,
      R"("kind":"device","device":"_??_USBSTOR#Disk&Ven_SanDisk&Prod_Extreme&Rev_0001#AA010215170355310594&0#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}","serial":"AA010215170355310594","usb":true)"));

  std::string old = run(unxz(w7), "Registry/SYSTEM");
  CHECK(has(
      old,
      R"("name":"Local Area Connection","device":"PCI\\VEN_8086&DEV_100F&SUBSYS_075015AD&REV_01\\4&B70F118&0&0888","dhcp_enabled":false,"ip_addresses":["192.168.1.123"],"static_ip_addresses":["192.168.1.123"],"subnet_masks":["255.255.255.0"],"default_gateways":["192.168.1.1"])"));
  CHECK(has(old, R"("drive_letter":"C:","volume_guid":"","kind":"mbr_disk")"));
}
