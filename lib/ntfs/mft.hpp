// Public interface of the $MFT parser (parse-mft, and triage in-process).
//
// The $MFT is read in two passes over the mapped file: the first builds a
// compact PathTable (16 bytes + name per entry), the second decodes each entry,
// merges its extension records and writes one output line. Memory is bounded by
// the path table, never by the records.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/byte_reader.hpp"
#include "core/diagnostics.hpp"
#include "core/time.hpp"
#include "ntfs/path_table.hpp"

namespace kk {
class Progress;
}

namespace kk::ntfs {

enum class OutputFormat { kJsonl, kCsv };

// What the first pass learns about a whole $MFT.
struct MftIndex {
  std::uint32_t record_size = 1024;
  std::uint64_t records = 0;  // slots in the file
  PathTable paths;
  // (base entry, extension entry) for every extension record, sorted.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> extensions;
};

struct MftOptions {
  std::string source;  // the "source" field (path relative to the bundle root when known)
  std::string file;    // file name for diagnostics
  // Keeps only entries for which this returns true on one of their paths (--path-regex).
  std::function<bool(std::string_view)> path_filter;
  std::optional<UtcMicros> since;  // keeps entries with any SI/FN time at or after this
  unsigned jobs = 1;
  OutputFormat format = OutputFormat::kJsonl;
  Progress* progress = nullptr;  // advanced by bytes of the $MFT, per pass
};

struct MftStats {
  std::uint64_t records = 0;      // record slots
  std::uint64_t entries = 0;      // FILE entries found (base records)
  std::uint64_t emitted = 0;      // lines written (after filters)
  std::uint64_t empty = 0;        // all-zero slots
  std::uint64_t not_records = 0;  // slots without a FILE signature (reported)
  std::uint64_t extensions = 0;   // extension records merged into their base
  std::uint64_t bad_fixups = 0;   // records with update-sequence mismatches (reported, still read)
  std::uint64_t damaged = 0;      // records with a damaged attribute (reported, rest read)
  std::uint64_t path_table_bytes = 0;
};

// First pass: record size, path table, extension records of MFT.
// True when some 1 KiB-aligned slot of MFT starts with a FILE or BAAD signature: the input
// is an $MFT (perhaps damaged). False for random bytes or another format: one line, exit 1.
bool has_file_record(Bytes mft);

MftIndex build_mft_index(Bytes mft, unsigned jobs, Diagnostics& diag, std::string_view file,
                         Progress* progress = nullptr);

// Both passes: decodes every entry of MFT and hands output (whole lines, in entry
// order, in batches) to SINK.
MftStats parse_mft(Bytes mft, const MftOptions& opts, Diagnostics& diag,
                   const std::function<void(std::string_view)>& sink);

// Second pass over an index already built (e.g. shared with parse-usnjrnl).
MftStats parse_mft(Bytes mft, const MftIndex& index, const MftOptions& opts, Diagnostics& diag,
                   const std::function<void(std::string_view)>& sink);

// The header line for OutputFormat::kCsv (with its newline, without a BOM).
std::string_view mft_csv_header();

}  // namespace kk::ntfs
