// Removable storage beyond Enum\USBSTOR (plugin_system.cpp). SYSTEM MountedDevices: which
// drive letter / volume GUID a device got (the value data is the device path in UTF-16,
// "\??\USBSTOR#Disk&Ven_…#<serial>&0#{…}", or a disk signature / GPT id for fixed disks).
// SOFTWARE EMDMgmt (ReadyBoost's list of every volume it saw):
// "_??_USBSTOR#Disk&Ven_…#<serial>&0#{…}<volume label>_<volume serial, decimal>".
#include "core/utf.hpp"
#include "registry/plugin.hpp"

namespace kk::registry {

namespace {

// "…#<serial>#{…}" / "…#<serial>&0#{…}": the third '#'-separated part, without "&0".
std::string device_serial(std::string_view device) {
  auto a = device.find('#');
  if (a == std::string_view::npos) return {};
  auto b = device.find('#', a + 1);
  if (b == std::string_view::npos) return {};
  auto c = device.find('#', b + 1);
  std::string_view s = device.substr(b + 1, c == std::string_view::npos ? c : c - b - 1);
  if (auto amp = s.rfind('&'); amp != std::string_view::npos && amp + 2 == s.size())
    s = s.substr(0, amp);
  return std::string(s);
}

bool looks_like_device_path(const std::string& s) {
  return s.size() > 4 && (s.starts_with("\\??\\") || s.starts_with("_??_") || s.starts_with("#"));
}

}  // namespace

void run_mounted_devices(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  auto md = h.find("MountedDevices");
  if (!md) {
    h.diag().info(ctx.source, std::nullopt,
                  "no MountedDevices key in this hive: no volume-to-device mapping");
    return;
  }
  std::vector<std::uint8_t> scratch;
  for (auto& v : h.values(*md)) {
    Bytes d = h.value_data(v, scratch);
    std::string device;
    std::string kind;
    if (d.size() == 12) {
      kind = "mbr_disk";  // 4-byte disk signature + 8-byte partition offset
    } else if (d.size() >= 8 &&
               std::string_view(reinterpret_cast<const char*>(d.data()), 8) == "DMIO:ID:") {
      kind = "gpt_partition";
    } else {
      device = utf16le_to_utf8(d, true);
      kind = looks_like_device_path(device) ? "device" : "other";
      if (kind != "device") device.clear();
    }
    Record r(ctx, "mounted_device", *md, "MountedDevices");
    r.w().field("name", v.name);
    std::string letter, guid;
    if (v.name.starts_with("\\DosDevices\\") && v.name.size() >= 14) letter = v.name.substr(12, 2);
    if (auto at = v.name.find("Volume{"); at != std::string::npos) guid = v.name.substr(at + 6);
    r.w().field("drive_letter", letter).field("volume_guid", guid).field("kind", kind);
    r.w().field("device", device);
    r.w().field("serial", device.empty() ? std::string() : device_serial(device));
    r.w().field("usb", device.find("USBSTOR") != std::string::npos ||
                           device.find("USB#") != std::string::npos);
    r.finish();
  }
}

void run_emdmgmt(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  const std::string base = "Microsoft\\Windows NT\\CurrentVersion\\EMDMgmt";
  auto em = h.find(base);
  if (!em) {
    h.diag().info(ctx.source, std::nullopt,
                  "no " + base + " key in this hive: no ReadyBoost volume history");
    return;
  }
  for (auto& k : h.subkeys(*em)) {
    ++ctx.keys;
    Record r(ctx, "usb_volume", k, base + "\\" + k.name);
    std::string name = k.name;
    std::string label, serial_hex;
    // The volume part follows the device interface GUID's closing brace.
    if (auto brace = name.rfind('}'); brace != std::string::npos) {
      std::string tail = name.substr(brace + 1);
      if (auto us = tail.rfind('_'); us != std::string::npos) {
        label = tail.substr(0, us);
        std::string dec = tail.substr(us + 1);
        char* end = nullptr;
        unsigned long long v = std::strtoull(dec.c_str(), &end, 10);
        if (!dec.empty() && end && *end == '\0') {
          char buf[16];
          std::snprintf(buf, sizeof buf, "%08llX", v & 0xFFFFFFFFull);
          serial_hex = buf;
        }
      }
    }
    r.w().field("device", name).field("serial", device_serial(name));
    r.w().field("volume_label", label).field("volume_serial", serial_hex);
    r.finish();
  }
}

}  // namespace kk::registry
