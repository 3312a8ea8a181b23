#include "registry/hive_type.hpp"

#include <algorithm>
#include <vector>

namespace kk::registry {

std::string_view hive_type_name(HiveType t) {
  switch (t) {
    case HiveType::kSystem:
      return "SYSTEM";
    case HiveType::kSoftware:
      return "SOFTWARE";
    case HiveType::kNtuser:
      return "NTUSER";
    case HiveType::kUsrClass:
      return "UsrClass";
    case HiveType::kAmcache:
      return "Amcache";
    case HiveType::kSam:
      return "SAM";
    case HiveType::kSecurity:
      return "SECURITY";
    case HiveType::kBcd:
      return "BCD";
    case HiveType::kUnknown:
      break;
  }
  return "unknown";
}

HiveType detect_hive_type(const Hive& hive) {
  auto root = hive.root();
  if (!root) return HiveType::kUnknown;
  std::vector<std::string> names;
  for (auto& k : hive.subkeys(*root)) names.push_back(k.name);
  auto has = [&](std::string_view n) {
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& s) { return iequals(s, n); });
  };
  // Each test names what only that hive holds at its root.
  if (has("Select") && (has("ControlSet001") || has("ControlSet002") || has("ControlSet003")))
    return HiveType::kSystem;
  if (has("Root") &&
      (hive.find(*root, "Root\\InventoryApplicationFile") || hive.find(*root, "Root\\File") ||
       hive.find(*root, "Root\\Programs") || hive.find(*root, "Root\\InventoryApplication")))
    return HiveType::kAmcache;
  if (has("SAM") && names.size() <= 2) return HiveType::kSam;
  if (has("Policy") && (has("RXACT") || has("SAM") || has("Cache"))) return HiveType::kSecurity;
  if (has("Objects") && has("Description")) return HiveType::kBcd;
  if (has("Microsoft") && (has("Classes") || has("Policies") || has("Clients")) && !has("Software"))
    return HiveType::kSoftware;
  if (has("Software") && (has("Control Panel") || has("Environment") || has("AppEvents") ||
                          has("Console") || has("Keyboard Layout")))
    return HiveType::kNtuser;
  if (has("Local Settings") || has("CLSID") || has("*")) return HiveType::kUsrClass;
  // Sparse or damaged roots: fall back to the name Windows recorded in the base block.
  std::string fn = ascii_lower(hive.base_block().file_name);
  auto ends = [&](std::string_view s) { return fn.size() >= s.size() && fn.ends_with(s); };
  if (ends("\\system")) return HiveType::kSystem;
  if (ends("\\software")) return HiveType::kSoftware;
  if (ends("ntuser.dat")) return HiveType::kNtuser;
  if (ends("usrclass.dat")) return HiveType::kUsrClass;
  if (ends("amcache.hve")) return HiveType::kAmcache;
  if (ends("\\sam")) return HiveType::kSam;
  if (ends("\\security")) return HiveType::kSecurity;
  if (has("Software")) return HiveType::kNtuser;
  return HiveType::kUnknown;
}

}  // namespace kk::registry
