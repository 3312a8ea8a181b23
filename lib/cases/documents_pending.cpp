// Built only while lib/casedocs is not part of the build (KK_AREAS without it): the
// registry works, and no case documents are written.
#include "cases/documents.hpp"

namespace kk::cases {

const std::vector<std::string>& kept_fact_kinds() {
  static const std::vector<std::string> kinds{
      "sha256", "file_name", "threat_name", "rule_id", "attack_technique", "domain", "ip", "url"};
  return kinds;
}

Result<std::vector<std::string>> write_case_notice(const CaseDir&, const CaseRow&,
                                                   const std::vector<HostRow>&, const Context&) {
  return std::vector<std::string>{};
}
Result<std::vector<std::string>> write_completion_notice(const CaseDir&, Registry&, const CaseRow&,
                                                         const Context&) {
  return std::vector<std::string>{};
}
Result<std::vector<std::string>> write_deletion_report(const CaseDir&, Registry&, const CaseRow&,
                                                       const PurgeSummary&, const Context&) {
  return std::vector<std::string>{};
}

}  // namespace kk::cases
