#include "core/cli.hpp"

#include <cstdio>
#include <exception>

#include "core/parallel.hpp"
#include "core/printable.hpp"
#include "core/time.hpp"
#include "core/version.hpp"

namespace kk {

Tool::Tool(std::string name, std::string summary)
    : name_(std::move(name)),
      app_(std::move(summary), name_),
      diag_(std::make_unique<Diagnostics>(name_)) {
  app_.set_version_flag("--version", std::string(name_) + " (kakekomi) " + std::string(version()));
  app_.option_defaults()->always_capture_default();
}

unsigned Tool::jobs() const {
  return resolve_jobs(opts_.jobs);
}

void Tool::error(const std::string& message) const {
  std::fprintf(stderr, "%s: %s\n", name_.c_str(), printable(message).c_str());
}

bool Tool::time_option(std::string_view flag, const std::string& text,
                       std::optional<UtcMicros>& dst) const {
  if (text.empty()) return true;
  auto t = parse_user_time(text, opts_.tz);
  if (!t) {
    error(std::string(flag) + ": " + t.error().message);
    return false;
  }
  dst = *t;
  return true;
}

bool Tool::duration_option(std::string_view flag, const std::string& text,
                           std::int64_t& dst) const {
  if (text.empty()) return true;
  auto d = parse_duration(text);
  if (!d) {
    error(std::string(flag) + ": " + d.error().message);
    return false;
  }
  dst = *d;
  return true;
}

bool Tool::open_output(Output& out) {
  std::string err;
  if (!out.open(opts_.output, &err)) {
    error("cannot write " + opts_.output + ": " + err);
    return false;
  }
  return true;
}

int Tool::run(int argc, char** argv, const std::function<int(Tool&)>& body) {
  if (with_output_) app_.add_option("-o,--output", opts_.output, output_help_);
  if (with_jobs_) app_.add_option("--jobs", opts_.jobs, "Worker threads (0 = all cores)");
  if (!with_jobs_ && !sequential_why_.empty()) {
    std::string footer = app_.get_footer();
    app_.footer(footer + (footer.empty() ? "" : "\n\n") + "No --jobs: " + sequential_why_);
  }
  app_.add_flag("--quiet", opts_.quiet, "No progress display on stderr");
  app_.add_option("--diagnostics", opts_.diagnostics, "Also write diagnostics as JSONL to PATH");
  app_.add_flag("--strict", opts_.strict, "Exit with status 1 on any damage found in the input");
  app_.add_option("--tz", opts_.tz,
                  "Time zone (tz database name) for times given without an offset. TIME "
                  "values: \"2019-07-19 05:40 JST\", \"2019-07-19T05:40+09:00\", "
                  "\"2019-07-18T20:40Z\" (JST = +09:00, UTC = Z); a date alone means 00:00");
  try {
    app_.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app_.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app_.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app_.exit(e);
  } catch (const CLI::ParseError& e) {
    error(e.what());
    std::fprintf(stderr, "Run '%s --help' for usage.\n", name_.c_str());
    return 2;
  }
  // Looking a zone up loads the tz database (~10 ms): only check a zone the user named.
  if (app_.count("--tz") > 0 && !is_known_time_zone(opts_.tz)) {
    error("unknown time zone \"" + opts_.tz +
          "\" (use a tz database name such as Asia/Tokyo or UTC)");
    return 2;
  }
  if (!opts_.diagnostics.empty()) {
    std::string err;
    if (!diag_->open_jsonl(opts_.diagnostics, &err)) {
      error("cannot write diagnostics file " + opts_.diagnostics + ": " + err);
      return 1;
    }
  }
  int status;
  try {
    status = body(*this);
  } catch (const std::exception& e) {
    error(e.what());
    status = 1;
  }
  diag_->finish();
  if (status == 2) return 2;
  int d = diag_->exit_code(opts_.strict);
  return status != 0 ? status : d;
}

std::vector<std::string> inputs_or_stdin(const std::vector<std::string>& inputs) {
  if (inputs.empty()) return {"-"};
  return inputs;
}

}  // namespace kk
