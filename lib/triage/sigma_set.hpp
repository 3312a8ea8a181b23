// Where the default Sigma rule set (sigma/rules, the vetted SigmaHQ rules shipped with
// kakekomi, see sigma/README.md) is: $KK_SIGMA_DIR, else <prefix>/share/kakekomi/sigma/rules
// beside the installed binary, else the source tree the binary was built from.
#pragma once

#include <string>

namespace kk::triage {

// The folder, or "" when none of the places holds it.
std::string default_sigma_dir();

}  // namespace kk::triage
