// filter-window: cut a timeline to the investigation window (and, optionally, to what
// a suspect file did), reporting what the cut left out.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/output.hpp"
#include "core/time.hpp"
#include "timeline/window.hpp"

int main(int argc, char** argv) {
  kk::Tool tool("filter-window",
                "Keep the timeline events around the detection time (anchor - before .. anchor + "
                "after), optionally only those matching text, tags, artifacts or a suspect file");
  tool.without_jobs(
      "it reads one time-ordered timeline and writes the kept events in the same "
      "order, as fast as it reads them");
  std::vector<std::string> inputs;
  std::string anchor, before = "3d", after, since, until, stats_file, pid_window = "12h";
  kk::timeline::WindowOptions opt;
  auto& app = tool.app();
  app.add_option("INPUT", inputs, "Timeline events (JSONL); none or - for standard input");
  app.add_option("--anchor", anchor,
                 "Detection time: \"2019-07-19 05:40 JST\", an ISO 8601 offset or Z (else --tz); "
                 "without it, no time cut");
  app.add_option("--before", before, "How far back from the anchor (90m, 36h, 3d, 1w)");
  app.add_option("--after", after, "How far after the anchor (default: unbounded)");
  app.add_option("--since", since, "Absolute lower bound (instead of or with --anchor)");
  app.add_option("--until", until, "Absolute upper bound");
  app.add_option("--match", opt.match,
                 "Keep events whose message, path, command line or names match REGEX "
                 "(case-insensitive; repeat to OR)")
      ->allow_extra_args(false);
  app.add_option("--tag", opt.tags, "Keep events carrying TAG (repeat to OR)")
      ->allow_extra_args(false);
  app.add_option("--artifact", opt.artifacts, "Keep events of ARTIFACT (repeat to OR)")
      ->allow_extra_args(false);
  app.add_option("--around-suspect", opt.suspects,
                 "Keep events mentioning the file NAME_OR_PATH and those of its processes and "
                 "their children (repeat to OR)")
      ->allow_extra_args(false);
  app.add_option("--pid-window", pid_window,
                 "How long after its creation a pid is taken as the same process");
  app.add_option("--stats", stats_file, "Write window statistics as JSON to FILE");

  return tool.run(argc, argv, [&](kk::Tool& t) -> int {
    if (!t.time_option("--anchor", anchor, opt.anchor) ||
        !t.time_option("--since", since, opt.since) ||
        !t.time_option("--until", until, opt.until) ||
        !t.duration_option("--before", before, opt.before) ||
        !t.duration_option("--pid-window", pid_window, opt.pid_window))
      return 2;
    if (!after.empty()) {
      std::int64_t a;
      if (!t.duration_option("--after", after, a)) return 2;
      opt.after = a;
    }
    // No anchor and no bounds: no time cut (the whole timeline, through --match/--tag...).
    if (!opt.anchor && (t.app().count("--before") > 0 || !after.empty())) {
      t.error("--before/--after count from --anchor TIME: give it");
      return 2;
    }
    std::unique_ptr<kk::timeline::WindowFilter> filter;
    try {
      filter = std::make_unique<kk::timeline::WindowFilter>(opt);
    } catch (const std::invalid_argument& e) {
      t.error(std::string("--match: invalid regular expression: ") + e.what());
      return 2;
    }
    kk::Output out;
    if (!t.open_output(out)) return 1;
    bool ok = filter->run(kk::inputs_or_stdin(inputs), out, t.diag());
    if (filter->inputs().report_if_empty(t.diag())) return 1;
    if (!out.close() || !ok) {
      t.error("cannot write " + t.options().output);
      return 1;
    }
    if (!stats_file.empty()) {
      kk::Output s;
      std::string err;
      if (!s.open(stats_file, &err)) {
        t.error("cannot write " + stats_file + ": " + err);
        return 1;
      }
      s.write(filter->stats_json());
      if (!s.close()) return 1;
    }
    if (!t.options().quiet && stats_file.empty()) std::fputs(filter->stats_text().c_str(), stderr);
    return 0;
  });
}
