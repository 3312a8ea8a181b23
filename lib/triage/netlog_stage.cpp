#include "triage/netlog_stage.hpp"

#include <algorithm>
#include <filesystem>

#include "core/ascii_case.hpp"
#include "core/hosts_in_text.hpp"
#include "core/json_writer.hpp"
#include "core/product_labels.hpp"
#include "core/url_parts.hpp"
#include "netlog/netlog.hpp"

namespace kk::triage {

namespace {

std::string_view str(simdjson::dom::element e, std::string_view key) {
  std::string_view v;
  if (e.is_object() && e[key].get(v) == simdjson::SUCCESS) return v;
  return {};
}

bool usable(std::string_view ip) {
  return !ip.empty() && ip != "0.0.0.0" && ip != "127.0.0.1" && ip != "::1" && ip != "::" &&
         ip != "-" && ip.size() <= 45;
}

}  // namespace

std::string unusual_volume_records(const std::map<std::int64_t, netlog::VolumeOut::Hour>& hours,
                                   const OwnAddresses::SrumHours& srum) {
  // An hour is unusual when the PC sent at least 50 MiB in it and at least 10 times its
  // median hour (over the hours the logs show it sending anything); with fewer than 3 such
  // hours there is no median to compare with and 100 MiB alone decides.
  std::vector<std::uint64_t> sizes;
  for (const auto& [hour, h] : hours) sizes.push_back(h.bytes);
  if (sizes.empty()) return {};
  std::vector<std::uint64_t> sorted = sizes;
  std::sort(sorted.begin(), sorted.end());
  const std::uint64_t median = sorted[sorted.size() / 2];
  const bool have_median = sorted.size() >= 3;
  std::string out;
  for (const auto& [hour, h] : hours) {
    const bool unusual = have_median ? h.bytes >= (50ULL << 20) && h.bytes >= 10 * median
                                     : h.bytes >= (100ULL << 20);
    if (!unusual) continue;
    JsonWriter w(out);
    w.begin_object();
    w.field("artifact", "netlog_volume");
    w.field("source", h.source);
    w.field("line", h.line);
    w.field("offset", h.offset);
    w.key("time").time(hour);
    w.field("bytes_sent", h.bytes);
    w.field("lines", h.lines);
    w.key("median_hour_bytes");
    have_median ? w.unsigned_integer(median) : w.null();
    // What SRUM (the PC's own record) says it sent in the same hour, and which program sent most.
    auto s = srum.find(hour);
    w.key("srum_bytes_sent");
    s != srum.end() ? w.unsigned_integer(s->second.bytes) : w.null();
    std::string top;
    std::uint64_t top_bytes = 0;
    if (s != srum.end())
      for (const auto& [app, b] : s->second.by_app)
        if (b > top_bytes) {
          top = app;
          top_bytes = b;
        }
    w.string_or_null("srum_top_app", top);
    w.key("srum_top_app_bytes");
    top.empty() ? w.null() : w.unsigned_integer(top_bytes);
    w.field("srum_present", !srum.empty());
    w.end_object();
    w.end_line();
  }
  return out;
}

void OwnAddresses::destination(std::string_view v) {
  if (!usable(v) || destinations_.size() >= 100000) return;
  destinations_.insert(kk::ascii_lower(v));
}

void OwnAddresses::observe(simdjson::dom::element rec) {
  const std::string_view artifact = str(rec, "artifact");
  if (artifact == "srum_network_usage") {
    std::int64_t sent = 0;
    if (rec["bytes_sent"].get(sent) != simdjson::SUCCESS || sent <= 0) return;
    auto t = parse_user_time(str(rec, "time"), "UTC");
    if (!t) return;
    constexpr std::int64_t kHour = 3600LL * 1000000;
    const std::int64_t hour = *t - ((*t % kHour) + kHour) % kHour;
    if (srum_.size() >= 100000 && !srum_.count(hour)) return;
    SrumHour& h = srum_[hour];
    h.bytes += static_cast<std::uint64_t>(sent);
    const std::string_view app = str(rec, "app");
    if (h.by_app.size() < 64 || h.by_app.count(std::string(app)))
      h.by_app[std::string(app)] += static_cast<std::uint64_t>(sent);
    return;
  }
  // The hosts the browser fetched from: pages, downloads, cached files.
  if (artifact == "browser_visit" || artifact == "browser_download" ||
      artifact == "browser_cache") {
    destination(url_host(str(rec, "url")));
    return;
  }
  if (artifact == "network_interface") {
    simdjson::dom::array ips;
    if (rec["ip_addresses"].get(ips) == simdjson::SUCCESS)
      for (auto v : ips) {
        std::string_view ip;
        if (v.get(ip) == simdjson::SUCCESS && usable(ip)) registry_.insert(std::string(ip));
      }
    return;
  }
  if (artifact != "evtx") return;
  std::int64_t id = 0;
  if (rec["event_id"].get(id) != simdjson::SUCCESS) return;
  simdjson::dom::element data;
  if (rec["data"].get(data) != simdjson::SUCCESS) return;
  // Sysmon 3 (network connection, Initiated=true) and Security 5156 (WFP allowed, outbound
  // "%%14593"): the source address is the PC's own.
  const std::string_view channel = str(rec, "channel");
  // (Initiated may be missing in older Sysmon schemas: the source is still the PC.)
  const bool sysmon = channel.find("Sysmon") != std::string_view::npos;
  if (id == 3 && sysmon && str(data, "Initiated") != "false") {
    if (usable(str(data, "SourceIp")) && events_.size() < 64)
      events_.insert(std::string(str(data, "SourceIp")));
    destination(str(data, "DestinationIp"));
    destination(str(data, "DestinationHostname"));
  } else if (id == 22 && sysmon) {
    destination(str(data, "QueryName"));
  } else if (id == 4104 && channel.find("PowerShell") != std::string_view::npos) {
    // A script block's download cradles and sockets: the hosts and addresses it names.
    hosts_in_text(str(data, "ScriptBlockText"), [&](std::string_view h) { destination(h); });
  } else if ((id == 1116 || id == 1117) && channel.find("Defender") != std::string_view::npos) {
    // A detection's "Path" names the URL a file came from ("webfile:_…|http://…|pid:…");
    // FWLink is Microsoft's own page, not the PC's destination.
    hosts_in_text(str(data, "Path"), [&](std::string_view h) { destination(h); });
  } else if (id == 5156 && channel == "Security" && str(data, "Direction") == "%%14593") {
    if (usable(str(data, "SourceAddress")) && events_.size() < 64)
      events_.insert(std::string(str(data, "SourceAddress")));
    destination(str(data, "DestAddress"));
  }
}

std::vector<std::string> OwnAddresses::addresses() const {
  const auto& s = registry_.empty() ? events_ : registry_;
  return {s.begin(), s.end()};
}

std::string_view OwnAddresses::origin() const {
  return !registry_.empty() ? "registry" : !events_.empty() ? "event logs" : "none";
}

std::vector<NetlogInput> netlog_inputs(const std::vector<std::string>& given,
                                       const std::vector<NetlogInput>& in_bundle,
                                       Diagnostics& diag) {
  namespace fs = std::filesystem;
  std::vector<NetlogInput> out = in_bundle;
  for (const auto& g : given) {
    std::error_code ec;
    if (!fs::is_directory(g, ec)) {
      out.push_back({g, "netlog/" + fs::path(g).filename().string()});
      continue;
    }
    std::vector<NetlogInput> found;
    for (auto it =
             fs::recursive_directory_iterator(g, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec))
        found.push_back(
            {it->path().string(),
             "netlog/" + fs::relative(it->path(), fs::path(g).parent_path(), ec).generic_string()});
    if (found.empty()) diag.warning(g, std::nullopt, "--netlog folder holds no files");
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

NetlogStageResult run_netlog_stage(const std::vector<NetlogInput>& inputs,
                                   const std::vector<std::string>& own_ips,
                                   std::string_view own_origin,
                                   const std::vector<std::string>& pc_destinations,
                                   const OwnAddresses::SrumHours& srum_hours, const std::string& tz,
                                   std::optional<UtcMicros> window_from,
                                   std::optional<UtcMicros> window_to, Diagnostics& diag,
                                   const std::function<void(std::string_view)>& write) {
  NetlogStageResult r;
  netlog::Options opts;
  opts.tz = tz;
  opts.own_ips = own_ips;
  opts.only_involved = true;
  opts.pc_destinations = pc_destinations;
  netlog::BeaconFinder beacons;  // regular connections out, across every log
  opts.beacons = &beacons;
  netlog::VolumeOut volume;  // bytes out per hour, across every log
  opts.volume = &volume;
  if (own_ips.empty() && !inputs.empty())
    diag.warning(
        "netlog", std::nullopt,
        "the PC's own address is not known (no network_interface in its registry, no outbound "
        "connection in its event logs): only detections are taken from the network logs");
  for (const auto& in : inputs) {
    ++r.files;
    netlog::FileSummary s =
        netlog::parse_file(in.path, in.source, opts, [&](OutBuffer& text) { write(text.view()); });
    if (!s.unreadable.empty()) {
      diag.unreadable(in.source, s.unreadable);
      ++r.unreadable;
    }
    for (const auto& issue : s.issues)
      diag.report(issue.severity, in.source, issue.offset, issue.message);
    if (s.unreadable.empty() && s.lines > 0 && s.recognised == 0)
      diag.warning(in.source, std::nullopt, netlog::nothing_recognised_message(s));
    r.lines += s.lines;
    r.written += s.written;
    JsonWriter w(r.summaries);
    w.begin_object();
    w.field("artifact", "netlog_input");
    w.field("source", in.source);
    w.field("product", s.product.empty() ? "unknown" : s.product);
    if (!s.product.empty()) w.field("product_name", product_label(s.product));
    w.field("lines", s.lines);
    w.field("recognised", s.recognised);
    w.field("involving_pc", s.involved);
    w.field("records", s.written);
    w.key("first");
    s.first_time ? w.time(*s.first_time) : w.null();
    w.key("last");
    s.last_time ? w.time(*s.last_time) : w.null();
    w.key("covers_window");
    if (s.first_time && s.last_time && (window_from || window_to))
      w.boolean((!window_from || *s.first_time <= *window_from) &&
                (!window_to || *s.last_time >= *window_to));
    else
      w.null();
    w.key("pc_addresses").begin_array();
    for (const auto& ip : own_ips) w.string(ip);
    w.end_array();
    w.field("pc_addresses_from", own_origin);
    w.key("unreadable");
    s.unreadable.empty() ? w.null() : w.string(s.unreadable);
    w.end_object();
    w.end_line();
  }
  const auto found = beacons.beacons();
  if (!found.empty()) {
    write(netlog::render_beacons(found));
    r.beacons = found.size();
  }
  const std::string unusual = unusual_volume_records(volume.hours(), srum_hours);
  if (!unusual.empty()) {
    write(unusual);
    r.volume_hours = static_cast<std::uint64_t>(std::count(unusual.begin(), unusual.end(), '\n'));
  }
  return r;
}

}  // namespace kk::triage
