// SYSTEM hive: computer name, time zone, last shutdown, services, USB devices, BAM/DAM,
// ShimCache. Everything is read from the control set Select\Current names.
#include <cstdio>

#include "core/windows_types.hpp"
#include "registry/plugin.hpp"
#include "registry/shimcache.hpp"
#include "registry/value_data.hpp"

namespace kk::registry {

namespace {

std::string control_set_name(const Hive& h) {
  unsigned n = 1;
  if (auto sel = h.find("Select"))
    if (auto cur = h.integer_value(*sel, "Current"); cur && *cur > 0 && *cur < 1000)
      n = static_cast<unsigned>(*cur);
  char buf[32];
  std::snprintf(buf, sizeof buf, "ControlSet%03u", n);
  return buf;
}

void fact(PluginContext& ctx, const KeyNode& key, const std::string& path, std::string_view name,
          const std::string& value) {
  Record r(ctx, "system_info", key, path);
  r.w().field("name", name).field("value", value);
  r.finish();
}

void system_facts(PluginContext& ctx, const std::string& cs) {
  const Hive& h = ctx.hive;
  std::string p = cs + "\\Control\\ComputerName\\ComputerName";
  if (auto k = h.find(p))
    if (auto v = h.string_value(*k, "ComputerName")) fact(ctx, *k, p, "ComputerName", *v);
  p = cs + "\\Services\\Tcpip\\Parameters";
  if (auto k = h.find(p)) {
    for (const char* n : {"Hostname", "Domain"})
      if (auto v = h.string_value(*k, n); v && !v->empty()) fact(ctx, *k, p, n, *v);
  }
  p = cs + "\\Control\\Windows";
  if (auto k = h.find(p))
    if (auto b = h.binary_value(*k, "ShutdownTime"))
      if (auto t = filetime_at(Bytes(b->data(), b->size()), 0))
        fact(ctx, *k, p, "ShutdownTime", format_iso(*t));
  fact(ctx, *h.find(cs), cs, "CurrentControlSet", cs);
}

std::string utc_offset(std::int32_t minutes_east) {
  char buf[16];
  int a = minutes_east < 0 ? -minutes_east : minutes_east;
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes_east < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

// TimeZoneInformation: Bias is minutes to add to local time to get UTC (JST: -540).
void time_zone(PluginContext& ctx, const std::string& cs) {
  const Hive& h = ctx.hive;
  std::string p = cs + "\\Control\\TimeZoneInformation";
  auto k = h.find(p);
  if (!k) return;
  Record r(ctx, "timezone", *k, p);
  auto key_name = h.string_value(*k, "TimeZoneKeyName");
  r.optional_string("time_zone_key_name", key_name);
  r.optional_string("standard_name", h.string_value(*k, "StandardName"));
  r.optional_string("daylight_name", h.string_value(*k, "DaylightName"));
  auto bias = h.integer_value(*k, "Bias");
  auto active = h.integer_value(*k, "ActiveTimeBias");
  r.w().key("bias_minutes");
  if (bias)
    r.w().integer(static_cast<std::int32_t>(*bias));
  else
    r.w().null();
  r.w().key("active_time_bias_minutes");
  if (active)
    r.w().integer(static_cast<std::int32_t>(*active));
  else
    r.w().null();
  r.w().key("utc_offset");
  if (bias)
    r.w().string(utc_offset(-static_cast<std::int32_t>(*bias)));
  else
    r.w().null();
  auto dyn = h.integer_value(*k, "DynamicDaylightTimeDisabled");
  r.w().key("dynamic_daylight_time_disabled");
  if (dyn)
    r.w().boolean(*dyn != 0);
  else
    r.w().null();
  r.finish();
}

const char* start_type_name(std::uint64_t s) {
  switch (s) {
    case 0:
      return "boot";
    case 1:
      return "system";
    case 2:
      return "auto";
    case 3:
      return "demand";
    case 4:
      return "disabled";
    default:
      return "unknown";
  }
}

void services(PluginContext& ctx, const std::string& cs) {
  const Hive& h = ctx.hive;
  std::string base = cs + "\\Services";
  auto services = h.find(base);
  if (!services) return;
  for (auto& svc : h.subkeys(*services)) {
    ++ctx.keys;
    auto type = h.integer_value(svc, "Type");
    auto image = h.string_value(svc, "ImagePath");
    if (!type && !image) continue;  // a plain parameter key, not a service
    std::optional<std::string> dll;
    if (auto params = h.find(svc, "Parameters")) dll = h.string_value(*params, "ServiceDll");
    if (!dll) dll = h.string_value(svc, "ServiceDll");
    Record r(ctx, "service", svc, base + "\\" + svc.name);
    r.w().field("name", svc.name);
    r.optional_string("display_name", h.string_value(svc, "DisplayName"));
    r.optional_string("image_path", image);
    r.optional_string("service_dll", dll);
    auto start = h.integer_value(svc, "Start");
    r.w().key("start_type");
    if (start)
      r.w().string(start_type_name(*start));
    else
      r.w().null();
    r.optional_integer("service_type", type);
    r.optional_string("account", h.string_value(svc, "ObjectName"));
    r.optional_string("description", h.string_value(svc, "Description"));
    r.finish();
  }
}

// Device properties {83da6326-97a6-4088-9453-a1923f573b29}: 0064 first install, 0066 last
// arrival, 0067 last removal (Windows 8 and later), each a FILETIME default value.
std::optional<UtcMicros> device_property_time(const Hive& h, const KeyNode& dev, const char* id) {
  auto k = h.find(dev, std::string("Properties\\{83da6326-97a6-4088-9453-a1923f573b29}\\") + id);
  if (!k) return std::nullopt;
  auto b = h.binary_value(*k, "");
  if (!b) return std::nullopt;
  return filetime_at(Bytes(b->data(), b->size()), 0);
}

std::string between(const std::string& s, std::string_view tag) {
  auto p = s.find(tag);
  if (p == std::string::npos) return {};
  p += tag.size();
  auto e = s.find('&', p);
  return s.substr(p, e == std::string::npos ? std::string::npos : e - p);
}

void usb_devices(PluginContext& ctx, const std::string& cs) {
  const Hive& h = ctx.hive;
  if (!h.find(cs + "\\Enum\\USBSTOR") && !h.find(cs + "\\Enum\\USB"))
    h.diag().info(ctx.source, std::nullopt,
                  "no " + cs + "\\Enum\\USBSTOR or USB key in this hive: no USB device recorded");
  for (const char* bus : {"USBSTOR", "USB"}) {
    std::string base = cs + "\\Enum\\" + bus;
    auto busk = h.find(base);
    if (!busk) continue;
    for (auto& cls : h.subkeys(*busk)) {
      for (auto& dev : h.subkeys(cls)) {
        ctx.keys += 1;
        std::string path = base + "\\" + cls.name + "\\" + dev.name;
        Record r(ctx, "usb_device", dev, path);
        r.w().field("bus", bus).field("device_id", cls.name);
        std::string serial = dev.name;
        // "&0" suffixes are instance numbers; a second '&' at position 1 marks a Windows-made id.
        r.w().field("serial", serial);
        r.w().field("serial_is_generated", serial.size() > 1 && serial[1] == '&');
        if (std::string_view(bus) == "USBSTOR") {
          r.w().field("vendor", between(cls.name, "Ven_"));
          r.w().field("product", between(cls.name, "Prod_"));
          r.w().field("revision", between(cls.name, "Rev_"));
        } else {
          r.w().field("vendor", between(cls.name, "VID_"));
          r.w().field("product", between(cls.name, "PID_"));
          r.w().field("revision", std::string_view{});
        }
        r.optional_string("friendly_name", h.string_value(dev, "FriendlyName"));
        r.optional_string("device_description", h.string_value(dev, "DeviceDesc"));
        r.time_field("first_install", device_property_time(h, dev, "0064"));
        r.time_field("first_connected", device_property_time(h, dev, "0065"));
        r.time_field("last_arrival", device_property_time(h, dev, "0066"));
        r.time_field("last_removal", device_property_time(h, dev, "0067"));
        r.finish();
      }
    }
  }
}

// BAM/DAM (Windows 10 1709+): per user SID, one value per executable, FILETIME at offset 0.
void bam(PluginContext& ctx, const std::string& cs) {
  const Hive& h = ctx.hive;
  for (const char* svc : {"bam", "dam"}) {
    for (const char* sub : {"\\State\\UserSettings", "\\UserSettings"}) {
      std::string base = cs + "\\Services\\" + svc + sub;
      auto us = h.find(base);
      if (!us) continue;
      std::vector<std::uint8_t> scratch;
      for (auto& sid : h.subkeys(*us)) {
        ++ctx.keys;
        for (auto& v : h.values(sid)) {
          if (v.type != kRegBinary) continue;  // Version / SequenceNumber are DWORDs
          Bytes d = h.value_data(v, scratch);
          if (d.size() < 8) continue;
          Record r(ctx, "bam", sid, base + "\\" + sid.name);
          r.w().field("service", svc).field("sid", sid.name).field("path", v.name);
          r.time_field("last_run", filetime_at(d, 0));
          r.finish();
        }
      }
    }
  }
}

void shimcache(PluginContext& ctx, const std::string& cs) {
  const Hive& h = ctx.hive;
  for (const char* rel : {"\\Control\\Session Manager\\AppCompatCache",
                          "\\Control\\Session Manager\\AppCompatibility"}) {
    std::string p = cs + rel;
    auto k = h.find(p);
    if (!k) continue;
    auto v = h.value(*k, "AppCompatCache");
    if (!v) continue;
    std::vector<std::uint8_t> scratch;
    Bytes data = h.value_data(*v, scratch);
    ShimCache sc = decode_shimcache(data);
    for (auto& problem : sc.problems)
      h.warn(v->data_offset,
             "AppCompatCache (" + (sc.format.empty() ? "unknown" : sc.format) + "): " + problem);
    for (auto& e : sc.entries) {
      Record r(ctx, "shimcache", *k, p);
      r.w().field("path", e.path);
      r.time_field("modified", e.modified);
      r.w().key("executed");
      if (e.executed)
        r.w().boolean(*e.executed);
      else
        r.w().null();
      r.w().field("position", e.position);
      r.w().field("format", sc.format);
      r.optional_integer("size", e.size);
      r.finish();
    }
  }
}

}  // namespace

void run_system_plugins(PluginContext& ctx) {
  std::string cs = control_set_name(ctx.hive);
  if (!ctx.hive.find(cs)) {
    ctx.hive.diag().warning(ctx.hive.file(), std::nullopt,
                            "SYSTEM hive has no " + cs + " (named by Select\\Current)");
    return;
  }
  system_facts(ctx, cs);
  time_zone(ctx, cs);
  shimcache(ctx, cs);
  bam(ctx, cs);
  services(ctx, cs);
  usb_devices(ctx, cs);
  run_mounted_devices(ctx);
  run_network_interfaces(ctx, cs);
}

}  // namespace kk::registry
