// SRUM providers; see providers.hpp. Names as registered under
// HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\SRUM\Extensions.
#include "srum/providers.hpp"

#include <array>
#include <cctype>

namespace kk::srum {

namespace {
constexpr std::array kProviders{
    Provider{"{D10CA2FE-6FCF-4F6D-848E-B2E99266FA89}", "srum_app_usage",
             "Application Resource Usage Provider"},
    Provider{"{973F5D5C-1D90-4944-BE8E-24B94231A174}", "srum_network_usage",
             "Windows Network Data Usage Monitor"},
    Provider{"{DD6636C4-8929-4683-974E-22C046A43763}", "srum_connectivity",
             "Windows Network Connectivity Usage Monitor"},
    Provider{"{D10CA2FE-6FCF-4F6D-848E-B2E99266FA86}", "srum_push_notification",
             "WPN SRUM Provider"},
    Provider{"{FEE4E14F-02A9-4550-B5CE-5FA2DA202E37}", "srum_energy", "Energy Usage Provider"},
    Provider{"{FEE4E14F-02A9-4550-B5CE-5FA2DA202E37}LT", "srum_energy",
             "Energy Usage Provider (Long Term)"},
    Provider{"{5C8CF1C7-7257-4F13-B223-970EF5939312}", "srum_app_timeline",
             "App Timeline Provider"},
    Provider{"{7ACBBAA3-D029-4BE4-9A7A-0885927F1D8F}", "srum_vfu", "vfuprov"},
    Provider{"{DA73FB89-2BEA-4DDC-86B8-6E048C6DA477}", "srum_energy_estimation",
             "Energy Estimation Provider"},
    Provider{"{B6D82AF1-F780-4E17-8077-6CB9AD8A6FC4}", "srum_tagged_energy",
             "Tagged Energy Provider"},
};
}  // namespace

const Provider* find_provider(std::string_view table) {
  for (const auto& p : kProviders)
    if (p.table == table) return &p;
  return nullptr;
}

bool is_filetime_column(std::string_view c) {
  return c == "ConnectStartTime" || c == "EndTime" || c == "StartTime" || c == "EventTimestamp";
}

std::string field_name(std::string_view c) {
  if (c == "BytesRecvd") return "bytes_received";
  if (c == "L2ProfileId") return "l2_profile_id";
  if (c == "L2ProfileFlags") return "l2_profile_flags";
  std::string out;
  for (std::size_t i = 0; i < c.size(); ++i) {
    const char ch = c[i];
    const bool upper = std::isupper(static_cast<unsigned char>(ch));
    // A word starts at an upper-case letter after a lower-case one or a digit, or
    // before a lower-case letter inside a run of capitals ("MBBTailRaw" -> mbb_tail_raw).
    if (upper && i > 0 &&
        (std::islower(static_cast<unsigned char>(c[i - 1])) ||
         std::isdigit(static_cast<unsigned char>(c[i - 1])) ||
         (i + 1 < c.size() && std::islower(static_cast<unsigned char>(c[i + 1])))))
      out.push_back('_');
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }
  return out;
}

}  // namespace kk::srum
