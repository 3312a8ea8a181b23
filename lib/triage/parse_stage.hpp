// The parse stage of triage: every evidence file of a bundle through its parser,
// in-process, into records/<artifact>.jsonl.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cdir/unpack.hpp"
#include "core/diagnostics.hpp"
#include "triage/record_files.hpp"

namespace kk::triage {

struct ParseCounts {
  std::map<std::string, std::uint64_t> files_by_kind;  // parsed files per manifest kind
  std::uint64_t unparsed_files = 0;                    // kinds we have no parser for (wmi, srum, web…)
};

struct ParseOptions {
  unsigned jobs = 1;
  bool progress = false;
  bool recover_evtx = false;
};

ParseCounts parse_bundle(const std::vector<cdir::ManifestEntry>& entries, const ParseOptions& options,
                         Diagnostics& diag, RecordFiles& records);

}  // namespace kk::triage
