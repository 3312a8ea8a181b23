// The PC's own network facts. SYSTEM: every TCP/IP interface
// (Services\Tcpip\Parameters\Interfaces\{GUID}) with its static and DHCP addresses,
// gateways, DNS servers and lease, named through Control\Network\{4D36E972-…}\{GUID}\Connection.
// SOFTWARE: the networks the PC joined (NetworkList\Profiles\{GUID}: name,
// kind, first and last connection) with the gateway MAC from NetworkList\Signatures.
// Profile times are SYSTEMTIMEs in the PC's local time: they are turned into UTC with
// the ActiveTimeBias of the SYSTEM hive next to the SOFTWARE hive, when there is one.
#include <filesystem>

#include "core/ascii_case.hpp"
#include "core/mapped_file.hpp"
#include "registry/plugin.hpp"
#include "registry/value_data.hpp"

namespace kk::registry {

namespace {

std::vector<std::string> multi_string(const Hive& h, const KeyNode& k, std::string_view name) {
  std::vector<std::string> out;
  auto v = h.value(k, name);
  if (!v) return out;
  std::vector<std::uint8_t> scratch;
  Bytes d = h.value_data(*v, scratch);
  if (v->type == kRegMultiSz) {
    for (auto& s : value_as_multi_string(d))
      if (!s.empty() && s != std::string(1, '\0') && s != "0.0.0.0") out.push_back(s);
  } else if (auto s = value_as_string(d, v->type); s && !s->empty()) {
    // NameServer is one REG_SZ with addresses separated by commas or spaces.
    std::size_t start = 0;
    while (start < s->size()) {
      auto end = s->find_first_of(", ", start);
      if (end == std::string::npos) end = s->size();
      if (end > start) out.push_back(s->substr(start, end - start));
      start = end + 1;
    }
  }
  return out;
}

void strings(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.key(key).begin_array();
  for (const auto& s : v) w.string(s);
  w.end_array();
}

// Lease times are POSIX seconds on most versions; some Windows 10 builds write a
// counter since boot instead (small numbers): those are kept as they are, not as times.
void lease_time(Record& r, std::string_view key, std::optional<std::uint64_t> v) {
  r.time_field(key, v && *v > 946684800 && *v < 4102444800
                        ? std::optional<UtcMicros>(from_unix_seconds(static_cast<std::int64_t>(*v)))
                        : std::nullopt);
}

}  // namespace

void run_network_interfaces(PluginContext& ctx, const std::string& cs) {
  const Hive& h = ctx.hive;
  std::string base = cs + "\\Services\\Tcpip\\Parameters\\Interfaces";
  auto ifs = h.find(base);
  if (!ifs) {
    h.diag().info(ctx.source, std::nullopt,
                  "no " + base + " key in this hive: no network interface to list");
    return;
  }
  std::string names = cs + "\\Control\\Network\\{4D36E972-E325-11CE-BFC1-08002BE10318}";
  for (auto& k : h.subkeys(*ifs)) {
    ++ctx.keys;
    auto static_ips = multi_string(h, k, "IPAddress");
    auto dhcp_ip = h.string_value(k, "DhcpIPAddress");
    auto dhcp = h.integer_value(k, "EnableDHCP");
    // Interfaces that never had an address (tunnels, unused adapters) say nothing.
    if (static_ips.empty() && (!dhcp_ip || dhcp_ip->empty() || *dhcp_ip == "0.0.0.0")) continue;
    Record r(ctx, "network_interface", k, base + "\\" + k.name);
    r.w().field("interface_guid", k.name);
    std::optional<std::string> name, device;
    if (auto c = h.find(names + "\\" + k.name + "\\Connection")) {
      name = h.string_value(*c, "Name");
      device = h.string_value(*c, "PnPInstanceId");
    }
    r.optional_string("name", name);
    r.optional_string("device", device);
    r.w().key("dhcp_enabled");
    if (dhcp)
      r.w().boolean(*dhcp != 0);
    else
      r.w().null();
    // ip_addresses: every address the PC had on this interface (static and DHCP).
    std::vector<std::string> all = static_ips;
    if (dhcp_ip && !dhcp_ip->empty() && *dhcp_ip != "0.0.0.0") all.push_back(*dhcp_ip);
    strings(r.w(), "ip_addresses", all);
    strings(r.w(), "static_ip_addresses", static_ips);
    strings(r.w(), "subnet_masks", multi_string(h, k, "SubnetMask"));
    strings(r.w(), "default_gateways", multi_string(h, k, "DefaultGateway"));
    r.optional_string("dhcp_ip_address", dhcp_ip);
    r.optional_string("dhcp_subnet_mask", h.string_value(k, "DhcpSubnetMask"));
    r.optional_string("dhcp_server", h.string_value(k, "DhcpServer"));
    strings(r.w(), "dhcp_default_gateways", multi_string(h, k, "DhcpDefaultGateway"));
    auto dns = multi_string(h, k, "NameServer");
    for (auto& s : multi_string(h, k, "DhcpNameServer")) dns.push_back(s);
    strings(r.w(), "dns_servers", dns);
    auto domain = h.string_value(k, "DhcpDomain");
    if (!domain || domain->empty()) domain = h.string_value(k, "Domain");
    r.optional_string("domain", domain && !domain->empty() ? domain : std::nullopt);
    lease_time(r, "lease_obtained", h.integer_value(k, "LeaseObtainedTime"));
    lease_time(r, "lease_terminates", h.integer_value(k, "LeaseTerminatesTime"));
    r.finish();
  }
}

namespace {

// The ActiveTimeBias (minutes, UTC = local + bias) of a SYSTEM hive in the folder of
// HIVE_PATH, or nullopt.
std::optional<std::int32_t> sibling_system_bias(const std::string& hive_path) {
  namespace fs = std::filesystem;
  if (hive_path.empty()) return std::nullopt;
  std::error_code ec;
  fs::path dir = fs::path(hive_path).parent_path();
  if (dir.empty()) dir = ".";
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (!iequals(it->path().filename().string(), "SYSTEM")) continue;
    MappedFile f;
    std::string err;
    if (!f.open(it->path().string(), &err)) return std::nullopt;
    Diagnostics quiet("parse-registry");
    quiet.set_stderr_limit(0);
    auto hive = Hive::from_mapping(std::move(f), it->path().string(), quiet);
    if (!hive) return std::nullopt;
    unsigned n = 1;
    if (auto sel = hive->find("Select"))
      if (auto cur = hive->integer_value(*sel, "Current"); cur && *cur > 0 && *cur < 1000)
        n = static_cast<unsigned>(*cur);
    char cs[64];
    std::snprintf(cs, sizeof cs, "ControlSet%03u\\Control\\TimeZoneInformation", n);
    auto tz = hive->find(cs);
    if (!tz) return std::nullopt;
    auto bias = hive->integer_value(*tz, "ActiveTimeBias");
    if (!bias) bias = hive->integer_value(*tz, "Bias");
    if (!bias) return std::nullopt;
    return static_cast<std::int32_t>(*bias);
  }
  return std::nullopt;
}

struct LocalTime {
  std::string text;  // "2024-05-01T12:04:05" (no zone)
  std::optional<UtcMicros> as_if_utc;
};

LocalTime systemtime(const Hive& h, const KeyNode& k, std::string_view name) {
  LocalTime t;
  auto b = h.binary_value(k, name);
  if (!b || b->size() < 16) return t;
  ByteReader r(b->data(), b->size());
  auto f = [&](std::size_t i) { return static_cast<int>(*r.u16(i * 2)); };
  t.as_if_utc = from_systemtime(f(0), f(1), f(3), f(4), f(5), f(6), f(7));
  if (t.as_if_utc) {
    t.text = format_iso(*t.as_if_utc);
    t.text.resize(19);
  }
  return t;
}

const char* network_kind(std::optional<std::uint64_t> name_type) {
  if (!name_type) return nullptr;
  switch (*name_type) {
    case 0x06:
      return "wired";
    case 0x17:
      return "broadband";
    case 0x47:
      return "wireless";
    case 0xF3:
      return "mobile";
    default:
      return "other";
  }
}

std::string mac_text(const std::vector<std::uint8_t>& b) {
  std::string s;
  char buf[4];
  for (std::size_t i = 0; i < b.size() && i < 6; ++i) {
    std::snprintf(buf, sizeof buf, "%s%02x", i ? ":" : "", b[i]);
    s += buf;
  }
  return s;
}

}  // namespace

void run_network_profiles(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  const std::string base = "Microsoft\\Windows NT\\CurrentVersion\\NetworkList";
  auto profiles = h.find(base + "\\Profiles");
  if (!profiles) {
    h.diag().info(ctx.source, std::nullopt,
                  "no " + base + "\\Profiles key in this hive: no network profile to list");
    return;
  }
  // Profile GUID → (gateway MAC, DNS suffix) from Signatures\Managed|Unmanaged\<id>.
  std::map<std::string, std::pair<std::string, std::string>> signatures;
  for (const char* kind : {"Managed", "Unmanaged"})
    if (auto sk = h.find(base + "\\Signatures\\" + kind))
      for (auto& s : h.subkeys(*sk))
        if (auto guid = h.string_value(s, "ProfileGuid")) {
          auto mac = h.binary_value(s, "DefaultGatewayMac");
          signatures[ascii_lower(*guid)] = {mac ? mac_text(*mac) : std::string(),
                                            h.string_value(s, "DnsSuffix").value_or("")};
        }
  auto bias = sibling_system_bias(ctx.path);
  for (auto& k : h.subkeys(*profiles)) {
    ++ctx.keys;
    Record r(ctx, "network_profile", k, base + "\\Profiles\\" + k.name);
    r.w().field("profile_guid", k.name);
    r.optional_string("name", h.string_value(k, "ProfileName"));
    r.optional_string("description", h.string_value(k, "Description"));
    const char* kind = network_kind(h.integer_value(k, "NameType"));
    r.w().key("kind");
    if (kind)
      r.w().string(kind);
    else
      r.w().null();
    auto category = h.integer_value(k, "Category");
    r.w().key("category");
    if (category)
      r.w().string(*category == 0 ? "public" : *category == 1 ? "private" : "domain");
    else
      r.w().null();
    auto sig = signatures.find(ascii_lower(k.name));
    r.w().field("gateway_mac", sig == signatures.end() ? std::string() : sig->second.first);
    r.w().field("dns_suffix", sig == signatures.end() ? std::string() : sig->second.second);
    LocalTime created = systemtime(h, k, "DateCreated");
    LocalTime last = systemtime(h, k, "DateLastConnected");
    auto utc = [&](const LocalTime& t) -> std::optional<UtcMicros> {
      if (!t.as_if_utc || !bias) return std::nullopt;
      return *t.as_if_utc + std::int64_t(*bias) * 60 * 1000000;
    };
    r.time_field("first_connected", utc(created));
    r.time_field("last_connected", utc(last));
    r.w().field("first_connected_local", created.text);
    r.w().field("last_connected_local", last.text);
    r.w().key("utc_bias_minutes");
    if (bias)
      r.w().integer(*bias);
    else
      r.w().null();
    r.finish();
  }
}

}  // namespace kk::registry
