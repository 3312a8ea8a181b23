// The customer's network and security logs joined to the PC (triage --netlog): the PC's
// own addresses come from its records (registry network_interface, else outbound
// connections in its event logs); each log's lines that involve them, and every
// detection, go into the record stream like any parser's records; one summary record per
// log file says what was received and when it covers (for the notice's scope).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/diagnostics.hpp"
#include "core/time.hpp"
#include "netlog/netlog.hpp"

namespace kk::triage {

// Collects the PC's own addresses from the records it sees (RecordStream's observer).
class OwnAddresses {
 public:
  void observe(simdjson::dom::element record);
  // Registry addresses when there are any (they are the PC's configuration), else the
  // source addresses of outbound connections its event logs recorded.
  std::vector<std::string> addresses() const;
  std::string_view origin() const;  // "registry", "event logs" or "none"
  // Where the PC's evidence says it connected: Sysmon 3 destinations, Sysmon 22 DNS
  // queries, Security 5156 outbound destinations, browser visit/download/cache hosts, hosts and
  // addresses in PowerShell script blocks (4104) and Defender detection paths (1116/1117)
  // (lower case, sorted; at most 100,000).
  std::vector<std::string> destinations() const {
    return {destinations_.begin(), destinations_.end()};
  }

  // SRUM network usage per hour (bytes sent in total and per app): what the PC itself says
  // it sent, beside the network logs' hourly volume out.
  struct SrumHour {
    std::uint64_t bytes = 0;
    std::map<std::string, std::uint64_t> by_app;
  };
  using SrumHours = std::map<std::int64_t, SrumHour>;  // key: hour start, UTC micros
  const SrumHours& srum_hours() const { return srum_; }

 private:
  void destination(std::string_view v);
  std::set<std::string> registry_, events_, destinations_;
  SrumHours srum_;
};

struct NetlogInput {
  std::string path;    // on disk
  std::string source;  // as records name it ("netlog/fw.log")
};

// --netlog FILE_OR_DIR... and the bundle's own netlog/ files, as inputs.
std::vector<NetlogInput> netlog_inputs(const std::vector<std::string>& given,
                                       const std::vector<NetlogInput>& in_bundle,
                                       Diagnostics& diag);

struct NetlogStageResult {
  std::string summaries;  // JSONL: one "netlog_input" record per file
  std::uint64_t files = 0, lines = 0, written = 0, unreadable = 0;
  std::uint64_t beacons = 0;       // "netlog_beacon" records written (regular connections out)
  std::uint64_t volume_hours = 0;  // "netlog_volume" records written (unusual hours out)
};

// Parses INPUTS, writes their records (lines involving OWN_IPS, and detections) through
// WRITE, then the cross-line findings (netlog_beacon, netlog_volume beside SRUM_HOURS), and
// returns the summaries. WINDOW_FROM/TO: the analysis window, to say whether
// each log covers it.
NetlogStageResult run_netlog_stage(const std::vector<NetlogInput>& inputs,
                                   const std::vector<std::string>& own_ips,
                                   std::string_view own_origin,
                                   const std::vector<std::string>& pc_destinations,
                                   const OwnAddresses::SrumHours& srum_hours, const std::string& tz,
                                   std::optional<UtcMicros> window_from,
                                   std::optional<UtcMicros> window_to, Diagnostics& diag,
                                   const std::function<void(std::string_view)>& write);

// "netlog_volume" records (docs/records.md) for the hours in which the network logs show the
// PC sending unusually much, each with what SRUM recorded for the same hour.
std::string unusual_volume_records(const std::map<std::int64_t, netlog::VolumeOut::Hour>& hours,
                                   const OwnAddresses::SrumHours& srum);

}  // namespace kk::triage
