// The activity chart: timeline events per bin across the investigation window, stacked by
// artifact family, on a square-root scale (a bar of 3 stays visible next to one of 500),
// with the detection time marked. The bins come from the window, never from the data's
// extent: a 3-day window gives 72 hourly bins.
#pragma once

#include <string>

#include "notice/analysis.hpp"
#include "notice/catalog.hpp"
#include "notice/document.hpp"

namespace kk::notice {

struct ChartOptions {
  std::string tz = "Asia/Tokyo";
  std::size_t max_bins = 168;  // above this the bins widen (2 h, 3 h, 6 h, 12 h, 1 d, …)
  std::string id = "activity-chart";
};

// The family a timeline artifact is drawn in ("eventlog", "execution", "filesystem",
// "registry", "web", "other"); the catalog labels them as "family.<name>".
std::string_view artifact_family(std::string_view artifact);

// Events with FROM <= time <= TO; ANCHOR is marked when inside.
Chart activity_chart(const NoticeInputs& in, UtcMicros from, UtcMicros to, UtcMicros anchor,
                     const Catalog& cat, const ChartOptions& opt);

}  // namespace kk::notice
