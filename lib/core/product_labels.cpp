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

}  // namespace

std::string_view product_label(std::string_view name) {
  for (const auto& [id, label] : kLabels)
    if (id == name) return label;
  return name;
}

}  // namespace kk
