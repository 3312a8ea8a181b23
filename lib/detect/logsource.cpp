#include "detect/logsource.hpp"

#include "detect/event.hpp"

namespace kk::detect {

namespace {

constexpr const char* kSysmon = "microsoft-windows-sysmon/operational";

// Windows services (SigmaHQ "Windows" log source table) → channel.
const std::map<std::string, std::vector<std::string>>& service_channels() {
  static const std::map<std::string, std::vector<std::string>> m = {
      {"security", {"security"}},
      {"system", {"system"}},
      {"application", {"application"}},
      {"sysmon", {kSysmon}},
      {"powershell", {"microsoft-windows-powershell/operational", "powershellcore/operational"}},
      {"powershell-classic", {"windows powershell"}},
      {"taskscheduler", {"microsoft-windows-taskscheduler/operational"}},
      {"wmi", {"microsoft-windows-wmi-activity/operational"}},
      {"windefend", {"microsoft-windows-windows defender/operational"}},
      {"dns-server", {"dns server"}},
      {"dns-server-analytic", {"microsoft-windows-dns-server/analytical"}},
      {"dns-server-audit", {"microsoft-windows-dns-server/audit"}},
      {"dns-client", {"microsoft-windows-dns client events/operational"}},
      {"driver-framework", {"microsoft-windows-driverframeworks-usermode/operational"}},
      {"ntlm", {"microsoft-windows-ntlm/operational"}},
      {"firewall-as", {"microsoft-windows-windows firewall with advanced security/firewall"}},
      {"bits-client", {"microsoft-windows-bits-client/operational"}},
      {"codeintegrity-operational", {"microsoft-windows-codeintegrity/operational"}},
      {"diagnosis-scripted", {"microsoft-windows-diagnosis-scripted/operational"}},
      {"msexchange-management", {"msexchange management"}},
      {"printservice-admin", {"microsoft-windows-printservice/admin"}},
      {"printservice-operational", {"microsoft-windows-printservice/operational"}},
      {"smbclient-security", {"microsoft-windows-smbclient/security"}},
      {"smbclient-connectivity", {"microsoft-windows-smbclient/connectivity"}},
      {"smbserver-security", {"microsoft-windows-smbserver/security"}},
      {"smbserver-audit", {"microsoft-windows-smbserver/audit"}},
      {"smbserver-connectivity", {"microsoft-windows-smbserver/connectivity"}},
      {"terminalservices-localsessionmanager",
       {"microsoft-windows-terminalservices-localsessionmanager/operational"}},
      {"terminalservices-remoteconnectionmanager",
       {"microsoft-windows-terminalservices-remoteconnectionmanager/operational"}},
      {"rdpcorets", {"microsoft-windows-remotedesktopservices-rdpcorets/operational"}},
      {"lsa-server", {"microsoft-windows-lsa/operational"}},
      {"appxdeployment-server", {"microsoft-windows-appxdeploymentserver/operational"}},
      {"appxpackaging-om", {"microsoft-windows-appxpackaging/operational"}},
      {"appmodel-runtime", {"microsoft-windows-appmodel-runtime/admin"}},
      {"applocker",
       {"microsoft-windows-applocker/exe and dll", "microsoft-windows-applocker/msi and script",
        "microsoft-windows-applocker/packaged app-deployment",
        "microsoft-windows-applocker/packaged app-execution"}},
      {"capi2", {"microsoft-windows-capi2/operational"}},
      {"certificateservicesclient-lifecycle-system",
       {"microsoft-windows-certificateservicesclient-lifecycle-system/operational"}},
      {"dhcp", {"microsoft-windows-dhcp-server/operational"}},
      {"openssh", {"openssh/operational"}},
      {"shell-core", {"microsoft-windows-shell-core/operational"}},
      {"security-mitigations",
       {"microsoft-windows-security-mitigations/kernel mode",
        "microsoft-windows-security-mitigations/user mode"}},
      {"vhdmp", {"microsoft-windows-vhdmp-operational"}},
      {"hyper-v-worker", {"microsoft-windows-hyper-v-worker-admin"}},
      {"kernel-shimengine", {"microsoft-windows-kernel-shimengine/operational"}},
      {"kernel-event-tracing", {"microsoft-windows-kernel-eventtracing/admin"}},
      {"ldap", {"microsoft-windows-ldap-client/debug"}},
      {"microsoft-servicebus-client", {"microsoft-servicebus-client"}},
      {"bitlocker", {"microsoft-windows-bitlocker/bitlocker management"}},
      {"iis-configuration", {"microsoft-iis-configuration/operational"}},
      {"winrm", {"microsoft-windows-winrm/operational"}},
      {"wmi-activity", {"microsoft-windows-wmi-activity/operational"}},
      {"sense", {"microsoft-windows-sense/operational"}},
      {"application-experience", {"microsoft-windows-application-experience/program-telemetry"}},
      {"mssql", {"application"}},
  };
  return m;
}

// Security 4688 carries a subset of Sysmon 1's fields under other names (pySigma
// windows-audit pipeline). Fields whose values differ in form (User "DOM\\u" vs "u",
// IntegrityLevel "High" vs a SID, ProcessId decimal vs hex) are deliberately not mapped.
const std::map<std::string, std::string> k4688Aliases = {{"Image", "NewProcessName"},
                                                         {"ParentImage", "ParentProcessName"},
                                                         {"LogonId", "SubjectLogonId"}};
const std::set<std::string> k4688Fields = {"Image",
                                           "ParentImage",
                                           "CommandLine",
                                           "LogonId",
                                           "EventID",
                                           "Channel",
                                           "Provider_Name",
                                           "Computer",
                                           "SubjectUserSid",
                                           "SubjectUserName",
                                           "SubjectDomainName",
                                           "SubjectLogonId",
                                           "NewProcessId",
                                           "NewProcessName",
                                           "TokenElevationType",
                                           "ProcessId",
                                           "TargetUserSid",
                                           "TargetUserName",
                                           "TargetDomainName",
                                           "TargetLogonId",
                                           "ParentProcessName",
                                           "MandatoryLabel"};

struct Category {
  std::string channel;
  std::set<std::int64_t> ids;
};

// Windows categories (SigmaHQ taxonomy) → Sysmon event ids or PowerShell channels.
const std::map<std::string, std::vector<Category>>& categories() {
  static const std::map<std::string, std::vector<Category>> m = {
      {"process_creation", {{kSysmon, {1}}}},  // + Security 4688, added below
      {"network_connection", {{kSysmon, {3}}}},
      {"sysmon_status", {{kSysmon, {4, 16}}}},
      {"process_termination", {{kSysmon, {5}}}},
      {"driver_load", {{kSysmon, {6}}}},
      {"image_load", {{kSysmon, {7}}}},
      {"create_remote_thread", {{kSysmon, {8}}}},
      {"raw_access_thread", {{kSysmon, {9}}}},
      {"raw_access_read", {{kSysmon, {9}}}},
      {"process_access", {{kSysmon, {10}}}},
      {"file_event", {{kSysmon, {11}}}},
      {"file_creation", {{kSysmon, {11}}}},
      {"registry_add", {{kSysmon, {12}}}},
      {"registry_delete", {{kSysmon, {12}}}},
      {"registry_set", {{kSysmon, {13}}}},
      {"registry_rename", {{kSysmon, {14}}}},
      {"registry_event", {{kSysmon, {12, 13, 14}}}},
      {"create_stream_hash", {{kSysmon, {15}}}},
      {"pipe_created", {{kSysmon, {17, 18}}}},
      {"wmi_event", {{kSysmon, {19, 20, 21}}}},
      {"dns_query", {{kSysmon, {22}}}},
      {"file_delete", {{kSysmon, {23, 26}}}},
      {"file_access", {}},  // needs ETW, no EVTX source
      {"file_change", {{kSysmon, {2}}}},
      {"file_rename", {}},
      {"clipboard_capture", {{kSysmon, {24}}}},
      {"process_tampering", {{kSysmon, {25}}}},
      {"file_block_executable", {{kSysmon, {27}}}},
      {"file_block_shredding", {{kSysmon, {28}}}},
      {"file_executable_detected", {{kSysmon, {29}}}},
      {"sysmon_error", {{kSysmon, {255}}}},
      {"ps_script",
       {{"microsoft-windows-powershell/operational", {4104}},
        {"powershellcore/operational", {4104}}}},
      {"ps_module",
       {{"microsoft-windows-powershell/operational", {4103}},
        {"powershellcore/operational", {4103}}}},
      {"ps_classic_start", {{"windows powershell", {400}}}},
      {"ps_classic_provider_start", {{"windows powershell", {600}}}},
      {"ps_classic_script", {{"windows powershell", {800}}}},
  };
  return m;
}

}  // namespace

Result<LogSourceMapping> map_logsource(const std::string& product_in,
                                       const std::string& category_in,
                                       const std::string& service_in) {
  using R = Result<LogSourceMapping>;
  std::string product = ascii_lower(product_in), category = ascii_lower(category_in),
              service = ascii_lower(service_in);
  LogSourceMapping out;
  if (product == "kakekomi") {
    if (category.empty())
      return R::fail("kakekomi log source without a category (the record artifact)");
    out.targets.push_back({"artifact:" + category, {}, nullptr, nullptr});
    return out;
  }
  if (product != "windows") {
    out.foreign = true;
    return out;
  }
  if (!category.empty()) {
    auto it = categories().find(category);
    if (it == categories().end())
      return R::fail("logsource category \"" + category + "\" has no Windows event log mapping");
    if (it->second.empty())
      return R::fail("logsource category \"" + category + "\" needs ETW data, not in event logs");
    for (const Category& c : it->second)
      out.targets.push_back({c.channel, c.ids, nullptr, nullptr});
    if (category == "process_creation")
      out.targets.push_back({"security", {4688}, &k4688Aliases, &k4688Fields});
    if (!service
             .empty()) {  // e.g. category process_creation + service sysmon: keep that channel only
      auto s = service_channels().find(service);
      if (s != service_channels().end()) {
        std::vector<LogTarget> kept;
        for (auto& t : out.targets)
          for (const auto& ch : s->second)
            if (t.route == ch) kept.push_back(t);
        out.targets = std::move(kept);
      }
    }
    return out;
  }
  if (service.empty()) return R::fail("windows logsource without service or category");
  auto s = service_channels().find(service);
  if (s == service_channels().end())
    return R::fail("logsource service \"" + service + "\" has no channel mapping");
  for (const auto& ch : s->second) out.targets.push_back({ch, {}, nullptr, nullptr});
  return out;
}

}  // namespace kk::detect
