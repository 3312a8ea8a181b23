#include "notice/chart.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "core/ascii_case.hpp"

namespace kk::notice {

namespace {
constexpr std::int64_t kHour = 3600LL * 1000000;
constexpr std::int64_t kDay = 24 * kHour;

struct Family {
  std::string_view name, color;
};
// Drawing order, bottom up; colours tell apart in grey print too (dark → light).
constexpr std::array<Family, 6> kFamilies{{{"eventlog", "#1f4e79"},
                                           {"execution", "#d9534f"},
                                           {"filesystem", "#e0a100"},
                                           {"registry", "#3c9a5f"},
                                           {"web", "#8e5ea2"},
                                           {"other", "#8a939c"}}};

std::size_t family_index(std::string_view artifact) {
  std::string_view f = artifact_family(artifact);
  for (std::size_t i = 0; i < kFamilies.size(); ++i)
    if (kFamilies[i].name == f) return i;
  return kFamilies.size() - 1;
}

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

// "07/19" or "07/19 05:40" in local time.
std::string short_local(UtcMicros t, std::string_view tz, bool with_time) {
  std::string s = format_local(t, std::string(tz));  // "2019-07-19 05:40:00 JST"
  std::string out = s.substr(5, 5);
  std::replace(out.begin(), out.end(), '-', '/');
  if (with_time) out += " " + s.substr(11, 5);
  return out;
}

// Smallest of 1, 2, 3, 6, 12 h, 1, 2 d, 1, 2, 4 weeks … giving at most MAX bins.
std::int64_t bin_size(std::int64_t span, std::size_t max_bins) {
  const std::int64_t max = static_cast<std::int64_t>(std::max<std::size_t>(max_bins, 1));
  for (std::int64_t h : {1, 2, 3, 6, 12, 24, 48, 168, 336, 672})
    if ((span + h * kHour - 1) / (h * kHour) <= max) return h * kHour;
  std::int64_t bin = 672 * kHour;
  while ((span + bin - 1) / bin > max) bin *= 2;
  return bin;
}
}  // namespace

std::string_view artifact_family(std::string_view artifact) {
  std::string a = ascii_lower(artifact);
  if (a == "evtx") return "eventlog";
  if (a == "prefetch" || a.starts_with("amcache") || a == "shimcache" || a == "bam" ||
      a == "userassist" || a == "run_mru" || a == "srum_app_usage")
    return "execution";
  if (a == "mft" || a == "usnjrnl" || a == "lnk" || a == "recent_docs" || a == "shellbag")
    return "filesystem";
  if (a.starts_with("browser") || a == "netlog" || a.starts_with("srum") || a == "web")
    return "web";
  if (a == "service" || a == "autorun" || a == "scheduled_task" || a == "defender_exclusion" ||
      a == "user_profile" || a == "usb_device" || a == "registry_key" || a == "system_info" ||
      a == "timezone" || a.starts_with("wmi"))
    return "registry";
  return "other";
}

Chart activity_chart(const NoticeInputs& in, UtcMicros from, UtcMicros to, UtcMicros anchor,
                     const Catalog& cat, const ChartOptions& opt) {
  Chart chart;
  to = std::max(to, from);
  const std::int64_t span = std::max<std::int64_t>(to - from, 1);
  const std::int64_t bin = bin_size(span, opt.max_bins);
  const std::size_t nbins = static_cast<std::size_t>((span + bin - 1) / bin);
  const std::size_t nfam = kFamilies.size();
  chart.bins = nbins;
  chart.bin_hours = bin / kHour;

  std::vector<std::size_t> family_of(in.artifacts.size());
  for (std::size_t i = 0; i < in.artifacts.size(); ++i)
    family_of[i] = family_index(in.artifacts[i]);
  std::vector<std::vector<std::int64_t>> counts(nbins, std::vector<std::int64_t>(nfam, 0));
  std::vector<std::int64_t> per_family(nfam, 0);
  for (const auto& [t, idx] : in.event_times) {
    if (t < from || t > to || idx >= family_of.size()) continue;
    std::size_t b = std::min(static_cast<std::size_t>((t - from) / bin), nbins - 1);
    ++counts[b][family_of[idx]];
    ++per_family[family_of[idx]];
    ++chart.total;
  }
  std::vector<std::int64_t> totals(nbins, 0);
  std::int64_t peak = 1;
  for (std::size_t b = 0; b < nbins; ++b) {
    for (auto v : counts[b]) totals[b] += v;
    peak = std::max(peak, totals[b]);
  }
  std::vector<std::size_t> shown;  // families present, in drawing order
  for (std::size_t k = 0; k < nfam; ++k)
    if (per_family[k]) shown.push_back(k);

  const std::string bin_text =
      cat(bin % kDay == 0 ? "chart.bin_days" : "chart.bin_hours",
          {{"n", std::to_string(bin % kDay == 0 ? bin / kDay : bin / kHour)}});
  const std::string from_text = format_local(from, opt.tz), to_text = format_local(to, opt.tz);
  chart.caption = cat("chart.caption", {{"start", from_text},
                                        {"end", to_text},
                                        {"bin", bin_text},
                                        {"total", std::to_string(chart.total)}});

  // Geometry (SVG user units; the figure scales to the page width). The legend is a row
  // under the axis, inside the figure, so print never clips it.
  const double W = 1000, left = 58, right = 16, top = 44, ph = 190;
  const double pw = W - left - right;
  const double legend_y = top + ph + 58;
  const double H = legend_y + 16;
  const double bw = pw / static_cast<double>(nbins);
  auto x_of = [&](UtcMicros t) {
    return left + pw * static_cast<double>(t - from) / static_cast<double>(nbins * bin);
  };
  // Square-root scale: 1 is 1/sqrt(peak) of the height, never a hairline.
  const double root_peak = std::sqrt(static_cast<double>(peak));
  auto y_of = [&](double v) { return top + ph - ph * std::sqrt(v) / root_peak; };

  std::string& s = chart.svg;
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(W) + " " + num(H) +
       "\" role=\"img\" id=\"" + opt.id + "\" data-bins=\"" + std::to_string(nbins) +
       "\" data-bin-hours=\"" + std::to_string(bin / kHour) + "\" data-total=\"" +
       std::to_string(chart.total) + "\" aria-label=\"";
  esc(s, chart.caption);
  s += "\" font-family=\"Noto Sans CJK JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif\" "
       "font-size=\"14\"><title>";
  esc(s, chart.caption);
  s += "</title>";
  s +=
      "<rect x=\"0\" y=\"0\" width=\"" + num(W) + "\" height=\"" + num(H) + "\" fill=\"#ffffff\"/>";
  // Y grid at round counts, as many as fit without crowding.
  double last_y = 1e9;
  for (std::int64_t v : {0LL, 1LL, 2LL, 5LL, 10LL, 20LL, 50LL, 100LL, 200LL, 500LL, 1000LL, 2000LL,
                         5000LL, 10000LL, 20000LL, 50000LL, 100000LL, 1000000LL}) {
    if (v > peak) break;
    double y = y_of(static_cast<double>(v));
    if (last_y - y < 16) continue;
    last_y = y;
    s += "<line x1=\"" + num(left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(left + pw) +
         "\" y2=\"" + num(y) + "\" stroke=\"#e3e7ec\" stroke-width=\"1\"/>";
    s += "<text x=\"" + num(left - 6) + "\" y=\"" + num(y + 5) +
         "\" text-anchor=\"end\" fill=\"#5b6572\">" + std::to_string(v) + "</text>";
  }
  // Bars: each family a segment of the stack (the square root of the running total).
  for (std::size_t b = 0; b < nbins; ++b) {
    double acc = 0;
    for (std::size_t k : shown) {
      if (!counts[b][k]) continue;
      double y0 = y_of(acc), y1 = y_of(acc + static_cast<double>(counts[b][k]));
      acc += static_cast<double>(counts[b][k]);
      s += "<rect x=\"" + num(left + bw * static_cast<double>(b) + 0.5) + "\" y=\"" + num(y1) +
           "\" width=\"" + num(std::max(bw - 1.0, 0.8)) + "\" height=\"" +
           num(std::max(y0 - y1, 1.0)) + "\" fill=\"" + std::string(kFamilies[k].color) +
           "\"><title>" + std::to_string(counts[b][k]) + "</title></rect>";
    }
  }
  // The count over the three tallest bars (the scale is not linear, so say it).
  std::vector<std::size_t> tallest;
  for (std::size_t b = 0; b < nbins; ++b)
    if (totals[b]) tallest.push_back(b);
  std::stable_sort(tallest.begin(), tallest.end(),
                   [&](std::size_t x, std::size_t y) { return totals[x] > totals[y]; });
  if (tallest.size() > 3) tallest.resize(3);
  for (std::size_t b : tallest)
    s += "<text x=\"" + num(left + bw * (static_cast<double>(b) + 0.5)) + "\" y=\"" +
         num(y_of(static_cast<double>(totals[b])) - 4) +
         "\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1d2530\">" +
         std::to_string(totals[b]) + "</text>";
  s += "<line x1=\"" + num(left) + "\" y1=\"" + num(top + ph) + "\" x2=\"" + num(left + pw) +
       "\" y2=\"" + num(top + ph) + "\" stroke=\"#1d2530\" stroke-width=\"1\"/>";
  // Local midnights: a short tick under the axis and the date, at most ~12 labels.
  const std::int64_t off = zone_offset(opt.tz, from);
  const UtcMicros first_day = ((from + off) / kDay) * kDay - off;
  const std::int64_t days = (to - first_day) / kDay + 1;
  // A tick a day, at most ~60 of them (a window of years, from a damaged time, would write a
  // line per day: megabytes of figure); a label on about a dozen.
  const std::int64_t tick_days = std::max<std::int64_t>(1, (days + 59) / 60);
  const std::int64_t every = std::max<std::int64_t>(1, (days / tick_days + 11) / 12);
  s += "<text x=\"" + num(left) + "\" y=\"" + num(top + ph + 18) + "\" fill=\"#1d2530\">" +
       short_local(from, opt.tz, true) + "</text>";
  double last_label = left + 90;
  std::int64_t n = 0;
  for (UtcMicros day = first_day; day <= to; day += tick_days * kDay, ++n) {
    if (day <= from) continue;
    double x = x_of(day);
    s += "<line x1=\"" + num(x) + "\" y1=\"" + num(top + ph) + "\" x2=\"" + num(x) + "\" y2=\"" +
         num(top + ph + 5) + "\" stroke=\"#1d2530\" stroke-width=\"1\"/>";
    if (n % every || x < last_label || x > left + pw - 30) continue;
    last_label = x + 50;
    s += "<text x=\"" + num(x) + "\" y=\"" + num(top + ph + 18) +
         "\" text-anchor=\"middle\" fill=\"#1d2530\">" + short_local(day + 1, opt.tz, false) +
         "</text>";
  }
  s += "<text x=\"" + num(left) + "\" y=\"" + num(top + ph + 38) + "\" fill=\"#5b6572\">";
  esc(s, cat("chart.axis", {{"tz", opt.tz}, {"bin", bin_text}}));
  s += "</text>";
  // Detection time.
  if (anchor >= from && anchor <= to) {
    double x = x_of(anchor);
    bool flip = x > left + pw - 260;
    // The label sits in its own band above the bars' counts.
    s += "<line id=\"" + opt.id + "-detection\" class=\"detection-marker\" x1=\"" + num(x) +
         "\" y1=\"" + num(top - 24) + "\" x2=\"" + num(x) + "\" y2=\"" + num(top + ph) +
         "\" stroke=\"#c00000\" stroke-width=\"2\" stroke-dasharray=\"6,3\"/>";
    s += "<text x=\"" + num(x + (flip ? -5 : 5)) + "\" y=\"" + num(top - 26) +
         "\" fill=\"#c00000\"" + (flip ? " text-anchor=\"end\"" : "") + ">";
    esc(s, cat("chart.detection", {{"time", format_local(anchor, opt.tz)}}));
    s += "</text>";
  }
  // Legend: one row under the axis.
  double lx = left;
  for (std::size_t k : shown) {
    std::string label(cat.raw("family." + std::string(kFamilies[k].name)));
    label += " " + std::to_string(per_family[k]);
    s += "<rect x=\"" + num(lx) + "\" y=\"" + num(legend_y - 11) +
         "\" width=\"12\" height=\"12\" fill=\"" + std::string(kFamilies[k].color) + "\"/>";
    s += "<text x=\"" + num(lx + 17) + "\" y=\"" + num(legend_y) + "\">";
    esc(s, label);
    s += "</text>";
    // CJK glyphs are about one em wide, ASCII about half.
    double width = 0;
    for (unsigned char c : label)
      if (c < 0x80)
        width += 8;
      else if ((c & 0xC0) == 0xC0)
        width += 14;
    lx += 17 + width + 22;
  }
  if (shown.empty()) {
    s += "<text x=\"" + num(left + pw / 2) + "\" y=\"" + num(top + ph / 2) +
         "\" text-anchor=\"middle\" fill=\"#5b6572\">";
    esc(s, cat.raw("chart.empty"));
    s += "</text>";
  }
  s += "</svg>";

  // Markdown: one row per bin that holds events (the empty ones are said to be left out).
  chart.fallback.style = "compact";
  chart.fallback.header.push_back(cat("chart.bin_col", {{"bin", bin_text}}));
  for (std::size_t k : shown)
    chart.fallback.header.push_back(
        std::string(cat.raw("family." + std::string(kFamilies[k].name))));
  chart.fallback.header.push_back(std::string(cat.raw("chart.total")));
  for (std::size_t b = 0; b < nbins; ++b) {
    if (!totals[b]) continue;
    UtcMicros b0 = from + static_cast<std::int64_t>(b) * bin;
    std::string label = format_local(b0, opt.tz).substr(0, 16) + " –";
    std::vector<Rich> row{plain(label)};
    for (std::size_t k : shown) row.push_back(plain(std::to_string(counts[b][k])));
    row.push_back(plain(std::to_string(totals[b])));
    chart.fallback.rows.push_back(std::move(row));
  }
  chart.fallback_note = cat("chart.fallback_note", {{"bin", bin_text}});
  return chart;
}

}  // namespace kk::notice
