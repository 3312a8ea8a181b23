// Public interface of the $UsnJrnl:$J parser (parse-usnjrnl, and triage in-process).
//
// The journal is scanned sequentially: zero-filled gaps (sparse or page padding)
// are skipped a word at a time, bytes that are not a plausible record are skipped
// 8 at a time until the next record (one diagnostic per garbage run).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/byte_reader.hpp"
#include "core/diagnostics.hpp"
#include "core/time.hpp"
#include "ntfs/mft.hpp"

namespace kk {
class Progress;
}

namespace kk::ntfs {

struct UsnOptions {
  std::string source;  // the "source" field
  std::string file;    // file name for diagnostics
  // Paths from the volume's $MFT (parse-usnjrnl --mft); null: the journal's own history only.
  const PathTable* mft = nullptr;
  std::function<bool(std::string_view)> path_filter;  // on the path, or the name when unresolved
  std::optional<UtcMicros> since;
  OutputFormat format = OutputFormat::kJsonl;
  Progress* progress = nullptr;  // advanced by bytes of the journal
};

struct UsnStats {
  std::uint64_t records = 0, emitted = 0;
  std::uint64_t zero_bytes = 0;  // skipped zero fill
  std::uint64_t garbage_runs = 0, garbage_bytes = 0;
  std::uint64_t truncated = 0;       // a last record cut off by the end of the file
  std::uint64_t by_version[5] = {};  // records per major version (2..4)
  std::uint64_t resolved = 0, unresolved = 0;
  std::uint64_t history_directories = 0;  // directories known from the journal itself
};

UsnStats parse_usnjrnl(Bytes journal, const UsnOptions& opts, Diagnostics& diag,
                       const std::function<void(std::string_view)>& sink);

// The header line for OutputFormat::kCsv (with its newline, without a BOM).
std::string_view usn_csv_header();

}  // namespace kk::ntfs
