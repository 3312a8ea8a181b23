// Sigma logsource → where the events are: the EVTX channel (and event ids) for the Windows
// log sources, or a kakekomi record artifact ("product: kakekomi, category: prefetch").
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace kk::detect {

struct LogTarget {
  std::string route;                 // lower-cased channel, or "artifact:<name>"
  std::set<std::int64_t> event_ids;  // empty: any event of the route
  // Sigma field name → the name this log uses (e.g. Image → NewProcessName for 4688).
  const std::map<std::string, std::string>* aliases = nullptr;
  // When set, a rule naming any other field is not run on this target (its meaning would
  // change: a "not" filter on a field the log never has would always pass).
  const std::set<std::string>* available = nullptr;
};

struct LogSourceMapping {
  std::vector<LogTarget> targets;
  bool foreign = false;  // not a Windows or kakekomi log source: skipped, not an error
};

Result<LogSourceMapping> map_logsource(const std::string& product, const std::string& category,
                                       const std::string& service);

}  // namespace kk::detect
