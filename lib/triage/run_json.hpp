// run.json: what a triage run did (versions, options, per-stage timings, counts,
// diagnostics summary), so a case folder documents itself.
#pragma once

#include <string>

#include "triage/triage.hpp"

namespace kk::triage {

std::string render_run_json(const Options& options, const Report& report);

}  // namespace kk::triage
