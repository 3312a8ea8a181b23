// Windows Prefetch files (SCCA format versions 17, 23, 26, 30 and 31), plain or in a
// MAM (LZXPRESS Huffman) container. Format: libyal libscca "Windows Prefetch File
// (PF) format". This is the public face of lib/prefetch: parse-prefetch and triage
// use only what is declared here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_reader.hpp"
#include "core/diagnostics.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace kk {

// An NTFS file reference: 48-bit MFT entry index and 16-bit sequence number.
struct NtfsFileReference {
  std::uint64_t entry = 0;
  std::uint16_t sequence = 0;
};

// One file metrics entry: a file the executable loaded in its first seconds.
struct PrefetchLoadedFile {
  std::string path;
  std::optional<NtfsFileReference> reference;  // v23+ and not zero
};

struct PrefetchVolume {
  std::string device_path;
  std::uint32_t serial = 0;
  std::optional<UtcMicros> created;
  std::vector<std::string> directories;
  std::uint32_t file_reference_count = 0;  // entries in the volume's file reference array
};

// Damage or inconsistency found while parsing; OFFSET is into the decompressed
// SCCA data for a MAM file (into the file itself otherwise).
struct PrefetchIssue {
  std::optional<std::uint64_t> offset;
  std::string message;
  // Damage is a warning; an inconsistency that real files show without damage
  // (a renamed file, an executable missing from its own list) is info.
  Severity severity = Severity::kWarning;
};

struct PrefetchInfo {
  std::string format;  // "SCCA" (uncompressed) or "MAM" (compressed container)
  std::uint32_t version = 0;
  std::string executable;
  // The loaded file that is the executable itself (its full device path), when
  // the list holds one: the header keeps only the name, cut to 29 characters.
  std::optional<std::string> executable_path;
  std::uint32_t prefetch_hash = 0;
  std::uint32_t run_count = 0;
  std::vector<UtcMicros> last_run_times;  // most recent first, unset slots left out
  std::vector<PrefetchLoadedFile> files;
  std::vector<PrefetchVolume> volumes;
  std::uint64_t size = 0;               // size of the file on disk
  std::uint32_t uncompressed_size = 0;  // size of the SCCA data
  std::vector<PrefetchIssue> issues;
};

// Parses uncompressed SCCA data (starting with the version and "SCCA"). Fails only
// when the data is not a prefetch file of a known version at all; damage inside
// (truncated sections, out-of-range offsets) is recorded in info.issues and the
// rest is still read.
Result<PrefetchInfo> parse_scca(Bytes scca);

// Parses a whole prefetch file as found on disk: "MAM" compressed or plain SCCA.
Result<PrefetchInfo> parse_prefetch(Bytes file);

// Checks that do not concern the structure: the executable name missing from the
// loaded files, the hash or name disagreeing with the file name NAME (the base
// name of the prefetch file, e.g. "CMD.EXE-4A81B364.pf"). Adds to info.issues.
void check_consistency(PrefetchInfo& info, std::string_view file_name);

// The prefetch hash Windows computes from an upper-case device path
// ("\\DEVICE\\HARDDISKVOLUME1\\WINDOWS\\NOTEPAD.EXE") for format VERSION.
std::uint32_t prefetch_path_hash(std::string_view device_path, std::uint32_t version);
// Whether the header's hash is the hash of executable_path: false means the hash
// also covers something else (hosting processes such as DLLHOST.EXE hash their
// command line) or the path differs; nullopt when it cannot be recomputed
// (\\VOLUME{...} paths of Windows 10 and later, or no executable_path).
std::optional<bool> path_hash_matches(const PrefetchInfo& info);

// Output shapes (see man/parse-prefetch.1 for every field).
// The contract record: {"artifact":"prefetch","source",...}, one JSONL line.
void append_prefetch_json(std::string& out, const PrefetchInfo& info, std::string_view source);
// One JSONL line per loaded file: {"artifact":"prefetch_file","source",...}.
void append_prefetch_files_json(std::string& out, const PrefetchInfo& info,
                                std::string_view source);
// CSV: a header line, then one row per prefetch file or one row per loaded file.
std::string prefetch_csv_header();
void append_prefetch_csv(std::string& out, const PrefetchInfo& info, std::string_view source);
std::string prefetch_files_csv_header();
void append_prefetch_files_csv(std::string& out, const PrefetchInfo& info, std::string_view source);

// For triage: reads PATH, parses it, appends its JSONL record(s) to OUT and reports
// issues to DIAG under SOURCE. An unreadable or non-prefetch file is reported with
// diag.unreadable() and returns false (OUT untouched).
enum class PrefetchRecords { kPrefetch, kLoadedFiles };
bool prefetch_file_to_jsonl(const std::string& path, std::string_view source, std::string& out,
                            Diagnostics& diag, PrefetchRecords what = PrefetchRecords::kPrefetch);

}  // namespace kk
