// The parse stage of triage: every evidence file of a bundle through its parser,
// in-process; each parser's output lines go to one sink (triage's RecordStream).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cdir/unpack.hpp"
#include "core/diagnostics.hpp"

namespace kk::triage {

struct ParseCounts {
  std::map<std::string, std::uint64_t> files_by_kind;  // parsed files per manifest kind
  std::uint64_t unparsed_files = 0;  // kinds we have no parser for (wmi, srum, web…)
};

struct ParseOptions {
  unsigned jobs = 1;
  bool progress = false;
  bool recover_evtx = false;
};

// Receives whole JSONL record lines, in each parser's order, on one thread at a time.
using RecordSink = std::function<void(std::string_view lines)>;

ParseCounts parse_bundle(const std::vector<cdir::ManifestEntry>& entries,
                         const ParseOptions& options, Diagnostics& diag, const RecordSink& records);

}  // namespace kk::triage
