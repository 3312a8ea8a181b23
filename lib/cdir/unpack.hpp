// unpack-cdir as a library: take a CDIR-C bundle (a folder, or an archive holding one or
// more bundles anywhere inside), extract it safely, classify and hash every file, and check
// the hashes against each bundle's collector-log.txt (the chain of custody).
//
// The `triage` tool calls unpack() in-process and walks UnpackResult; the unpack-cdir tool
// prints the same data as JSONL (see ../shared/CONTRACT.md, "unpack-cdir").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cdir/kind.hpp"
#include "core/diagnostics.hpp"
#include "core/hash.hpp"
#include "core/time.hpp"

namespace kk::cdir {

// Bundle layout generations, told apart by where the NTFS metadata files live.
enum class Layout {
  kUnknown,  // neither NTFS/ nor <L>_$MFT at the root (e.g. MFT collection was off)
  kV12,      // CDIR-C <= 1.2.2: <L>_$MFT, <L>_$UsnJrnl-$J at the bundle root
  kV13,      // CDIR-C >= 1.3.1: NTFS/<L>_$MFT, NTFS/<L>_$SECURE-$SDS, NTFS/<L>_$UsnJrnl-$J
};
std::string_view layout_name(Layout layout);  // "v1.3.1+", "v1.2.2-", "unknown"

// One file of the input, as the manifest lists it.
struct ManifestEntry {
  std::string source;  // relative to its bundle root, '/'-separated ("Evtx/Security.evtx")
  std::string path;    // absolute path on disk; empty when not extracted (memory image skipped)
  Kind kind = Kind::kOther;
  std::string host;                       // empty: the file is outside every bundle
  std::optional<UtcMicros> collected_at;  // the bundle's collection start (UTC)
  std::uint64_t size = 0;
  Digests digests;                              // sha256 whenever the content was read
  std::optional<std::string> collector_sha256;  // the collector log's SHA-256 for this file
  std::optional<bool> hash_match;               // null: not hashed, or not in the collector log
  std::string input_path;  // path inside the archive / input folder ('/'-separated)
  std::string user;        // Windows account for per-user hives (Registry/<user>_NTUSER.dat)
  // From the file's collector-log.txt row: the Windows path it was copied from, whether the
  // wevtutil fallback exported it (a clean export: no slack to recover), and its times (UTC).
  std::string windows_path;
  bool wevtutil = false;
  std::optional<UtcMicros> source_created, source_accessed, source_modified;
  bool complete = true;  // false: the archive ended or failed inside this file
  bool skipped = false;  // true: a memory image streamed past (--include-memory not given)
  // Archives: whether the entry was stored encrypted. An archive with a password may still
  // hold entries stored without one, which anyone could have added (issue #22).
  std::optional<bool> encrypted;
};

// Chain of custody for one bundle.
struct HashCheck {
  bool log_present = false;
  std::uint64_t log_rows = 0;                    // file rows in collector-log.txt
  std::uint64_t matched = 0;                     // files whose hashes equal their log row
  std::vector<std::string> mismatched;           // bundle-relative sources
  std::vector<std::string> missing_from_bundle;  // log source paths (as written) with no file
  std::vector<std::string> not_in_log;           // bundle files the log does not list
  std::vector<std::string> not_verified;  // listed in the log but not hashed (skipped, incomplete)
  // In an archive with encrypted entries: the bundle's files stored without encryption.
  // Their origin is not protected by the password (a forged collector-log.txt can sit among
  // them and "match"): the manifest and the notice's chain of custody name them.
  std::vector<std::string> not_encrypted;
  // "ok" (every listed file present and equal), "mismatch", "incomplete" (files missing
  // on either side but no mismatch), "no_log".
  std::string result() const;
};

struct BundleSummary {
  std::string host;
  std::string root;       // bundle root relative to the input ('/'-separated; "" = input itself)
  std::string root_path;  // absolute path of the bundle root on disk
  std::string folder_name;
  std::optional<char> target_drive;      // from <HOST>_<L>_<timestamp> (Target= collections)
  std::optional<UtcMicros> folder_time;  // the folder name's timestamp, local time -> UTC
  std::optional<UtcMicros> collection_start, collection_end;  // collector-log header, local -> UTC
  std::string time_zone;                                      // zone used for both local times
  Layout layout = Layout::kUnknown;
  std::string log_encoding;  // "cp932", "utf-8", "ascii" or "" (no log)
  std::string log_language;  // "ja", "en" or ""
  std::array<std::uint64_t, kKindCount> counts{};
  std::uint64_t files = 0, bytes = 0;
  std::uint64_t memory_skipped = 0;
  HashCheck hash;
  std::vector<std::string> not_collected;  // artifacts CDIR-C never collects (notice limitations)
  std::vector<std::string> categories_absent;  // collectable categories absent from this bundle
  // Non-empty: the archive ended early (UnpackResult::truncated): the bundle is what arrived
  // before the cut, and what is absent may have been lost rather than not collected.
  std::string archive_truncated;
};

struct Bundle {
  BundleSummary summary;
  std::vector<ManifestEntry> entries;
};

struct UnpackOptions {
  std::optional<std::string> password;  // zip ZipCrypto/AES passphrase
  bool include_memory = false;          // extract and hash RAM_*, pagefile.sys, ...
  bool copy = false;                    // folder input: copy into DIR instead of reading in place
  unsigned jobs = 1;
  std::string tz = kDefaultTz;      // zone of the folder name and collector-log header
  // The collector log records MD5, SHA-1 and SHA-256. None, for a folder read in place: its
  // files are listed, not read (no digests, the chain of custody not checked).
  HashSet hashes = HashSet::all();
  bool progress = false;
  // >= 0: OUT_DIR is already open as this descriptor (triage's evidence folder, created in
  // its case folder); files are created relative to it, never through OUT_DIR's path.
  int out_dir_fd = -1;
  // Safety caps (archives come from outside). Exceeding one stops the extraction.
  std::uint64_t max_total_bytes = 256ULL << 30;
  double max_ratio = 1000.0;                      // uncompressed : compressed
  std::uint64_t entry_ratio_floor = 64ULL << 20;  // per-entry ratio checked past this size
  std::uint64_t total_ratio_floor = 1ULL << 30;   // whole-archive ratio checked past this
  std::uint64_t min_free_bytes = 1ULL << 30;      // free space to leave on DIR's filesystem
};

struct UnpackResult {
  std::vector<Bundle> bundles;
  std::vector<ManifestEntry> loose;  // files outside every bundle root
  bool archive = false;              // the input was an archive
  std::string stopped;               // non-empty: why extraction stopped early (caps, password...)
  // Non-empty: the archive ends early (damaged, or an upload cut off). Unlike a stop, what
  // came before the damage is extracted, hashed and listed, and analysis goes on with it.
  std::string truncated;
  std::string unreadable;  // non-empty: why the input could not be read at all
  // A folder read in place: CPU time of the threads that read and hashed its files (the
  // caller's own thread not included). 0 for archives.
  double read_cpu_seconds = 0;
};

// Unpacks INPUT into OUT_DIR (archives always; folders only with options.copy). Problems are
// reported to DIAG (refused entries and unreadable input as errors). Returns false when the
// input could not be read or extraction stopped early; RESULT still holds what was done.
bool unpack(const std::string& input, const std::string& out_dir, const UnpackOptions& options,
            Diagnostics& diag, UnpackResult& result);

// JSONL rendering (CONTRACT.md "unpack-cdir"): one "manifest" record per file, then one
// "bundle_summary" per bundle.
void append_manifest_record(std::string& out, const ManifestEntry& entry);
void append_bundle_summary(std::string& out, const BundleSummary& summary);
void append_jsonl(std::string& out, const UnpackResult& result);

}  // namespace kk::cdir
