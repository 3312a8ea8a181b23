// parse-netlog: the customer's firewall, proxy, UTM, IDS and antivirus logs as one JSONL
// record per line (see ../shared/CONTRACT.md, "parse-netlog", and docs/records.md).
//
// Generic syntaxes first (syslog envelope, key=value, CSV, W3C #Fields, CEF, LEEF, JSON
// lines, Squid native, free text), then product knowledge as data (products.cpp): which
// product a line comes from and which vendor field means what. Windows Defender's own
// MPLog and DetectionHistory files are read here too (defender.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/out_buffer.hpp"
#include "core/time.hpp"

namespace kk::netlog {

// Regular outbound connections to one destination (beaconing), found across every line
// and file given to it: see beacon.cpp for the rule. Thread-safe.
struct Beacon {
  std::string src_ip, dst_ip, host;
  std::uint64_t dst_port = 0;     // 0: the log gave none
  std::uint64_t connections = 0;  // contacts (lines within 1 s are one)
  std::uint64_t lines = 0;        // log lines behind them
  UtcMicros first = 0, last = 0;
  double median_interval_s = 0;  // median gap between contacts
  double jitter = 0;             // median absolute deviation of the gaps / the median
  double regular_share = 0;      // share of gaps within ±25 % of the median
  std::string source;            // the first line that reached the destination
  std::uint64_t line = 0, offset = 0;
};

class BeaconFinder {
 public:
  BeaconFinder();
  ~BeaconFinder();
  void add(std::string_view src, std::string_view dst_ip, std::string_view host, std::uint64_t port,
           UtcMicros time, std::string_view source, std::uint64_t line, std::uint64_t offset);
  std::vector<Beacon> beacons() const;
  std::uint64_t dropped_pairs() const { return dropped_pairs_; }  // beyond the 20,000 kept

 private:
  struct Pair;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Pair>> pairs_;
  std::uint64_t dropped_pairs_ = 0;
};

// Bytes the PC sent out per hour (outbound lines that give bytes_sent), across every line
// and file given to it: the network logs' side of "unusual volume out". Thread-safe.
class VolumeOut {
 public:
  struct Hour {
    std::uint64_t bytes = 0, lines = 0;
    std::string source;  // the hour's first line with bytes (the evidence to cite)
    std::uint64_t line = 0, offset = 0;
  };
  void add(UtcMicros time, std::uint64_t bytes, std::string_view source, std::uint64_t line,
           std::uint64_t offset);
  std::map<std::int64_t, Hour> hours() const;  // key: hour start, UTC micros

 private:
  mutable std::mutex mu_;
  std::map<std::int64_t, Hour> hours_;
};

// One "netlog_beacon" JSONL record per beacon (docs/records.md).
std::string render_beacons(const std::vector<Beacon>& beacons);

struct Options {
  std::string format = "auto";  // "auto", a syntax (cef, kv, …) or a product (fortigate, …)
  std::string tz = kDefaultTz;  // zone of times written without one
  std::optional<int> year;      // year of year-less syslog headers when the file has none
  // Products whose tables are not used (the generic paths must carry their lines): how the
  // tests check that a product with no table still parses.
  std::vector<std::string> held_back;
  // The PC's own addresses: records say "direction" (outbound: from one of them, inbound:
  // to one), and with only_involved only the lines that involve them are written, plus
  // every detection (a threat named, or a Windows Defender record with one).
  std::vector<std::string> own_ips;
  bool only_involved = false;
  // Destinations the PC's own evidence names (addresses and lower-case host names, from
  // its browser history, Sysmon, DNS queries): a record whose destination is one of them
  // says "seen_on_pc":true.
  std::vector<std::string> pc_destinations;  // sorted
  // When set, every outbound line with a time (direction "outbound") is given to it.
  BeaconFinder* beacons = nullptr;
  VolumeOut* volume = nullptr;  // when set, outbound lines with bytes_sent are summed per hour
};

// One diagnostic, reported once per kind of problem per file (with the first offset and
// the number of lines it concerns), never once per line.
struct Issue {
  Severity severity = Severity::kWarning;
  std::optional<std::uint64_t> offset;
  std::string message;
};

struct FileSummary {
  std::uint64_t lines = 0;       // non-empty lines (records written)
  std::uint64_t recognised = 0;  // lines a syntax or product understood
  std::uint64_t with_time = 0;
  std::uint64_t written = 0;   // records written (fewer than lines with only_involved)
  std::uint64_t involved = 0;  // lines that involve own_ips
  std::string product;         // the file's main product ("" when none was recognised)
  std::string log_type;
  std::optional<UtcMicros> first_time, last_time;
  std::vector<Issue> issues;
  std::string unreadable;  // why the file could not be read at all ("" = it was read)
};

// The names --format accepts (syntaxes, then products), for --help and error messages.
std::vector<std::string_view> format_names();
bool is_format_name(std::string_view name);

// Parses the log file at PATH (plain, gzip, UTF-8/UTF-16/CP932, Defender files) and calls
// EMIT with batches of rendered JSONL lines (the callee may take the buffer's contents, as
// Output::write(OutBuffer&) does; what it leaves is discarded).
// SOURCE is written as each record's "source".
FileSummary parse_file(const std::string& path, std::string_view source, const Options& opts,
                       const std::function<void(OutBuffer&)>& emit);

// The same over bytes already in memory (tests, fuzzing, files inside archives).
FileSummary parse_bytes(std::string_view bytes, std::string_view source, const Options& opts,
                        const std::function<void(OutBuffer&)>& emit);

// A file with no recognised line: the one-line reason naming the formats tried.
std::string nothing_recognised_message(const FileSummary& s);

}  // namespace kk::netlog
