// Values of the attributes parse-mft reports: $STANDARD_INFORMATION, $FILE_NAME,
// $ATTRIBUTE_LIST entries. See the libyal NTFS documentation, "The standard
// information attribute", "The file name attribute", "The attribute list attribute".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "ntfs/file_record.hpp"

namespace kk::ntfs {

// The four NTFS timestamps as raw FILETIMEs (0 = not set), in MACB order of meaning.
struct NtfsTimes {
  std::uint64_t created = 0, modified = 0, mft_modified = 0, accessed = 0;
};

struct StandardInformation {
  NtfsTimes times;
  std::uint32_t file_attributes = 0;
  std::optional<std::uint32_t> owner_id, security_id;
  std::optional<std::uint64_t> usn;  // NTFS 3.x: last USN of the file
};

// $FILE_NAME namespaces.
enum class FileNamespace : std::uint8_t { kPosix = 0, kWin32 = 1, kDos = 2, kWin32AndDos = 3 };
const char* namespace_name(std::uint8_t ns);

struct FileName {
  FileReference parent;
  NtfsTimes times;
  std::uint64_t allocated_size = 0, data_size = 0;
  std::uint32_t file_attributes = 0;
  std::uint8_t name_space = 0;
  std::string name;  // UTF-8
};

struct AttributeListEntry {
  std::uint32_t type = 0;
  std::uint64_t first_vcn = 0;
  FileReference file;
  std::uint16_t id = 0;
};

std::optional<StandardInformation> decode_standard_information(std::span<const std::uint8_t> v);
std::optional<FileName> decode_file_name(std::span<const std::uint8_t> v);
// Decodes a resident $ATTRIBUTE_LIST value; stops at the first damaged entry.
std::vector<AttributeListEntry> decode_attribute_list(std::span<const std::uint8_t> v);

}  // namespace kk::ntfs
