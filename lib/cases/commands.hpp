// The `cases` subcommands as library calls (tools/cases.cpp only parses arguments).
// Each command opens the registry, does its work in one transaction (run: one per state
// change, so a crash leaves every finished PC recorded), and appends audit rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace kk::cases {

struct Context {
  std::string registry;  // --registry / $KK_REGISTRY; "" = SQLite ROOT/cases.db
  UtcMicros now = 0;     // --now, else the clock
  std::string tz = kDefaultTz;
  bool quiet = false;
  std::string lang = "ja";  // the documents' language (ja, en)
};

// What a command prints (OUT, on standard output) and its exit status; ERROR is one
// message (possibly several lines, e.g. every bad CASE.json field) for standard error.
struct Outcome {
  int status = 0;
  std::string out, error;
  static Outcome failed(std::string why, int status = 1) {
    Outcome o;
    o.status = status;
    o.error = std::move(why);
    return o;
  }
};

Outcome init_case(const Context& ctx, const std::string& case_dir, const std::string& case_json);

struct AddOptions {
  std::string host;  // --host: the PC, when the bundle's name does not say it
};
Outcome add_inputs(const Context& ctx, const std::string& case_dir,
                   const std::vector<std::string>& inputs, const AddOptions& options);

struct RunOptions {
  unsigned jobs = 1;          // PCs triaged at once
  unsigned triage_jobs = 0;   // threads per triage (0: all cores / jobs)
  std::string password_file;  // archive password, passed to triage
  bool sigma = true;          // triage's default Sigma set
  std::string triage;         // the triage program; "" = beside this program, else $PATH
};
Outcome run_case(const Context& ctx, const std::string& case_dir, const RunOptions& options);

Outcome status_case(const Context& ctx, const std::string& case_dir, bool json);

struct CompleteOptions {
  std::optional<UtcMicros> meeting;  // the report meeting, when one was held
};
Outcome complete_case(const Context& ctx, const std::string& case_dir,
                      const CompleteOptions& options);

struct PurgeOptions {
  bool execute = false;  // false: --dry-run, list only
  bool force = false;    // before the deletion date / without completion
  std::string reason;    // required with force
};
Outcome purge_case(const Context& ctx, const std::string& case_dir, const PurgeOptions& options);

Outcome stats_root(const Context& ctx, const std::string& root, const std::string& format);
Outcome list_root(const Context& ctx, const std::string& root, bool json);

}  // namespace kk::cases
