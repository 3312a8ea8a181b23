// REGF base block (the 4096-byte file header of a primary hive, and the first
// 512 bytes of a transaction log). See the "Windows NT Registry File (REGF)"
// format documentation, "File header" / "Base block".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/byte_reader.hpp"

namespace kk::registry {

inline constexpr std::size_t kBaseBlockSize = 4096;
inline constexpr std::size_t kLogSectorSize = 512;
// Offsets in cells are relative to the hive bins data, which starts right after the base block.
inline constexpr std::size_t kHiveBinsStart = kBaseBlockSize;

// File type field: 0 primary, 1 old-format log (also 2 on some Windows versions), 6 new-format log.
enum class FileType : std::uint32_t { kPrimary = 0, kLog = 1, kLogVolatile = 2, kLogNew = 6 };

struct BaseBlock {
  std::uint32_t primary_sequence = 0;
  std::uint32_t secondary_sequence = 0;
  std::uint64_t last_written = 0;  // FILETIME
  std::uint32_t major_version = 0;
  std::uint32_t minor_version = 0;
  std::uint32_t file_type = 0;
  std::uint32_t root_cell = 0;
  std::uint32_t hive_bins_size = 0;
  std::uint32_t clustering_factor = 0;
  std::string file_name;  // debugging name Windows stores (partial path), UTF-8
  std::uint32_t stored_checksum = 0;
  std::uint32_t computed_checksum = 0;

  bool checksum_ok() const { return stored_checksum == computed_checksum; }
  // A hive is dirty when a write did not complete (sequence numbers differ) or the header is bad.
  bool dirty() const { return primary_sequence != secondary_sequence || !checksum_ok(); }
};

// XOR-32 of the first 508 bytes, with Windows' remapping (0 -> 1, 0xFFFFFFFF -> 0xFFFFFFFE).
std::uint32_t base_block_checksum(const std::uint8_t* first_508_bytes);

// Parses a base block at the start of DATA (needs 512 bytes: the fields past 512 are unused).
// nullopt if the "regf" signature is missing or the data is too short.
std::optional<BaseBlock> parse_base_block(ByteReader data);

}  // namespace kk::registry
