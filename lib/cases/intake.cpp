#include "cases/intake.hpp"

namespace kk::cases {

IntakeCheck check_intake(std::string_view text, std::string_view folder_case_id, UtcMicros now,
                         std::string_view tz) {
  IntakeCheck out;
  notice::CaseParse parsed = notice::parse_case(text, tz, notice::Lang::kEn);
  for (const notice::CaseProblem& p : parsed.problems) {
    std::string line = p.path.empty() ? p.message : p.path + ": " + p.message;
    (p.error ? out.errors : out.warnings).push_back(std::move(line));
  }
  out.value = std::move(parsed.value);
  const notice::CaseFile& c = out.value;
  std::string_view id = c.get("case_id");
  if (!id.empty() && id != folder_case_id)
    out.errors.push_back("case_id: \"" + std::string(id) + "\" is not the case folder's name \"" +
                         std::string(folder_case_id) + "\" (init ROOT/" + std::string(id) + ")");
  // Times of the incident cannot lie in the future of the intake.
  for (const auto& [path, t] : c.times) {
    if (t > now)
      out.errors.push_back(path + ": " + format_iso(t) +
                           " is in the future (now: " + format_iso(now) + ")");
  }
  return out;
}

}  // namespace kk::cases
