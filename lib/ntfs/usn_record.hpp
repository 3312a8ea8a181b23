// USN_RECORD_V2 / V3 / V4 as stored in $Extend\$UsnJrnl:$J. See Microsoft's
// "USN_RECORD_V2", "USN_RECORD_V3", "USN_RECORD_V4" and "USN_RECORD_EXTENT"
// structure documentation (winioctl.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ntfs/file_record.hpp"

namespace kk::ntfs {

struct UsnExtent {
  std::int64_t offset = 0, length = 0;
};

struct UsnRecord {
  std::uint32_t length = 0;
  std::uint16_t major = 0, minor = 0;
  FileReference file, parent;
  std::uint64_t file_id_high = 0, parent_id_high = 0;  // V3/V4 128-bit ids: upper half (0 on NTFS)
  std::int64_t usn = 0;
  std::uint64_t timestamp = 0;  // FILETIME; V4 has none
  std::uint32_t reason = 0, source_info = 0, security_id = 0, file_attributes = 0;
  std::span<const std::uint8_t> name_utf16;  // V2/V3
  std::uint32_t remaining_extents = 0;       // V4
  std::vector<UsnExtent> extents;            // V4
};

// Smallest record of any version (V2 header without a name).
inline constexpr std::size_t kUsnMinRecord = 0x3C;
// No real record is longer (a V2/V3 name is at most 255 UTF-16 units; V4 extents fit a page).
inline constexpr std::size_t kUsnMaxRecord = 0x10000;

// Decodes the record at the start of BYTES; nullopt when it is not a plausible
// USN record (wrong version, sizes that do not fit, name outside the record).
std::optional<UsnRecord> decode_usn_record(std::span<const std::uint8_t> bytes);

// USN_REASON_* names (without the prefix), lowest bit first; unknown bits as "0x…".
std::vector<std::string_view> usn_reason_names(std::uint32_t reason);
// USN_SOURCE_* names.
std::vector<std::string_view> usn_source_names(std::uint32_t source_info);

}  // namespace kk::ntfs
