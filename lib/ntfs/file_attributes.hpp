// Windows FILE_ATTRIBUTE_* flags as stored in $STANDARD_INFORMATION, $FILE_NAME
// and USN records, named as Microsoft's "File Attribute Constants" page names them
// (without the FILE_ATTRIBUTE_ prefix).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace kk::ntfs {

// Names of the set bits, lowest first; unknown bits as "0x…".
std::vector<std::string_view> file_attribute_names(std::uint32_t flags);

inline constexpr std::uint32_t kFileAttributeDirectory = 0x10;
// NTFS's own marker in $FILE_NAME/$STANDARD_INFORMATION for a directory (has an $I30 index).
inline constexpr std::uint32_t kFileAttributeDirectoryIndex = 0x10000000;

}  // namespace kk::ntfs
