// The short names the vendors use in their own documents, by parse-netlog's product id
// (lib/netlog/products.cpp names the ids; tests/netlog/products_test.cpp checks every id has
// a label here).
#include "core/product_labels.hpp"

#include <utility>

namespace kk {

namespace {
constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
    {"fortigate", "FortiGate"},
    {"sonicwall", "SonicWall"},
    {"sophos_xg", "Sophos Firewall"},
    {"sophos_utm", "Sophos UTM"},
    {"sophos_central", "Sophos Central"},
    {"paloalto", "Palo Alto Networks"},
    {"cisco_asa", "Cisco ASA"},
    {"suricata", "Suricata"},
    {"zscaler", "Zscaler"},
    {"trendmicro", "Trend Micro"},
    {"symantec_sep", "Symantec Endpoint Protection"},
    {"mcafee_trellix", "McAfee/Trellix ePO"},
    {"bluecoat_proxysg", "Blue Coat ProxySG"},
    {"squid", "Squid"},
    {"windows_firewall", "Windows Firewall"},
    {"yamaha_rtx", "YAMAHA RTX"},
    {"windows_defender", "Microsoft Defender"},
};

// What each product's log is, in the intake's words.
struct Kinds {
  std::string_view id;
  std::string_view kinds[2];
};
constexpr Kinds kKinds[] = {
    {"fortigate", {"utm", "firewall"}},
    {"sonicwall", {"utm", "firewall"}},
    {"sophos_xg", {"utm", "firewall"}},
    {"sophos_utm", {"utm", "firewall"}},
    {"paloalto", {"firewall", "utm"}},
    {"cisco_asa", {"firewall"}},
    {"yamaha_rtx", {"firewall"}},
    {"suricata", {"ids_ips"}},
    {"squid", {"proxy"}},
    {"bluecoat_proxysg", {"proxy"}},
    {"zscaler", {"proxy"}},
    {"trendmicro", {"antivirus"}},
    {"symantec_sep", {"antivirus"}},
    {"mcafee_trellix", {"antivirus"}},
    {"windows_defender", {"antivirus"}},
    {"sophos_central", {"edr", "antivirus"}},
};

}  // namespace

bool product_is_kind(std::string_view name, std::string_view kind) {
  for (const auto& k : kKinds)
    if (k.id == name) return kind == k.kinds[0] || (!k.kinds[1].empty() && kind == k.kinds[1]);
  return false;
}

std::string_view product_label(std::string_view name) {
  for (const auto& [id, label] : kLabels)
    if (id == name) return label;
  return name;
}

}  // namespace kk
