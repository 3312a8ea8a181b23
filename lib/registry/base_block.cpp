#include "registry/base_block.hpp"

#include "core/utf.hpp"

namespace kk::registry {

std::uint32_t base_block_checksum(const std::uint8_t* p) {
  std::uint32_t x = 0;
  for (std::size_t i = 0; i < 508; i += 4) x ^= ByteReader::load<std::uint32_t>(p + i);
  // Windows never stores 0 or -1 as a checksum (see the spec's checksum notes).
  if (x == 0) return 1;
  if (x == 0xFFFFFFFFu) return 0xFFFFFFFEu;
  return x;
}

std::optional<BaseBlock> parse_base_block(ByteReader data) {
  if (!data.starts_with(0, "regf") || !data.has(0, kLogSectorSize)) return std::nullopt;
  const std::uint8_t* p = data.data();
  BaseBlock b;
  b.primary_sequence = ByteReader::load<std::uint32_t>(p + 4);
  b.secondary_sequence = ByteReader::load<std::uint32_t>(p + 8);
  b.last_written = ByteReader::load<std::uint64_t>(p + 12);
  b.major_version = ByteReader::load<std::uint32_t>(p + 20);
  b.minor_version = ByteReader::load<std::uint32_t>(p + 24);
  b.file_type = ByteReader::load<std::uint32_t>(p + 28);
  b.root_cell = ByteReader::load<std::uint32_t>(p + 36);
  b.hive_bins_size = ByteReader::load<std::uint32_t>(p + 40);
  b.clustering_factor = ByteReader::load<std::uint32_t>(p + 44);
  append_utf16le(b.file_name, data.bytes().subspan(48, 64), /*stop_at_nul=*/true);
  b.stored_checksum = ByteReader::load<std::uint32_t>(p + 508);
  b.computed_checksum = base_block_checksum(p);
  return b;
}

}  // namespace kk::registry
