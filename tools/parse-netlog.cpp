// parse-netlog: firewall, proxy, UTM, IDS and antivirus logs (and Windows Defender's MPLog
// and DetectionHistory files) to one JSONL record per line.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/folder_inputs.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "netlog/netlog.hpp"

namespace {

struct Parsed {
  std::string text;
  kk::netlog::FileSummary summary;
};

}  // namespace

int main(int argc, char** argv) {
  kk::Tool tool("parse-netlog",
                "Parse firewall, proxy, UTM, IDS and antivirus logs (syslog, key=value, CSV, W3C, "
                "CEF, LEEF, JSON, Squid; Windows Defender MPLog/DetectionHistory) to JSONL");
  std::vector<std::string> inputs;
  kk::netlog::Options opts;
  int year = 0;
  tool.app()
      .add_option("FILE", inputs, "Log files (plain or .gz), or folders holding them")
      ->required();
  std::string names;
  for (auto n : kk::netlog::format_names()) names += (names.empty() ? "" : ", ") + std::string(n);
  tool.app()
      .add_option("--format", opts.format,
                  "Force a syntax or product instead of detecting it: " + names)
      ->check([](const std::string& v) {
        return kk::netlog::is_format_name(v) ? std::string() : "unknown format \"" + v + "\"";
      });
  tool.app()
      .add_option("--year", year, "Year of RFC 3164 syslog times when the file itself gives none")
      ->check(CLI::Range(1970, 2100));
  tool.app().add_option("--ip", opts.own_ips,
                        "The PC's own address (repeatable): records get \"direction\" "
                        "(outbound/inbound) relative to it");
  tool.app().add_flag(
      "--only-involved", opts.only_involved,
      "With --ip, write only the lines that involve those addresses, and detections");

  return tool.run(argc, argv, [&](kk::Tool& t) {
    opts.tz = t.options().tz;
    if (!kk::is_known_time_zone(opts.tz)) {
      t.error("--tz: unknown time zone \"" + opts.tz + "\"");
      return 2;
    }
    if (year) opts.year = year;
    kk::netlog::BeaconFinder beacons;  // with --ip: regular connections out, after the lines
    if (!opts.own_ips.empty()) opts.beacons = &beacons;
    const std::vector<std::string> paths = kk::expand_folder_inputs(
        inputs, [](const std::string&) { return true; }, "folder holds no files", t.diag());
    kk::Output out;
    if (!t.open_output(out)) return 1;
    out.write_in_background();
    kk::Progress progress("parse-netlog", paths.size(), t.show_progress());
    int status = 0;
    // Files in parallel, output in input order; each file's records are held until its turn,
    // so --jobs 1 streams with flat memory and --jobs N holds at most N files' output.
    kk::ordered_parallel(
        paths.size(), t.jobs(),
        [&](std::size_t i) {
          Parsed p;
          if (t.jobs() == 1 || paths.size() <= 1) {
            p.summary = kk::netlog::parse_file(paths[i], paths[i], opts,
                                               [&](kk::OutBuffer& s) { out.write(s); });
          } else {
            p.summary = kk::netlog::parse_file(paths[i], paths[i], opts,
                                               [&](kk::OutBuffer& s) { p.text += s.view(); });
          }
          return p;
        },
        [&](std::size_t i, Parsed p) {
          const auto& s = p.summary;
          if (!s.unreadable.empty()) {
            t.diag().unreadable(paths[i], s.unreadable);
          } else {
            for (const auto& issue : s.issues)
              t.diag().report(issue.severity, paths[i], issue.offset, issue.message);
            if (s.recognised == 0) {
              t.diag().unreadable(paths[i], kk::netlog::nothing_recognised_message(s));
              status = 1;
            }
          }
          out.write(p.text);
          progress.advance(1);
        });
    progress.finish();
    if (opts.beacons) out.write(kk::netlog::render_beacons(beacons.beacons()));
    if (!out.close()) {
      t.error("cannot write " + t.options().output);
      return 1;
    }
    return status;
  });
}
