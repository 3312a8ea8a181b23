// What the customer calls a network or security product ("FortiGate" for parse-netlog's id
// "fortigate"), for text a person reads: the timeline's messages, detect's summaries, the
// notice. Here, not in lib/netlog, because all three print it and none parses logs.
#pragma once

#include <string_view>

namespace kk {

// The label of product id NAME; NAME itself when it is no known product (a generic syntax
// such as "cef" or "syslog").
std::string_view product_label(std::string_view name);
// Whether product id NAME's log is a log of KIND, as the case intake names the logs a customer
// has (available_logs: "proxy", "firewall", "ids_ips", "utm", "antivirus", "edr"): a
// FortiGate's is the UTM's and the firewall's. Windows Firewall's pfirewall.log is the PC's
// own, no network device's.
bool product_is_kind(std::string_view name, std::string_view kind);

}  // namespace kk
