// Shell items (the ITEMIDLIST entries that shellbags, RecentDocs and LNK files hold), enough
// to name the folder and read the times a file-entry item carries. See the libfwsi
// "Windows Shell Item format" documentation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/byte_reader.hpp"
#include "core/time.hpp"

namespace kk::registry {

struct ShellItem {
  std::string
      type;  // "root_folder", "volume", "file_entry", "network", "control_panel", "uri", "unknown"
  std::string name;                                      // display name of this path component
  std::optional<UtcMicros> modified, created, accessed;  // file entries (FAT times, read as UTC)
  std::optional<std::uint64_t> mft_entry;                // extension block v7+
  std::optional<std::uint16_t> mft_sequence;
};

// Decodes one shell item (starting with its u16 size). nullopt if too short to be one.
std::optional<ShellItem> decode_shell_item(Bytes item);

}  // namespace kk::registry
