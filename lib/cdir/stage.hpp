// First step of unpack: get every file of the input onto disk (archives) or located in
// place (folders), with its size and digests. Bundles are recognised afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cdir/unpack.hpp"
#include "core/diagnostics.hpp"
#include "core/hash.hpp"

namespace kk::cdir {

struct StagedFile {
  std::string input_path;  // '/'-separated, relative to the archive / input folder, UTF-8
  std::string path;        // absolute path on disk ("" when not extracted)
  std::uint64_t size = 0;
  Digests digests;  // empty when the content was not read
  bool complete = true;
  bool skipped = false;    // memory image passed over
  bool encrypted = false;  // stored encrypted in the archive (zip ZipCrypto/AES)
};

struct Staged {
  std::vector<StagedFile> files;
  std::string stopped;     // why staging stopped early ("" = it ran to the end)
  std::string truncated;   // the archive ended early (damaged or cut off); all before it is kept
  std::string unreadable;  // why the input could not be read at all ("" = it could)
  std::size_t reused = 0;  // files already in the output folder, identical to the archive's
  double read_cpu_seconds = 0;  // folders: CPU time of the threads that read and hashed
};

// Extracts ARCHIVE under OUT_DIR. Returns false if the archive could not be read at all or
// extraction stopped early.
bool stage_archive(const std::string& archive, const std::string& out_dir,
                   const UnpackOptions& options, Diagnostics& diag, Staged& staged);

// Lists and hashes FOLDER in place (or copies it under OUT_DIR/<folder name> with options.copy).
bool stage_folder(const std::string& folder, const std::string& out_dir,
                  const UnpackOptions& options, Diagnostics& diag, Staged& staged);

// Free bytes for an unprivileged writer on the filesystem holding PATH (nullopt if unknown).
std::optional<std::uint64_t> free_bytes(const std::string& path);

// "1.5 GiB" style, for messages.
std::string human_bytes(std::uint64_t n);

}  // namespace kk::cdir
