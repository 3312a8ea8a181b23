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
  std::string name;       // the case folder's name in OUTROOT (unique in the list)
};

// The bundles named by SOURCE: a directory (each archive or bundle folder in it)
// or a text file with one path per line ('#' comments). Case names come from the bundle's
// name ("PC01_x.zip" -> PC01_x), are unique in the list ("-2", "-3" … never a name another
// bundle has) and never "." or "..".
std::vector<BatchItem> list_batch(const std::string& source, const std::string& out_root,
                                  std::string* error);

struct BatchOptions {
  Options base;         // per-bundle options (bundle, out_dir, case_path set per item)
  bool resume = false;  // skip items whose run.json says completed
};

// Runs every item; writes OUTROOT/summary.tsv and returns the table as text.
// Returns 0 when every bundle completed, 1 otherwise. OUTROOT is a CaseDir (this user's, not
// a link, outside every bundle); each case folder is created in it. Nothing is deleted: an
// unfinished earlier case folder (its run.json says so) is renamed NAME.previous-N.
int run_batch(const std::vector<BatchItem>& items, const BatchOptions& options,
              const std::string& out_root, const std::string& tool_name, std::string* table);

}  // namespace kk::triage
