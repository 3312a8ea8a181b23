// CASE.json as `cases init` accepts it: what render-notice checks (lib/notice/case_file),
// plus what a case registry needs: the case id is the case folder's name, and no time of
// the incident lies after --now. Every problem is reported at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "notice/case_file.hpp"

namespace kk::cases {

struct IntakeCheck {
  notice::CaseFile value;
  std::vector<std::string> errors;    // "path: why", one per bad field
  std::vector<std::string> warnings;  // allowed, shown
};

IntakeCheck check_intake(std::string_view text, std::string_view folder_case_id, UtcMicros now,
                         std::string_view tz);

}  // namespace kk::cases
