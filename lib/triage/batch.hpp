// triage --batch: many bundles (several PCs of one customer, a day's intake),
// one case folder each, a summary table, resumable, one bad bundle never stops it.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "triage/triage.hpp"

namespace kk::triage {

struct BatchItem {
  std::string bundle;     // path of the bundle (folder or archive)
  std::string case_dir;   // OUTROOT/<name>
  std::string case_path;  // a CASE.json found beside the bundle, or ""
};

// The bundles named by SOURCE: a directory (each archive or bundle folder in it)
// or a text file with one path per line ('#' comments).
std::vector<BatchItem> list_batch(const std::string& source, const std::string& out_root,
                                  std::string* error);

struct BatchOptions {
  Options base;         // per-bundle options (bundle, out_dir, case_path set per item)
  bool resume = false;  // skip items whose run.json says completed
};

// Runs every item; writes OUTROOT/summary.tsv and returns the table as text.
// Returns 0 when every bundle completed, 1 otherwise.
int run_batch(const std::vector<BatchItem>& items, const BatchOptions& options,
              const std::string& out_root, const std::string& tool_name, std::string* table);

}  // namespace kk::triage
