// Version-dependent layout of the uncompressed prefetch (SCCA) structures.
// Offsets follow libyal libscca, "Windows Prefetch File (PF) format"; private to
// lib/prefetch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "prefetch/prefetch.hpp"

namespace kk::prefetch_detail {

// File header, 84 bytes: 0 version, 4 "SCCA", 12 file size, 16 executable name
// (60 bytes UTF-16LE), 76 prefetch hash. The file information follows at 84.
inline constexpr std::size_t kHeaderSize = 84;
inline constexpr std::size_t kExecutableNameOffset = 16;
inline constexpr std::size_t kExecutableNameBytes = 60;
inline constexpr std::size_t kHashOffset = 76;

struct Layout {
  std::size_t info_size;           // file information size
  std::size_t last_run_offset;     // within the file information
  unsigned last_run_slots;         // 1 (v17, v23) or 8 (v26+)
  std::size_t run_count_offset;    // within the file information
  std::size_t metrics_entry_size;  // 20 (v17) or 32
  std::size_t volume_entry_size;   // 40 (v17), 104 (v23, v26), 96 (v30, v31)
};

// The file information common to every version (offsets within it):
// 0 metrics offset, 4 metrics count, 8 trace chains offset, 12 trace chains count,
// 16 filename strings offset, 20 filename strings size, 24 volumes offset,
// 28 volume count, 32 volumes size.
struct FileInformation {
  std::uint32_t metrics_offset, metrics_count;
  std::uint32_t filenames_offset, filenames_size;
  std::uint32_t volumes_offset, volume_count, volumes_size;
};

// Records an issue on INFO.
inline void note(PrefetchInfo& info, std::optional<std::uint64_t> offset, std::string message) {
  info.issues.push_back({offset, std::move(message)});
}

// Reads the volume information entries, their device paths, directory strings and
// file reference counts (volumes.cpp).
void read_volumes(ByteReader r, const FileInformation& fi, const Layout& layout,
                  PrefetchInfo& info);

}  // namespace kk::prefetch_detail
