#include <doctest/doctest.h>

#include "cdir/kind.hpp"

using kk::cdir::classify;
using kk::cdir::Kind;

TEST_CASE("kind: v1.3.7 layout, every category") {
  CHECK(classify("NTFS/C_$MFT") == Kind::kMft);
  CHECK(classify("NTFS/D_$UsnJrnl-$J") == Kind::kUsnJrnl);
  CHECK(classify("NTFS/C_$SECURE-$SDS") == Kind::kSecureSds);
  CHECK(classify("NTFS/C_$Logfile") == Kind::kOther);
  CHECK(classify("Evtx/Microsoft-Windows-Windows Defender%4Operational.evtx") == Kind::kEvtx);
  CHECK(classify("Evtx_old/System.evtx") == Kind::kEvtx);
  CHECK(classify("Prefetch/CMD.EXE-D269B812.pf") == Kind::kPrefetch);
  CHECK(classify("Prefetch/CMD.EXE-D269B812.pf:Zone.Identifier") == Kind::kOther);  // ADS copy
  CHECK(classify("Registry/SYSTEM") == Kind::kRegistry);
  CHECK(classify("Registry/SYSTEM.LOG1") == Kind::kRegistryLog);
  CHECK(classify("Registry/Amcache.hve") == Kind::kAmcache);
  CHECK(classify("Registry/Amcache.hve.LOG2") == Kind::kRegistryLog);
  CHECK(classify("Registry/山田_太郎_NTUSER.dat") == Kind::kRegistry);
  CHECK(classify("Registry/TxR/{0f}.TxR.0.regtrans-ms") == Kind::kRegistryLog);
  CHECK(classify("WMI/OBJECTS.DATA") == Kind::kWmi);
  CHECK(classify("SRUM/SRUDB.dat") == Kind::kSrum);
  CHECK(classify("Web/IE10_Edge/taro_WebCacheV01.dat") == Kind::kWeb);
  CHECK(classify("RAM_DESKTOP-KK01.raw") == Kind::kMemory);
  CHECK(classify("RAM_PC01.aff4") == Kind::kMemory);
  CHECK(classify("pagefile.sys") == Kind::kMemory);
  CHECK(classify("collector-log.txt") == Kind::kCollectorLog);
  CHECK(classify("notes.txt") == Kind::kOther);
}

TEST_CASE("kind: v1.2 layout keeps NTFS copies at the root") {
  CHECK(classify("C_$MFT") == Kind::kMft);
  CHECK(classify("C_$UsnJrnl-$J") == Kind::kUsnJrnl);
  CHECK(classify("$MFT") == Kind::kMft);
}

TEST_CASE("kind: per-user hive owner splits on the last _NTUSER.dat") {
  CHECK(kk::cdir::hive_user("Registry/山田_太郎_NTUSER.dat") == "山田_太郎");
  CHECK(kk::cdir::hive_user("Registry/a_NTUSER.dat_b_NTUSER.dat.LOG1") == "a_NTUSER.dat_b");
  CHECK(kk::cdir::hive_user("Registry/LocalService_UsrClass.dat") == "LocalService");
  CHECK(kk::cdir::hive_user("Registry/SYSTEM").empty());
}
