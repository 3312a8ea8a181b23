#include "cases/intake.hpp"

namespace kk::cases {

IntakeCheck check_intake(std::string_view text, std::string_view folder_case_id, UtcMicros now,
                         std::string_view tz) {
  IntakeCheck out;
  notice::CaseParse parsed = notice::parse_case(text, tz, notice::Lang::kEn);
  std::vector<std::string> parsed_paths;
  for (const notice::CaseProblem& p : parsed.problems) {
    parsed_paths.push_back(p.path);
    std::string line = p.path.empty() ? p.message : p.path + ": " + p.message;
    (p.error ? out.errors : out.warnings).push_back(std::move(line));
  }
  out.value = std::move(parsed.value);
  const notice::CaseFile& c = out.value;
  std::string_view id = c.get("case_id");
  if (!id.empty() && id != folder_case_id)
    out.errors.push_back("case_id: \"" + std::string(id) + "\" is not the case folder's name \"" +
                         std::string(folder_case_id) + "\" (init ROOT/" + std::string(id) + ")");
  // lib/notice checks completion against detection only once every other field is right;
  // init lists every problem at once.
  bool completion_reported = false;
  for (const auto& p : parsed_paths) completion_reported |= p == "completion_date";
  if (!completion_reported && c.completion.year != 0 && c.detected_at != 0) {
    UtcMicros completion_end =
        (days_from_civil(c.completion.year, c.completion.month, c.completion.day) + 2) *
        86400000000LL;  // the day's end, plus a day of slack for time zones
    if (c.detected_at >= completion_end)
      out.errors.push_back("completion_date: " + notice::format_civil_date(c.completion) +
                           " is before the detection (" + format_iso(c.detected_at) + ")");
  }
  // Times of the incident cannot lie in the future of the intake.
  for (const auto& [path, t] : c.times) {
    if (t > now)
      out.errors.push_back(path + ": " + format_iso(t) +
                           " is in the future (now: " + format_iso(now) + ")");
  }
  return out;
}

}  // namespace kk::cases
