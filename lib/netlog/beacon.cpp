// Beaconing: malware that phones home does it at a regular interval (a sleep, with a
// little jitter), which a count of connections per hour cannot tell from a busy browser.
// For every source → destination (host name when the log gives one, else address; and
// port) the times of the outbound lines are kept; a destination is reported when it was
// reached at least kMinConnections times, the median gap lies between 10 s and a day, and
// most gaps are within ±25 % of the median.
#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include "core/json_writer.hpp"
#include "netlog/netlog.hpp"

namespace kk::netlog {

namespace {
constexpr std::size_t kMinConnections = 8;
constexpr std::size_t kMaxPairs = 20000;
constexpr std::size_t kMaxTimes = 20000;
constexpr UtcMicros kSecond = 1000000;
}  // namespace

struct BeaconFinder::Pair {
  std::string src, dst_ip, host;
  std::uint64_t port = 0;
  std::string first_source;
  std::uint64_t first_line = 0, first_offset = 0;
  std::vector<UtcMicros> times;
  std::uint64_t dropped = 0;  // times beyond kMaxTimes
};

BeaconFinder::BeaconFinder() = default;
BeaconFinder::~BeaconFinder() = default;

void BeaconFinder::add(std::string_view src, std::string_view dst_ip, std::string_view host,
                       std::uint64_t port, UtcMicros time, std::string_view source,
                       std::uint64_t line, std::uint64_t offset) {
  if (dst_ip.empty() && host.empty()) return;
  std::string key;
  key.append(src).push_back('\x1f');
  key.append(host.empty() ? dst_ip : host).push_back('\x1f');
  key.append(std::to_string(port));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pairs_.find(key);
  if (it == pairs_.end()) {
    if (pairs_.size() >= kMaxPairs) {
      ++dropped_pairs_;
      return;
    }
    auto p = std::make_unique<Pair>();
    p->src = src;
    p->dst_ip = dst_ip;
    p->host = host;
    p->port = port;
    p->first_source = source;
    p->first_line = line;
    p->first_offset = offset;
    it = pairs_.emplace(std::move(key), std::move(p)).first;
  }
  Pair& p = *it->second;
  if (p.dst_ip.empty() && !dst_ip.empty()) p.dst_ip = dst_ip;
  if (p.times.size() < kMaxTimes)
    p.times.push_back(time);
  else
    ++p.dropped;
}

std::vector<Beacon> BeaconFinder::beacons() const {
  std::vector<Beacon> out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, pp] : pairs_) {
    const Pair& p = *pp;
    if (p.times.size() < kMinConnections) continue;
    std::vector<UtcMicros> t = p.times;
    std::sort(t.begin(), t.end());
    // One connection is often logged as several lines (start, end, NAT): within a second
    // they are one contact.
    std::vector<UtcMicros> contacts;
    for (UtcMicros x : t)
      if (contacts.empty() || x - contacts.back() >= kSecond) contacts.push_back(x);
    if (contacts.size() < kMinConnections) continue;
    std::vector<double> gaps;
    for (std::size_t i = 1; i < contacts.size(); ++i)
      gaps.push_back(static_cast<double>(contacts[i] - contacts[i - 1]) / kSecond);
    std::vector<double> sorted = gaps;
    std::nth_element(sorted.begin(),
                     sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
    const double median = sorted[sorted.size() / 2];
    if (median < 10 || median > 86400) continue;
    std::size_t regular = 0;
    std::vector<double> deviation;
    for (double g : gaps) {
      if (std::fabs(g - median) <= 0.25 * median) ++regular;
      deviation.push_back(std::fabs(g - median));
    }
    std::nth_element(deviation.begin(),
                     deviation.begin() + static_cast<std::ptrdiff_t>(deviation.size() / 2),
                     deviation.end());
    const double share = static_cast<double>(regular) / static_cast<double>(gaps.size());
    if (share < 0.8) continue;
    Beacon b;
    b.src_ip = p.src;
    b.dst_ip = p.dst_ip;
    b.host = p.host;
    b.dst_port = p.port;
    b.connections = contacts.size();
    b.lines = p.times.size() + p.dropped;
    b.first = contacts.front();
    b.last = contacts.back();
    b.median_interval_s = std::round(median * 1000) / 1000;
    b.jitter = std::round(deviation[deviation.size() / 2] / median * 1000) / 1000;
    b.regular_share = std::round(share * 1000) / 1000;
    b.source = p.first_source;
    b.line = p.first_line;
    b.offset = p.first_offset;
    out.push_back(std::move(b));
  }
  std::sort(out.begin(), out.end(), [](const Beacon& a, const Beacon& b) {
    return a.first != b.first ? a.first < b.first : a.host + a.dst_ip < b.host + b.dst_ip;
  });
  return out;
}

void VolumeOut::add(UtcMicros time, std::uint64_t bytes, std::string_view source,
                    std::uint64_t line, std::uint64_t offset) {
  constexpr std::int64_t kHour = 3600LL * 1000000;
  const std::int64_t hour = time - ((time % kHour) + kHour) % kHour;
  std::lock_guard<std::mutex> lock(mu_);
  if (hours_.size() >= 100000 && !hours_.count(hour)) return;  // ~11 years of hours
  Hour& h = hours_[hour];
  if (h.lines++ == 0) {
    h.source = source;
    h.line = line;
    h.offset = offset;
  }
  h.bytes += bytes;
}

std::map<std::int64_t, VolumeOut::Hour> VolumeOut::hours() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hours_;
}

std::string render_beacons(const std::vector<Beacon>& beacons) {
  std::string out;
  for (const Beacon& b : beacons) {
    JsonWriter w(out);
    w.begin_object();
    w.field("artifact", "netlog_beacon");
    w.field("source", b.source);
    w.field("line", b.line);
    w.field("offset", b.offset);
    w.key("time").time(b.first);
    w.string_or_null("src_ip", b.src_ip);
    w.string_or_null("dst_ip", b.dst_ip);
    w.string_or_null("host", b.host);
    w.integer_or_null(
        "dst_port", b.dst_port ? std::optional<std::int64_t>(static_cast<std::int64_t>(b.dst_port))
                               : std::nullopt);
    w.field("connections", b.connections);
    w.field("lines", b.lines);
    w.key("first").time(b.first);
    w.key("last").time(b.last);
    w.key("median_interval_s").number(b.median_interval_s);
    w.key("jitter").number(b.jitter);
    w.key("regular_share").number(b.regular_share);
    w.end_object();
    w.end_line();
  }
  return out;
}

}  // namespace kk::netlog
