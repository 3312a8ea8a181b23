#include "notice/chart.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cstdio>

namespace kk::notice {

namespace {
constexpr std::int64_t kHour = 3600LL * 1000000;
constexpr std::int64_t kDay = 24 * kHour;
constexpr const char* kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
                                   "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};

// Offset of zone TZ from UTC at T, in microseconds (0 if the zone is unknown).
std::int64_t zone_offset(std::string_view tz, UtcMicros t) {
  try {
    const date::time_zone* zone = date::locate_zone(std::string(tz));
    auto info = zone->get_info(date::sys_seconds{std::chrono::seconds{t / 1000000}});
    return static_cast<std::int64_t>(info.offset.count()) * 1000000;
  } catch (const std::exception&) {
    return 0;
  }
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

void esc(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '"')
      out += "&quot;";
    else
      out.push_back(c);
  }
}

// The legend has little room: the label without its explanation in parentheses.
std::string label_of(const Catalog& cat, std::string_view artifact) {
  std::string key = "artifact." + std::string(artifact);
  std::string label = cat.has(key) ? std::string(cat.raw(key)) : std::string(artifact);
  for (std::string_view open : {"\xEF\xBC\x88", " ("}) {  // full-width and ASCII "("
    auto at = label.find(open);
    if (at != std::string::npos && at > 0) label.resize(at);
  }
  return label;
}
}  // namespace

Chart activity_chart(const NoticeInputs& in, const Window& w, const Catalog& cat,
                     const ChartOptions& opt) {
  Chart chart;
  const std::int64_t span = std::max<std::int64_t>(w.end - w.start, kHour);
  // Whole hours, as few as keep the bar count at or under max_bins.
  const std::int64_t max_bins = static_cast<std::int64_t>(std::max<std::size_t>(opt.max_bins, 1));
  std::int64_t bin = std::max<std::int64_t>(1, (span / kHour + max_bins - 1) / max_bins) * kHour;
  while (span / bin + 1 > max_bins) bin += kHour;
  const std::size_t nbins = static_cast<std::size_t>(span / bin) + 1;

  // Series: artifacts by event count in the window, the smallest folded into "other".
  std::vector<std::int64_t> per_artifact(in.artifacts.size(), 0);
  for (const auto& [t, idx] : in.event_times)
    if (t >= w.start && t <= w.end && idx < per_artifact.size()) ++per_artifact[idx];
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < per_artifact.size(); ++i)
    if (per_artifact[i]) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return per_artifact[a] > per_artifact[b]; });
  std::vector<std::size_t> series_of(in.artifacts.size(), 0);
  std::vector<std::string> names;
  const bool fold_rest = order.size() > opt.max_series;
  const std::size_t shown = fold_rest ? opt.max_series - 1 : order.size();
  for (std::size_t k = 0; k < order.size(); ++k) {
    series_of[order[k]] = std::min(k, shown);
    if (k < shown) names.push_back(label_of(cat, in.artifacts[order[k]]));
  }
  if (fold_rest) names.push_back(std::string(cat.raw("chart.other")));
  const std::size_t nseries = names.size();

  std::vector<std::vector<std::int64_t>> counts(nbins, std::vector<std::int64_t>(nseries, 0));
  for (const auto& [t, idx] : in.event_times) {
    if (t < w.start || t > w.end || idx >= series_of.size() || !nseries) continue;
    counts[static_cast<std::size_t>((t - w.start) / bin)][series_of[idx]]++;
  }
  std::int64_t peak = 1;
  for (const auto& b : counts) {
    std::int64_t s = 0;
    for (auto v : b) s += v;
    peak = std::max(peak, s);
  }

  // Geometry (SVG user units; the figure scales to the page width).
  const double W = 1000, H = 330, left = 56, right = 170, top = 30, bottom = 56;
  const double pw = W - left - right, ph = H - top - bottom;
  const double bw = pw / static_cast<double>(nbins);
  auto x_of = [&](UtcMicros t) {
    return left + pw * static_cast<double>(t - w.start) / static_cast<double>(nbins * bin);
  };
  auto y_of = [&](double v) { return top + ph - ph * v / static_cast<double>(peak); };

  std::string& s = chart.svg;
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 330\" role=\"img\" "
       "id=\"activity-chart\" aria-label=\"";
  esc(s, cat.raw("chart.title"));
  s += "\" font-family=\"Noto Sans CJK JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif\" "
       "font-size=\"14\">";
  s += "<rect x=\"0\" y=\"0\" width=\"1000\" height=\"330\" fill=\"#ffffff\"/>";
  // Y grid and labels.
  for (int k = 0; k <= 4; ++k) {
    double v = static_cast<double>(peak) * k / 4.0;
    double y = y_of(v);
    s += "<line x1=\"" + num(left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(left + pw) +
         "\" y2=\"" + num(y) + "\" stroke=\"#e3e7ec\" stroke-width=\"1\"/>";
    s += "<text x=\"" + num(left - 6) + "\" y=\"" + num(y + 4) +
         "\" text-anchor=\"end\" fill=\"#5b6572\">" +
         std::to_string(static_cast<long long>(v + 0.5)) + "</text>";
  }
  // Bars.
  for (std::size_t b = 0; b < nbins; ++b) {
    double acc = 0;
    for (std::size_t k = 0; k < nseries; ++k) {
      if (!counts[b][k]) continue;
      double y0 = y_of(acc), y1 = y_of(acc + static_cast<double>(counts[b][k]));
      acc += static_cast<double>(counts[b][k]);
      s += "<rect x=\"" + num(left + bw * static_cast<double>(b)) + "\" y=\"" + num(y1) +
           "\" width=\"" + num(std::max(bw - 0.6, 0.6)) + "\" height=\"" +
           num(std::max(y0 - y1, 0.5)) + "\" fill=\"" + kColors[k % 9] + "\"/>";
    }
  }
  // Local midnights: day ticks and labels; the axis line.
  // A long window gets a tick (and a Markdown row) every few days, at most ~40 of them.
  const std::int64_t off = zone_offset(opt.tz, w.start);
  const UtcMicros first_day = ((w.start + off) / kDay) * kDay - off;
  const std::int64_t days = (w.end - first_day) / kDay + 1;
  const std::int64_t step = std::max<std::int64_t>(1, (days + 39) / 40) * kDay;
  const std::int64_t rows = (w.end - first_day) / step + 1;
  const std::int64_t label_every = std::max<std::int64_t>(1, (rows + 13) / 14);
  std::vector<std::vector<std::int64_t>> per_row(static_cast<std::size_t>(rows),
                                                 std::vector<std::int64_t>(nseries, 0));
  for (const auto& [t, idx] : in.event_times)
    if (t >= w.start && t <= w.end && idx < series_of.size() && nseries)
      ++per_row[static_cast<std::size_t>((t - first_day) / step)][series_of[idx]];
  std::vector<std::vector<Rich>> fallback_rows;
  std::int64_t row_no = 0;
  for (UtcMicros day = first_day; day <= w.end; day += step, ++row_no) {
    if (day >= w.start) {
      double x = x_of(day);
      s += "<line x1=\"" + num(x) + "\" y1=\"" + num(top) + "\" x2=\"" + num(x) + "\" y2=\"" +
           num(top + ph + 6) + "\" stroke=\"#aab3bd\" stroke-width=\"1\"/>";
    }
    UtcMicros label_at = std::max(day, w.start);
    std::string date = format_local(label_at + 1, opt.tz).substr(5, 5);  // "MM-DD"
    std::replace(date.begin(), date.end(), '-', '/');
    double xl = x_of(label_at) + 4;
    if (xl < left + pw - 20 && row_no % label_every == 0)
      s += "<text x=\"" + num(xl) + "\" y=\"" + num(top + ph + 18) + "\" fill=\"#1d2530\">" + date +
           "</text>";
    // The Markdown table: one row per local day.
    std::vector<Rich> row{plain(format_local(label_at, opt.tz).substr(0, 10))};
    for (auto v : per_row[static_cast<std::size_t>(row_no)])
      row.push_back(plain(std::to_string(v)));
    fallback_rows.push_back(std::move(row));
  }
  s += "<line x1=\"" + num(left) + "\" y1=\"" + num(top + ph) + "\" x2=\"" + num(left + pw) +
       "\" y2=\"" + num(top + ph) + "\" stroke=\"#1d2530\" stroke-width=\"1\"/>";
  s += "<text x=\"" + num(left) + "\" y=\"" + num(H - 10) + "\" fill=\"#5b6572\">";
  esc(s, cat("chart.axis", {{"tz", opt.tz}, {"hours", std::to_string(bin / kHour)}}));
  s += "</text>";
  // Detection time.
  if (w.anchor >= w.start && w.anchor <= w.end + bin) {
    double x = x_of(w.anchor);
    s += "<line id=\"detection-marker\" x1=\"" + num(x) + "\" y1=\"" + num(top - 8) + "\" x2=\"" +
         num(x) + "\" y2=\"" + num(top + ph) +
         "\" stroke=\"#d62728\" stroke-width=\"2\" stroke-dasharray=\"5,3\"/>";
    s += "<text x=\"" + num(x + (x > left + pw - 150 ? -4 : 4)) + "\" y=\"" + num(top - 10) +
         "\" fill=\"#d62728\"" + (x > left + pw - 150 ? " text-anchor=\"end\"" : "") + ">";
    esc(s, cat("chart.detection", {{"time", format_local(w.anchor, opt.tz)}}));
    s += "</text>";
  }
  // Legend.
  for (std::size_t k = 0; k < nseries; ++k) {
    double y = top + 6 + 20.0 * static_cast<double>(k);
    s += "<rect x=\"" + num(left + pw + 16) + "\" y=\"" + num(y) +
         "\" width=\"12\" height=\"12\" fill=\"" + kColors[k % 9] + "\"/>";
    s += "<text x=\"" + num(left + pw + 34) + "\" y=\"" + num(y + 11) + "\">";
    esc(s, names[k]);
    s += "</text>";
  }
  if (!nseries) {
    s += "<text x=\"" + num(left + pw / 2) + "\" y=\"" + num(top + ph / 2) +
         "\" text-anchor=\"middle\" fill=\"#5b6572\">";
    esc(s, cat.raw("chart.empty"));
    s += "</text>";
  }
  s += "</svg>";

  chart.caption = cat("chart.caption", {{"start", format_local(w.start, opt.tz)},
                                        {"end", format_local(w.end, opt.tz)},
                                        {"hours", std::to_string(bin / kHour)}});
  chart.fallback.header.push_back(std::string(cat.raw("chart.day")));
  for (const auto& n : names) chart.fallback.header.push_back(n);
  chart.fallback.rows = std::move(fallback_rows);
  chart.fallback.style = "compact";
  return chart;
}

}  // namespace kk::notice
