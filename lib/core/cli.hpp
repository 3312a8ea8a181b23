// The one CLI convention every tool shares (see docs/interface.md, "Every tool"):
// --help, --version, -o/--output, --jobs, --quiet, --diagnostics, --strict, --tz;
// exit status 0 (completed), 1 (an input unreadable, or damage with --strict), 2 (bad usage).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/output.hpp"
#include "core/time.hpp"

namespace kk {

struct CommonOptions {
  std::string output = "-";
  unsigned jobs = 0;  // 0 = all cores
  bool quiet = false;
  std::string diagnostics;
  bool strict = false;
  std::string tz = "Asia/Tokyo";
};

class Tool {
 public:
  // NAME is the command name; SUMMARY its one-line description for --help.
  Tool(std::string name, std::string summary);

  CLI::App& app() { return app_; }
  const CommonOptions& options() const { return opts_; }
  CommonOptions& options() { return opts_; }
  Diagnostics& diag() { return *diag_; }
  const std::string& name() const { return name_; }
  unsigned jobs() const;
  bool show_progress() const { return !opts_.quiet; }

  // Leaves out --jobs for a tool that works on one thread; WHY is said in --help (and the
  // man page and docs/interface.md say the same).
  void without_jobs(std::string why) {
    with_jobs_ = false;
    sequential_why_ = std::move(why);
  }
  void without_output() { with_output_ = false; }
  // The --help line of -o for a tool whose output is not one stream (triage: the case folder).
  void describe_output(std::string help) { output_help_ = std::move(help); }

  // Parses ARGV, then runs BODY. Handles --help/--version, usage errors (exit 2),
  // --diagnostics, and turns an escaping exception into a one-line error (exit 1).
  // BODY returns its own status; the final status also reflects diagnostics.
  int run(int argc, char** argv, const std::function<int(Tool&)>& body);

  // Opens -o (or stdout). Reports a one-line error and returns false on failure.
  bool open_output(Output& out);

  // Prints "NAME: MESSAGE" to stderr (for usage-level errors).
  void error(const std::string& message) const;

  // Option values every time-aware tool reads the same way. Empty TEXT leaves DST as it
  // is. A bad value prints "NAME: FLAG: why" and returns false; the tool then exits 2.
  // A time without an offset is in --tz (parse_user_time); durations: 90m, 36h, 3d, 1w.
  bool time_option(std::string_view flag, const std::string& text,
                   std::optional<UtcMicros>& dst) const;
  bool duration_option(std::string_view flag, const std::string& text, std::int64_t& dst) const;

 private:
  std::string name_;
  CLI::App app_;
  CommonOptions opts_;
  std::unique_ptr<Diagnostics> diag_;
  bool with_jobs_ = true, with_output_ = true;
  std::string sequential_why_;
  std::string output_help_ = "Write output to PATH instead of standard output";
};

// Expands the INPUT... list of a JSONL-consuming tool: none means "-".
std::vector<std::string> inputs_or_stdin(const std::vector<std::string>& inputs);

}  // namespace kk
