// The intake items our ヒアリング sheet collects, in the order the template shows them.
#include <array>

#include "notice/case_file.hpp"

namespace kk::notice {
namespace {
constexpr std::array<std::string_view, 3> kPriority{"high", "medium", "low"};
constexpr std::array<std::string_view, 2> kIdentification{"identified", "unidentified"};
constexpr std::array<std::string_view, 2> kUsage{"personal", "shared"};

constexpr std::array<FieldSpec, 39> kFields{{
    {"case_id", FieldType::kText, true, {}},
    {"analyst", FieldType::kText, true, {}},
    {"completion_date", FieldType::kDate, true, {}},
    {"version", FieldType::kText, false, {}},
    {"classification", FieldType::kText, false, {}},
    {"customer.company", FieldType::kText, true, {}},
    {"customer.department", FieldType::kText, false, {}},
    {"customer.contact_person", FieldType::kText, false, {}},
    {"customer.phone", FieldType::kText, false, {}},
    {"customer.email", FieldType::kText, false, {}},
    {"customer.responsible_person", FieldType::kText, false, {}},
    {"incident.summary", FieldType::kText, false, {}},
    {"incident.purpose", FieldType::kText, false, {}},
    {"incident.priority", FieldType::kChoice, false, kPriority},
    {"incident.discovered_at", FieldType::kTime, false, {}},
    {"incident.discovery_method", FieldType::kText, false, {}},
    {"incident.occurred_at", FieldType::kTime, false, {}},
    {"incident.target_device", FieldType::kText, false, {}},
    {"incident.user_activity", FieldType::kText, false, {}},
    {"incident.other_requests", FieldType::kText, false, {}},
    {"device.identification", FieldType::kChoice, false, kIdentification},
    {"device.usage", FieldType::kChoice, false, kUsage},
    {"device.os", FieldType::kText, false, {}},
    {"device.antivirus", FieldType::kText, false, {}},
    {"device.external_connectivity", FieldType::kText, false, {}},
    {"device.notes", FieldType::kText, false, {}},
    {"network.layout", FieldType::kText, false, {}},
    {"available_logs.proxy", FieldType::kFlag, false, {}},
    {"available_logs.firewall", FieldType::kFlag, false, {}},
    {"available_logs.ids_ips", FieldType::kFlag, false, {}},
    {"available_logs.utm", FieldType::kFlag, false, {}},
    {"available_logs.antivirus", FieldType::kFlag, false, {}},
    {"available_logs.edr", FieldType::kFlag, false, {}},
    {"available_logs.notes", FieldType::kText, false, {}},
    {"detection.detected_at", FieldType::kTime, true, {}},
    {"detection.product", FieldType::kText, false, {}},
    {"detection.threat_name", FieldType::kText, false, {}},
    {"detection.suspect_files", FieldType::kTextList, false, {}},
    {"detection.notes", FieldType::kText, false, {}},
}};

constexpr std::array<std::string_view, 7> kGroups{"",        "customer",       "incident", "device",
                                                  "network", "available_logs", "detection"};
}  // namespace

std::span<const FieldSpec> case_fields() {
  return kFields;
}
std::span<const std::string_view> case_groups() {
  return kGroups;
}

}  // namespace kk::notice
