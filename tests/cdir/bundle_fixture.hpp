// Builds CDIR-C bundles for tests from the real artifacts in tests/data/cdir, the way the
// collector lays them out, with a collector-log.txt written in the collector's exact format
// (CP932, CRLF, Japanese labels unless asked otherwise).
#pragma once

#include <iconv.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../test_util.hpp"
#include "core/hash.hpp"

namespace kk_test {

namespace fs = std::filesystem;

inline std::string cdir_data(const std::string& name) {
  return read_file(std::string(KK_TEST_DATA) + "/cdir/" + name);
}

inline std::string to_cp932(const std::string& utf8) {
  iconv_t cd = iconv_open("CP932", "UTF-8");
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* o = out.data();
  std::size_t o_left = out.size();
  iconv(cd, &in, &in_left, &o, &o_left);
  iconv_close(cd);
  out.resize(out.size() - o_left);
  return out;
}

struct BundleFile {
  std::string source;  // bundle-relative, '/'-separated, UTF-8
  std::string content;
  std::string windows_path;  // as the collector logs it; "" = not in the log
  bool wevtutil = false;
};

struct BundleSpec {
  std::string folder = "DESKTOP-KK01_20240501120405";
  bool v12 = false;  // <= v1.2.2 layout (NTFS files at the root)
  bool english_log = false;
  bool write_log = true;
  std::string wrong_hash_source = "Prefetch/CMD.EXE-D269B812.pf";  // its log SHA-256 is altered
  std::vector<std::string> extra_log_paths;  // listed in the log, absent from the bundle
};

// The standard v1.3.7-style file set, with Japanese and '_' in a user name, '%4' and spaces
// in an event log name, '$' in NTFS names.
inline std::vector<BundleFile> standard_files(bool v12) {
  const std::string hive = cdir_data("100_sub_keys.hiv"), log = cdir_data("ntuser.dat.LOG");
  const std::string evtx = cdir_data("defender.evtx");
  const std::string ntfs = v12 ? "" : "NTFS/";
  std::vector<BundleFile> f = {
      {ntfs + "C_$MFT", cdir_data("entry_single_file"), "C:\\$MFT"},
      {ntfs + "C_$UsnJrnl-$J", cdir_data("UsnJrnl.raw"), "C:\\$Extend\\$UsnJrnl:$J"},
      {"Evtx/Microsoft-Windows-Windows Defender%4Operational.evtx", evtx,
       "C:\\Windows\\System32\\winevt\\Logs\\Microsoft-Windows-Windows Defender%4Operational.evtx"},
      {"Evtx/Security.evtx", evtx, "C:\\Windows\\System32\\winevt\\Logs\\Security.evtx", true},
      {"Prefetch/CMD.EXE-D269B812.pf", cdir_data("CMD.EXE-D269B812.pf"),
       "C:\\Windows\\Prefetch\\CMD.EXE-D269B812.pf"},
      {"Registry/SYSTEM", hive, "C:\\Windows\\System32\\config\\SYSTEM"},
      {"Registry/Amcache.hve", hive, "C:\\Windows\\AppCompat\\Programs\\Amcache.hve"},
      {"Registry/山田_太郎_NTUSER.dat", hive, "C:\\Users\\山田_太郎\\NTUSER.dat"},
      {"Registry/山田_太郎_UsrClass.dat", hive,
       "C:\\Users\\山田_太郎\\AppData\\Local\\Microsoft\\Windows\\UsrClass.dat"},
      {"Web/Chrome/山田_太郎_Default_History", log,
       "C:\\Users\\山田_太郎\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\History"},
      {"RAM_DESKTOP-KK01.raw", std::string(8192, '\x5a'), ""},
  };
  if (!v12) {
    f.push_back({"NTFS/C_$SECURE-$SDS", log, "C:\\$SECURE:$SDS"});
    f.push_back({"Registry/SYSTEM.LOG1", log, "C:\\Windows\\System32\\config\\SYSTEM.LOG1"});
    f.push_back(
        {"Registry/山田_太郎_NTUSER.dat.LOG1", log, "C:\\Users\\山田_太郎\\NTUSER.dat.LOG1"});
    f.push_back({"WMI/OBJECTS.DATA", log, "C:\\Windows\\System32\\wbem\\Repository\\OBJECTS.DATA"});
    f.push_back({"SRUM/SRUDB.dat", hive, "C:\\Windows\\System32\\sru\\SRUDB.dat"});
  }
  return f;
}

// collector-log.txt text exactly as CDIR-C's main() and StealthGetFile() write it.
inline std::string collector_log_text(const BundleSpec& spec,
                                      const std::vector<BundleFile>& files) {
  auto pad = [](std::string s, std::size_t w) {
    return s + std::string(w > s.size() ? w - s.size() : 0, ' ');
  };
  std::string t;
  t += std::string(spec.english_log ? "Start   time: " : "開始時刻: ") + "2024/05/01 12:04:05\r\n";
  t += std::string(spec.english_log ? "End     time: " : "終了時刻: ") + "2024/05/01 12:31:40\r\n";
  t += std::string(spec.english_log ? "Elapsed time: " : "所要時間: ") + "00:27:35\r\n\r\n";
  t += pad("CreationTime", 22) + pad("AccessTime", 22) + pad("WriteTime", 22);
  t += "MD5" + std::string(29, ' ') + "   " + "SHA1" + std::string(36, ' ') + "   " + "SHA256" +
       std::string(58, ' ') + "   \r\n";
  t += std::string(19, '=') + "   " + std::string(19, '=') + "   " + std::string(19, '=') + "   " +
       std::string(32, '=') + "   " + std::string(40, '=') + "   " + std::string(64, '=') +
       "   \r\n";
  auto row = [&](const std::string& content, const std::string& path, bool wevtutil, bool wrong) {
    auto d =
        kk::hash_bytes({reinterpret_cast<const std::uint8_t*>(content.data()), content.size()});
    if (wrong) d.sha256[0] = d.sha256[0] == '0' ? '1' : '0';
    t += pad("2024/04/30 01:02:03", 22) + pad("2024/05/01 03:04:05", 22) +
         pad("2024/05/01 03:04:05", 22);
    t += d.md5 + "   " + d.sha1 + "   " + d.sha256 + "   " + path +
         (wevtutil ? " (wevtutil)" : "") + "\r\n";
  };
  for (const auto& f : files)
    if (!f.windows_path.empty())
      row(f.content, f.windows_path, f.wevtutil, f.source == spec.wrong_hash_source);
  for (const auto& p : spec.extra_log_paths) row("gone", p, false, false);
  return to_cp932(t);
}

inline void write_bytes(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

// Writes the bundle folder under PARENT; names are written in UTF-8, or in CP932 bytes when
// CP932_NAMES (how a Japanese Windows zip without the UTF-8 flag stores them).
inline fs::path build_bundle(const fs::path& parent, const BundleSpec& spec,
                             bool cp932_names = false) {
  auto files = standard_files(spec.v12);
  fs::path root = parent / spec.folder;
  for (const auto& f : files)
    write_bytes(root / (cp932_names ? to_cp932(f.source) : f.source), f.content);
  if (spec.write_log) write_bytes(root / "collector-log.txt", collector_log_text(spec, files));
  return root;
}

// Runs a shell command; returns its exit status.
inline int sh(const std::string& cmd) {
  return std::system(cmd.c_str());
}

inline bool have_tool(const std::string& name) {
  return sh("command -v " + name + " >/dev/null 2>&1") == 0;
}

// Every regular file under DIR, as paths relative to DIR.
inline std::vector<std::string> tree_files(const fs::path& dir) {
  std::vector<std::string> v;
  if (!fs::exists(dir)) return v;
  for (auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() || e.is_symlink())
      v.push_back(fs::relative(e.path(), dir).generic_string());
  return v;
}

}  // namespace kk_test
