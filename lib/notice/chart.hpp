// The activity chart: timeline events per hour across the investigation window, stacked
// by artifact, with the detection time marked.
#pragma once

#include <string>

#include "notice/analysis.hpp"
#include "notice/catalog.hpp"
#include "notice/document.hpp"

namespace kk::notice {

struct ChartOptions {
  std::string tz = "Asia/Tokyo";
  std::size_t max_bins = 336;  // above this the bins widen (2 h, 3 h, …) to stay readable
  std::size_t max_series = 7;  // further artifacts are summed as "other"
};

Chart activity_chart(const NoticeInputs& in, const Window& w, const Catalog& cat,
                     const ChartOptions& opt);

}  // namespace kk::notice
