// Plugins: SYSTEM and SOFTWARE hives built here (the corpus has neither), NTUSER, UsrClass and
// Amcache from the corpus with values checked against regfexport's output.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "hive_builder.hpp"
#include "records.hpp"

using namespace kk_test;

namespace {

constexpr std::uint64_t kFt2024 = 133537248000000000ULL;  // 2024-03-01T00:00:00Z

std::string write_temp(const std::vector<std::uint8_t>& b) {
  std::string p = temp_file();
  std::ofstream(p, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  return p;
}

std::vector<std::uint8_t> bytes_of(const std::string& s) {
  return {s.begin(), s.end()};
}

// A SYSTEM hive: Select\Current = 2, so ControlSet002 is the one to read; ControlSet001 is a
// decoy holding other values.
std::vector<std::uint8_t> system_hive() {
  BuildKey root{"ROOT"};
  root.path("Select").values = {dword("Current", 2), dword("Default", 2)};
  root.path("ControlSet001\\Control\\ComputerName\\ComputerName").values = {
      sz("ComputerName", "DECOY")};
  std::string cs = "ControlSet002\\";
  root.path(cs + "Control\\ComputerName\\ComputerName").values = {sz("ComputerName", "PC01")};
  root.path(cs + "Control\\TimeZoneInformation").values = {
      dword("Bias", 0xFFFFFDE4u), dword("ActiveTimeBias", 0xFFFFFDE4u),
      sz("TimeZoneKeyName", "Tokyo Standard Time"), sz("StandardName", "@tzres.dll,-632")};
  root.path(cs + "Control\\Windows").values = {binary("ShutdownTime", le64(kFt2024))};
  // The Windows 7 ShimCache sample is 17 KB: stored as big data (db) segments.
  root.path(cs + "Control\\Session Manager\\AppCompatCache").values = {
      binary("AppCompatCache", bytes_of(read_file(test_data("win7x86.bin"))))};
  auto bam = le64(kFt2024 + 10'000'000);
  bam.resize(24, 0);
  root.path(cs + "Services\\bam\\State\\UserSettings\\S-1-5-21-1-2-3-1001").values = {
      dword("Version", 1), binary("\\Device\\HarddiskVolume3\\Users\\alice\\evil.exe", bam)};
  auto& svc = root.path(cs + "Services\\EvilSvc");
  svc.values = {sz("ImagePath", "C:\\ProgramData\\evil.exe -k"), dword("Start", 2),
                dword("Type", 16), sz("ObjectName", "LocalSystem"),
                sz("DisplayName", "Evil Service")};
  root.path(cs + "Services\\Shared\\Parameters").values = {sz("ServiceDll", "C:\\x\\shared.dll")};
  root.path(cs + "Services\\Shared").values = {
      dword("Type", 32),
      dword("Start", 3),
      {"ImagePath", 2, utf16z("%SystemRoot%\\system32\\svchost.exe -k netsvcs")}};
  std::string dev = cs + "Enum\\USBSTOR\\Disk&Ven_SanDisk&Prod_Cruzer&Rev_1.00\\4C530001234567&0";
  root.path(dev).values = {sz("FriendlyName", "SanDisk Cruzer USB Device")};
  root.path(dev + "\\Properties\\{83da6326-97a6-4088-9453-a1923f573b29}\\0064").values = {
      {"", 0x10, le64(kFt2024)}};
  root.path(dev + "\\Properties\\{83da6326-97a6-4088-9453-a1923f573b29}\\0066").values = {
      {"", 0x10, le64(kFt2024 + 36'000'000'000ULL)}};
  return build_hive(root);
}

// TaskCache Actions blob, version 3: context "Author", one exec action.
std::vector<std::uint8_t> task_actions() {
  std::vector<std::uint8_t> b = {3, 0};
  auto counted = [&](const std::string& s) {
    std::vector<std::uint8_t> u;  // counted strings carry no NUL
    for (char c : s) u.insert(u.end(), {static_cast<std::uint8_t>(c), 0});
    auto n = le32(static_cast<std::uint32_t>(u.size()));
    b.insert(b.end(), n.begin(), n.end());
    b.insert(b.end(), u.begin(), u.end());
  };
  counted("Author");
  b.push_back(0x66);
  b.push_back(0x66);
  counted("");
  counted("C:\\Users\\Public\\evil.exe");
  counted("-silent");
  counted("C:\\Users\\Public");
  b.push_back(0);
  b.push_back(0);
  return b;
}

std::vector<std::uint8_t> software_hive() {
  BuildKey root{"ROOT"};
  root.path("Classes");
  std::string nt = "Microsoft\\Windows NT\\CurrentVersion";
  root.path(nt).values = {sz("ProductName", "Windows 10 Pro"), sz("CurrentBuild", "19045"),
                          dword("InstallDate", 1700000000u), sz("DisplayVersion", "22H2")};
  root.path(nt + "\\Winlogon").values = {
      sz("Userinit", "C:\\Windows\\system32\\userinit.exe,C:\\evil.exe,"),
      sz("Shell", "explorer.exe")};
  root.path(nt + "\\Image File Execution Options\\sethc.exe").values = {
      sz("Debugger", "C:\\Windows\\System32\\cmd.exe")};
  root.path(nt + "\\Image File Execution Options\\notepad.exe").values = {dword("GlobalFlag", 0)};
  root.path("Microsoft\\Windows\\CurrentVersion\\Run").values = {
      sz("SecurityHealth", "C:\\Windows\\system32\\SecurityHealthSystray.exe")};
  root.path("Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\RunOnce").values = {
      sz("Once", "C:\\once.exe")};
  std::string task = nt + "\\Schedule\\TaskCache\\Tasks\\{11111111-2222-3333-4444-555555555555}";
  std::vector<std::uint8_t> dyn = le32(3);
  for (std::uint64_t t : {kFt2024, kFt2024 + std::uint64_t{600'000'000}}) {
    auto x = le64(t);
    dyn.insert(dyn.end(), x.begin(), x.end());
  }
  dyn.resize(36, 0);
  root.path(task).values = {sz("Path", "\\Microsoft\\Windows\\Updater"),
                            binary("Actions", task_actions()), binary("DynamicInfo", dyn)};
  root.path(nt + "\\ProfileList\\S-1-5-21-1-2-3-1001").values = {
      {"ProfileImagePath", 2, utf16z("C:\\Users\\alice")}};
  root.path("Microsoft\\Windows Defender\\Exclusions\\Paths").values = {
      dword("C:\\Users\\Public", 0)};
  root.path("Microsoft\\Windows Defender\\Exclusions\\Extensions").values = {dword("ps1", 0)};
  return build_hive(root);
}

}  // namespace

TEST_CASE(
    "plugins: SYSTEM - control set from Select\\Current, time zone, ShimCache, BAM, services, "
    "USB") {
  std::string path = write_temp(system_hive());
  auto p = parse(path);
  CHECK(p.summary.type == kk::registry::HiveType::kSystem);
  Records info, tz, shim, bam, svc, usb;
  select(p, "system_info", info);
  select(p, "timezone", tz);
  select(p, "shimcache", shim);
  select(p, "bam", bam);
  select(p, "service", svc);
  select(p, "usb_device", usb);
  auto name = find(info, "name", "ComputerName");
  REQUIRE(name);
  CHECK(str(*name, "value") == "PC01");
  CHECK(str(*name, "key") == "ControlSet002\\Control\\ComputerName\\ComputerName");
  CHECK(str(*name, "key_last_write") == "2022-01-02T17:41:40.742963Z");  // builder default
  CHECK(str(*find(info, "name", "ShutdownTime"), "value") == "2024-03-01T00:00:00.000000Z");
  REQUIRE(tz.size() == 1);
  CHECK(str(tz[0], "time_zone_key_name") == "Tokyo Standard Time");
  CHECK(str(tz[0], "bias_minutes") == "-540");
  CHECK(str(tz[0], "utc_offset") == "+09:00");
  REQUIRE(shim.size() == 91);  // the whole big-data value was assembled
  CHECK(str(shim[0], "path") == "\\??\\C:\\Windows\\system32\\LogonUI.exe");
  CHECK(str(shim[0], "executed") == "true");
  CHECK(str(shim[0], "position") == "0");
  CHECK(str(shim[0], "modified") == "2009-07-14T01:14:22.876000Z");
  REQUIRE(bam.size() == 1);
  CHECK(str(bam[0], "sid") == "S-1-5-21-1-2-3-1001");
  CHECK(str(bam[0], "path") == "\\Device\\HarddiskVolume3\\Users\\alice\\evil.exe");
  CHECK(str(bam[0], "last_run") == "2024-03-01T00:00:01.000000Z");
  auto evil = find(svc, "name", "EvilSvc");
  REQUIRE(evil);
  CHECK(str(*evil, "image_path") == "C:\\ProgramData\\evil.exe -k");
  CHECK(str(*evil, "start_type") == "auto");
  CHECK(str(*evil, "account") == "LocalSystem");
  CHECK(str(*find(svc, "name", "Shared"), "service_dll") == "C:\\x\\shared.dll");
  CHECK(svc.size() == 2);  // bam has no Type/ImagePath: not a service record
  REQUIRE(usb.size() == 1);
  CHECK(str(usb[0], "vendor") == "SanDisk");
  CHECK(str(usb[0], "product") == "Cruzer");
  CHECK(str(usb[0], "serial") == "4C530001234567&0");
  CHECK(str(usb[0], "first_install") == "2024-03-01T00:00:00.000000Z");
  CHECK(str(usb[0], "last_arrival") == "2024-03-01T01:00:00.000000Z");
  CHECK(str(usb[0], "last_removal") == "<null>");
  std::filesystem::remove(path);
}

TEST_CASE("plugins: SOFTWARE - OS facts, autoruns, TaskCache, profiles, Defender exclusions") {
  std::string path = write_temp(software_hive());
  auto p = parse(path);
  CHECK(p.summary.type == kk::registry::HiveType::kSoftware);
  Records info, run, task, prof, excl;
  select(p, "system_info", info);
  select(p, "autorun", run);
  select(p, "scheduled_task", task);
  select(p, "user_profile", prof);
  select(p, "defender_exclusion", excl);
  CHECK(str(*find(info, "name", "ProductName"), "value") == "Windows 10 Pro");
  CHECK(str(*find(info, "name", "InstallDate"), "value") == "2023-11-14T22:13:20.000000Z");
  CHECK(str(*find(run, "name", "SecurityHealth"), "location") == "Run");
  CHECK(str(*find(run, "name", "Once"), "key") ==
        "Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\RunOnce");
  CHECK(str(*find(run, "location", "Winlogon\\Userinit"), "command") ==
        "C:\\Windows\\system32\\userinit.exe,C:\\evil.exe,");
  CHECK(str(*find(run, "location", "IFEO\\Debugger"), "name") == "sethc.exe");
  CHECK(run.size() == 5);  // Run, RunOnce, Userinit, Shell, IFEO sethc (notepad has no Debugger)
  REQUIRE(task.size() == 1);
  CHECK(str(task[0], "task_path") == "\\Microsoft\\Windows\\Updater");
  CHECK(str(task[0], "created") == "2024-03-01T00:00:00.000000Z");
  CHECK(str(task[0], "last_run") == "2024-03-01T00:01:00.000000Z");
  CHECK(str(task[0], "run_as") == "Author");
  auto actions = task[0]["actions"].get_array().value();
  REQUIRE(actions.size() == 1);
  CHECK(str(actions.at(0).value(), "command") == "C:\\Users\\Public\\evil.exe");
  CHECK(str(actions.at(0).value(), "arguments") == "-silent");
  REQUIRE(prof.size() == 1);
  CHECK(str(prof[0], "user") == "alice");
  CHECK(str(prof[0], "sid") == "S-1-5-21-1-2-3-1001");
  REQUIRE(excl.size() == 2);
  CHECK(str(*find(excl, "exclusion_type", "Paths"), "value") == "C:\\Users\\Public");
  CHECK(str(*find(excl, "exclusion_type", "Extensions"), "value") == "ps1");
  std::filesystem::remove(path);
}

TEST_CASE("plugins: NTUSER-WIN7.DAT - UserAssist, Run, RunMRU, TypedPaths, RecentDocs (corpus)") {
  if (!have_corpus()) {
    MESSAGE("corpus not found, skipped");
    return;
  }
  auto p = parse(corpus("plaso/NTUSER-WIN7.DAT"));
  CHECK(p.summary.type == kk::registry::HiveType::kNtuser);
  Records ua, run, mru, typed, docs;
  select(p, "userassist", ua);
  select(p, "autorun", run);
  select(p, "run_mru", mru);
  select(p, "typed_paths", typed);
  select(p, "recent_docs", docs);
  // regfexport: 92 values under UserAssist\{GUID}\Count, 2 of them UEME_CTLSESSION.
  CHECK(ua.size() == 90);
  // "Zvpebfbsg.Jvaqbjf.TrggvatFgnegrq": count 0x0e at 4, FILETIME 01cb80abd292a804 at 60.
  auto gs = find(ua, "path", "Microsoft.Windows.GettingStarted");
  REQUIRE(gs);
  CHECK(str(*gs, "run_count") == "14");
  CHECK(str(*gs, "last_run") == "2010-11-10T07:49:37.078067Z");
  CHECK(str(*gs, "user") == "nfury");  // from the base block's \??\C:\Users\nfury\ntuser.dat
  CHECK(str(*gs, "resolved_path") == "<null>");
  auto calc = find(ua, "path", "{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\calc.exe");
  REQUIRE(calc);
  CHECK(str(*calc, "resolved_path") == "%SystemRoot%\\System32\\calc.exe");
  CHECK(str(*calc, "run_count") == "12");
  CHECK(str(*find(run, "name", "Skype"), "command") ==
        "\"C:\\Program Files (x86)\\Skype\\Phone\\Skype.exe\" /nosplash /minimized");
  REQUIRE(mru.size() == 1);
  CHECK(str(mru[0], "command") == "\\\\controller\\WebDavShare");
  REQUIRE(typed.size() == 1);
  CHECK(str(typed[0], "path") == "\\\\controller");
  CHECK(docs.size() == 38);
}

TEST_CASE("plugins: shellbags from UsrClass.dat (corpus, Acronis sample)") {
  if (!have_corpus()) {
    MESSAGE("corpus not found, skipped");
    return;
  }
  auto p = parse(corpus("ez-registry/Acronis_0x52_Usrclass.dat"));
  CHECK(p.summary.type == kk::registry::HiveType::kUsrClass);
  Records bags;
  select(p, "shellbag", bags);
  CHECK(bags.size() == 40);
  auto tib = find(bags, "path",
                  "My Computer\\C:\\My backups\\My Documents\\My Documents_full_b1_s1_v1.tib");
  REQUIRE(tib);
  CHECK(str(*tib, "item_type") == "file_entry");
  CHECK(str(*tib, "mft_entry") == "62779");
  CHECK(str(*tib, "modified") == "2013-11-20T04:56:32.000000Z");
  CHECK(find(bags, "path", "CONFIDENTIAL\\X\\1\\iii"));
}

TEST_CASE("plugins: Amcache, both layouts (corpus)") {
  if (!have_corpus()) {
    MESSAGE("corpus not found, skipped");
    return;
  }
  auto p = parse(corpus("plaso/winreg/win10-Amcache.hve"));
  CHECK(p.summary.type == kk::registry::HiveType::kAmcache);
  Records files, progs;
  select(p, "amcache_file", files);
  select(p, "amcache_program", progs);
  CHECK(files.size() == 30);  // regfexport: 30 keys under Root\InventoryApplicationFile
  CHECK(progs.size() == 75);  // and 75 under Root\InventoryApplication
  auto z = find(files, "path", "c:\\program files\\7-zip\\7z.exe");
  REQUIRE(z);
  CHECK(str(*z, "sha1") == "6c7ea8bbd435163ae3945cbef30ef6b9872a4591");
  CHECK(str(*z, "link_date") == "2019-02-21T16:00:00.000000Z");
  CHECK(str(*z, "publisher") == "igor pavlov");
  CHECK(str(*z, "product") == "7-zip");
  CHECK(str(*z, "version") == "19.00");
  CHECK(str(*z, "first_seen") == str(*z, "key_last_write"));

  auto q = parse(corpus("plaso/winreg/Amcache.hve"));
  Records old_files, old_progs;
  select(q, "amcache_file", old_files);
  select(q, "amcache_program", old_progs);
  CHECK(old_files.size() == 1120 + 247);  // Root\File\{volume}\* and InventoryApplicationFile\*
  auto fsf =
      find(old_files, "path",
           "c:\\users\\user\\appdata\\local\\microsoft\\onedrive\\17.3.6943.0625\\FileSyncFAL.dll");
  REQUIRE(fsf);
  CHECK(str(*fsf, "sha1") == "818b581a471c1c6833839d35a9d6f3544f6a9c92");
  CHECK(str(*fsf, "layout") == "file");
  auto zip = find(old_progs, "name", "7-Zip 16.04 (x64)");
  REQUIRE(zip);
  CHECK(str(*zip, "publisher") == "Igor Pavlov");
  CHECK(str(*zip, "install_date") == "2017-08-01T13:14:28.000000Z");  // "a" = 1501593268
}
