// detect: parser records and timeline events in, findings out (docs/records.md "Finding").
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/huge_pages.hpp"
#include "core/json_writer.hpp"
#include "core/output.hpp"
#include "core/progress.hpp"
#include "core/terminal_text.hpp"
#include "detect/detect.hpp"
#include "detect/finding_table.hpp"
#include "detect/jsonl_feed.hpp"

namespace {

// One JSONL line per rule file: whether it loaded, and why not.
void write_rule_report(kk::Tool& tool, const std::vector<kk::detect::RuleStatus>& statuses,
                       const std::string& path) {
  kk::Output out;
  std::string err;
  if (!out.open(path, &err)) {
    tool.error("cannot write " + path + ": " + err);
    return;
  }
  std::string buf;
  for (const auto& s : statuses) {
    kk::JsonWriter w(buf);
    w.begin_object().field("artifact", "rule_status").field("source", s.path).field("id", s.id);
    w.field("title", s.title).field("status", s.status).field("reason", s.reason);
    w.key("warnings").begin_array();
    for (const auto& x : s.warnings) w.string(x);
    w.end_array().end_object().end_line();
    out.drain(buf);
  }
  out.write(buf);
  out.close();
}

// The findings as a table or CSV (JSONL is written as it comes); the summary by level and
// rule goes to stderr for CSV and into the table otherwise.
std::string render(kk::Tool& t, const std::string& findings, const std::string& format,
                   kk::ColorMode color) {
  const bool to_stdout = t.options().output == "-";
  const int fd = to_stdout ? STDOUT_FILENO : -1;
  if (format == "table") {
    kk::detect::TableOptions opt;
    opt.tz = t.options().tz;
    opt.width = to_stdout ? kk::terminal_columns(STDOUT_FILENO) : 0;
    opt.color = to_stdout ? kk::use_color(color, fd) : color == kk::ColorMode::kAlways;
    return kk::detect::render_table(kk::detect::finding_rows(findings), opt);
  }
  // csv
  std::vector<kk::detect::FindingRow> rows = kk::detect::finding_rows(findings);
  if (!t.options().quiet)
    std::fputs(kk::detect::render_summary(rows, kk::use_color(color, STDERR_FILENO)).c_str(),
               stderr);
  return kk::detect::render_csv(rows, t.options().tz);
}

}  // namespace

int main(int argc, char** argv) {
  kk::use_huge_pages(argv);  // its heap grows large: see core/huge_pages.hpp
  kk::Tool tool("detect",
                "Findings from parser records and timeline events: built-in rules, Sigma rules, "
                "suspect pivot");
  kk::detect::Options opt;
  std::vector<std::string> inputs;
  std::string rule_report;
  bool no_builtin = false, list_rules = false;
  std::string format, color_text = "auto", min_level = "informational";
  auto& app = tool.app();
  app.add_option("--rules", opt.rule_paths, "Sigma rule file or directory (recursive); repeatable")
      ->allow_extra_args(false);
  app.add_option("--suspect", opt.suspects,
                 "Suspect file name, path or MD5/SHA1/SHA256; repeatable")
      ->allow_extra_args(false);
  app.add_flag("--no-builtin", no_builtin, "Do not load the built-in rule pack");
  app.add_option("--rule-report", rule_report,
                 "Write the load status of every rule (JSONL) to PATH");
  app.add_flag("--list-rules", list_rules,
               "Load the rules, write their status (JSONL) to the output and exit");
  app.add_option("--evidence-cap", opt.evidence_cap,
                 "Evidence records kept per finding (default 20)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--format", format,
                 "jsonl (findings records; the default when the output is not a terminal), "
                 "table (one line per finding and a summary, times in --tz; the default on a "
                 "terminal) or csv")
      ->check(CLI::IsMember({"jsonl", "table", "csv"}));
  app.add_option("--color", color_text,
                 "Colour the table by level: auto (on a terminal, unless NO_COLOR is set), "
                 "always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--min-level", min_level,
                 "Only findings at this level or above: informational, low, medium, high, "
                 "critical")
      ->check(CLI::IsMember({"informational", "info", "low", "medium", "high", "critical"}));
  app.add_option("INPUT", inputs,
                 "Records or timeline events (JSONL); none or - for standard input");

  return tool.run(argc, argv, [&](kk::Tool& t) -> int {
    opt.builtin = !no_builtin;
    opt.load_jobs = t.jobs();
    kk::ColorMode color = kk::ColorMode::kAuto;
    kk::parse_color_mode(color_text, color);
    if (format.empty())
      format = t.options().output == "-" && ::isatty(STDOUT_FILENO) == 1 ? "table" : "jsonl";
    kk::detect::Detector det(opt, t.diag());
    det.load_rules();
    const auto& st = det.stats();
    if (!rule_report.empty()) write_rule_report(t, det.rule_statuses(), rule_report);
    if (list_rules) {
      write_rule_report(t, det.rule_statuses(), t.options().output);
      return 0;
    }
    if (!t.options().quiet && (st.rules_skipped || st.rules_foreign))
      t.error("loaded " + std::to_string(st.rules_loaded) + " rules; skipped " +
              std::to_string(st.rules_skipped) + " (unsupported constructs) and " +
              std::to_string(st.rules_foreign) + " (not Windows)" +
              (rule_report.empty() ? "; --rule-report lists them" : ""));
    kk::Output out;
    if (!t.open_output(out)) return 1;

    std::uint64_t total = 0;
    for (const auto& in : inputs) {
      struct stat sb;
      if (in != "-" && ::stat(in.c_str(), &sb) == 0)
        total += static_cast<std::uint64_t>(sb.st_size);
    }
    kk::Progress progress("detect", total, t.show_progress() && kk::Progress::stderr_is_terminal());
    kk::JsonlInputTally tally =
        kk::detect::feed_jsonl(det, kk::inputs_or_stdin(inputs), t.jobs(), t.diag(), &progress);
    progress.finish();
    if (tally.report_if_empty(t.diag())) return 1;
    const int least = kk::detect::severity_level(min_level);
    if (format == "jsonl") {  // written as they come: the findings text is never whole
      std::string buf;
      std::vector<kk::detect::FindingRow> rows;  // for the summary on stderr
      det.finish([&](std::string_view line, int severity) {
        if (severity < least) return;
        buf.append(line);
        out.drain(buf);
        if (!t.options().quiet) {
          auto row = kk::detect::finding_rows(line);
          rows.insert(rows.end(), std::make_move_iterator(row.begin()),
                      std::make_move_iterator(row.end()));
        }
      });
      out.write(buf);
      if (!t.options().quiet)
        std::fputs(kk::detect::render_summary(rows, kk::use_color(color, STDERR_FILENO)).c_str(),
                   stderr);
    } else {
      out.write(render(t, kk::detect::findings_at_least(det.finish(), least), format, color));
    }
    if (!out.close()) {
      t.error("cannot write the findings");
      return 1;
    }
    return 0;
  });
}
