#include <doctest/doctest.h>

#include "cdir/bundle_layout.hpp"

using namespace kk::cdir;

TEST_CASE("layout: collected Windows paths map to CDIR-C's output names") {
  const Layout v13 = Layout::kV13;
  CHECK(bundle_source_for("C:\\$MFT", v13) == "NTFS/C_$MFT");
  CHECK(bundle_source_for("C:\\$MFT", Layout::kV12) == "C_$MFT");
  CHECK(bundle_source_for("D:\\$Extend\\$UsnJrnl:$J", v13) == "NTFS/D_$UsnJrnl-$J");
  CHECK(bundle_source_for("C:\\$SECURE:$SDS", v13) == "NTFS/C_$SECURE-$SDS");
  CHECK(bundle_source_for("C:\\Windows\\System32\\winevt\\Logs\\Microsoft-Windows-Windows "
                          "Defender%4Operational.evtx",
                          v13) == "Evtx/Microsoft-Windows-Windows Defender%4Operational.evtx");
  CHECK(bundle_source_for("C:\\Windows.old\\Windows\\System32\\winevt\\Logs\\System.evtx", v13) ==
        "Evtx_old/System.evtx");
  CHECK(bundle_source_for("C:\\Windows\\Prefetch\\CMD.EXE-D269B812.pf", v13) ==
        "Prefetch/CMD.EXE-D269B812.pf");
  CHECK(bundle_source_for("C:\\Windows\\System32\\config\\SAM.LOG1", v13) == "Registry/SAM.LOG1");
  CHECK(bundle_source_for("C:\\Windows\\System32\\config\\TxR\\x.blf", v13) ==
        "Registry/TxR/x.blf");
  CHECK(bundle_source_for("C:\\Windows\\AppCompat\\Programs\\Amcache.hve", v13) ==
        "Registry/Amcache.hve");
  CHECK(bundle_source_for("C:\\Users\\山田_太郎\\NTUSER.dat.LOG2", v13) ==
        "Registry/山田_太郎_NTUSER.dat.LOG2");
  CHECK(bundle_source_for("C:\\Users\\taro\\AppData\\Local\\Microsoft\\Windows\\UsrClass.dat",
                          v13) == "Registry/taro_UsrClass.dat");
  CHECK(bundle_source_for("C:\\Windows\\ServiceProfiles\\LocalService\\NTUSER.DAT", v13) ==
        "Registry/LocalService_NTUSER.DAT");
  CHECK(bundle_source_for("C:\\Windows\\System32\\wbem\\Repository\\OBJECTS.DATA", v13) ==
        "WMI/OBJECTS.DATA");
  CHECK(bundle_source_for("C:\\Windows\\System32\\sru\\SRUDB.dat", v13) == "SRUM/SRUDB.dat");
  CHECK(bundle_source_for("C:\\Users\\taro\\AppData\\Roaming\\Mozilla\\Firefox\\Profiles\\ab."
                          "default\\places.sqlite",
                          v13) == "Web/Firefox/taro_ab.default_places.sqlite");
  CHECK(bundle_source_for(
            "C:\\Users\\taro\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\History", v13) ==
        "Web/Chrome/taro_Default_History");
  CHECK(bundle_source_for(
            "C:\\Users\\taro\\AppData\\Local\\Microsoft\\Edge\\User Data\\Profile 1\\History",
            v13) == "Web/Edge/taro_Profile 1_History");
  CHECK(bundle_source_for(
            "C:\\Users\\taro\\AppData\\Local\\Microsoft\\Windows\\WebCache\\WebCacheV01.dat",
            v13) == "Web/IE10_Edge/taro_WebCacheV01.dat");
  CHECK(bundle_source_for("relative\\path", v13).empty());
}

TEST_CASE("layout: folder names give host, drive and local time") {
  auto f = parse_folder_name("DESKTOP-KK01_20240501120405", "Asia/Tokyo");
  REQUIRE(f);
  CHECK(f->host == "DESKTOP-KK01");
  CHECK_FALSE(f->drive);
  REQUIRE(f->time);
  CHECK(kk::format_iso(*f->time) == "2024-05-01T03:04:05.000000Z");
  auto t = parse_folder_name("WS_01_D_20231231235959", "UTC");
  REQUIRE(t);
  CHECK(t->host == "WS_01");
  CHECK(t->drive == 'D');
  auto copy = parse_folder_name("PC01_20240501120405 (2)", "UTC");
  REQUIRE(copy);
  CHECK(copy->host == "PC01");
  CHECK_FALSE(parse_folder_name("evidence", "UTC"));
  CHECK_FALSE(parse_folder_name("_20240501120405", "UTC"));
}

TEST_CASE("layout: bundle roots anywhere, outermost wins, several bundles") {
  std::vector<std::string> files = {"case/PC01_20240501120405/collector-log.txt",
                                    "case/PC01_20240501120405/Registry/TxR/a.blf",
                                    "case/PC01_20240501120405/Evtx/System.evtx",
                                    "case/PC02_20240502120405/NTFS/C_$MFT",
                                    "old/PC03_20200101000000/C_$MFT",
                                    "readme.txt"};
  auto roots = find_bundle_roots(files);
  REQUIRE(roots.size() == 3);
  CHECK(roots[0] == "case/PC01_20240501120405");
  CHECK(roots[1] == "case/PC02_20240502120405");
  CHECK(roots[2] == "old/PC03_20200101000000");
  CHECK(find_bundle_roots({"collector-log.txt", "Evtx/a.evtx"}) == std::vector<std::string>{""});
  CHECK(detect_layout({"NTFS/C_$MFT", "Evtx/a.evtx"}) == Layout::kV13);
  CHECK(detect_layout({"C_$MFT", "Evtx/a.evtx"}) == Layout::kV12);
  CHECK(detect_layout({"Evtx/a.evtx"}) == Layout::kUnknown);
}
