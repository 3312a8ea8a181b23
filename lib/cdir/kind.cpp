// Classification follows the output layout of CDIR-C (CyberDefenseInstitute/CDIR, v1.2.1 to
// v1.3.7): top-level folders Evtx, Prefetch, Registry, WMI, SRUM, Web (each with an "_old"
// mirror for Windows.old), NTFS/ (v1.3.1+) or NTFS files at the root (<= v1.2.2).
#include "cdir/kind.hpp"

#include <optional>
#include <vector>

#include "core/ascii_case.hpp"

namespace kk::cdir {

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::kEvtx:
      return "evtx";
    case Kind::kPrefetch:
      return "prefetch";
    case Kind::kMft:
      return "mft";
    case Kind::kUsnJrnl:
      return "usnjrnl";
    case Kind::kSecureSds:
      return "secure_sds";
    case Kind::kRegistry:
      return "registry";
    case Kind::kRegistryLog:
      return "registry_log";
    case Kind::kAmcache:
      return "amcache";
    case Kind::kWmi:
      return "wmi";
    case Kind::kSrum:
      return "srum";
    case Kind::kWeb:
      return "web";
    case Kind::kMemory:
      return "memory";
    case Kind::kCollectorLog:
      return "collector_log";
    case Kind::kOther:
      return "other";
  }
  return "other";
}

namespace {

std::vector<std::string_view> split_path(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find('/', start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// "Evtx" and "Evtx_old" are the same category.
bool is_category(std::string_view dir, std::string_view name) {
  return iequals(dir, name) ||
         (iends_with(dir, "_old") && iequals(dir.substr(0, dir.size() - 4), name));
}

// NTFS metadata copies are named "<drive letter>_<name>" by CDIR-C; accept the bare name too.
bool is_ntfs_file(std::string_view file, std::string_view name) {
  if (iequals(file, name)) return true;
  return file.size() == name.size() + 2 && file[1] == '_' &&
         ((file[0] >= 'A' && file[0] <= 'Z') || (file[0] >= 'a' && file[0] <= 'z')) &&
         iequals(file.substr(2), name);
}

std::optional<Kind> ntfs_kind(std::string_view file) {
  if (is_ntfs_file(file, "$MFT")) return Kind::kMft;
  if (is_ntfs_file(file, "$UsnJrnl-$J")) return Kind::kUsnJrnl;
  if (is_ntfs_file(file, "$SECURE-$SDS")) return Kind::kSecureSds;
  return std::nullopt;
}

bool is_hive_log_name(std::string_view file) {
  return iends_with(file, ".LOG") || iends_with(file, ".LOG1") || iends_with(file, ".LOG2");
}

}  // namespace

bool is_memory_image_name(std::string_view file) {
  return istarts_with(file, "RAM_") || iequals(file, "pagefile.sys") ||
         iequals(file, "swapfile.sys") || iequals(file, "hiberfil.sys");
}

Kind classify(std::string_view source) {
  auto parts = split_path(source);
  if (parts.empty()) return Kind::kOther;
  std::string_view file = parts.back();
  if (parts.size() == 1) {
    if (iequals(file, "collector-log.txt")) return Kind::kCollectorLog;
    if (is_memory_image_name(file)) return Kind::kMemory;
    if (auto k = ntfs_kind(file)) return *k;  // <= v1.2.2 layout
    return Kind::kOther;
  }
  std::string_view top = parts.front();
  if (iequals(top, "NTFS")) return ntfs_kind(file).value_or(Kind::kOther);
  if (is_category(top, "Evtx")) return iends_with(file, ".evtx") ? Kind::kEvtx : Kind::kOther;
  if (is_category(top, "Prefetch")) {
    // "X.pf:stream" is an alternate data stream copied next to its file: not a prefetch file.
    return iends_with(file, ".pf") ? Kind::kPrefetch : Kind::kOther;
  }
  if (is_category(top, "Registry")) {
    if (parts.size() > 2) return Kind::kRegistryLog;  // Registry/TxR/*: transaction logs
    if (iequals(file, "Amcache.hve")) return Kind::kAmcache;
    if (is_hive_log_name(file)) return Kind::kRegistryLog;
    return Kind::kRegistry;
  }
  if (is_category(top, "WMI")) return Kind::kWmi;
  if (is_category(top, "SRUM")) return Kind::kSrum;
  if (is_category(top, "Web")) return Kind::kWeb;
  return Kind::kOther;
}

std::string hive_user(std::string_view source) {
  auto parts = split_path(source);
  if (parts.size() != 2 || !is_category(parts[0], "Registry")) return {};
  std::string_view file = parts[1];
  // User names may contain '_' (and Japanese): split on the LAST "_NTUSER.dat"/"_UsrClass.dat".
  for (std::string_view marker :
       {std::string_view("_NTUSER.dat"), std::string_view("_UsrClass.dat")}) {
    std::string lower = ascii_lower(file);
    std::size_t pos = lower.rfind(ascii_lower(marker));
    if (pos == std::string::npos || pos == 0) continue;
    std::string_view rest = file.substr(pos + marker.size());
    if (!rest.empty() && !is_hive_log_name(rest)) continue;
    return std::string(file.substr(0, pos));
  }
  return {};
}

}  // namespace kk::cdir
