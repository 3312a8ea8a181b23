#include "evtx/structures.hpp"

#include <cstring>

#include "core/byte_reader.hpp"
#include "core/crc32.hpp"

namespace kk::evtx {

std::optional<FileHeader> parse_file_header(std::span<const std::uint8_t> file) {
  ByteReader r(file);
  if (!r.starts_with(0, std::string_view("ElfFile\0", 8)) || !r.has(0, 128)) return std::nullopt;
  FileHeader h;
  h.first_chunk = *r.u64(8);
  h.last_chunk = *r.u64(16);
  h.next_record_id = *r.u64(24);
  h.header_size = *r.u32(32);
  h.minor = *r.u16(36);
  h.major = *r.u16(38);
  h.header_block_size = *r.u16(40);
  h.chunk_count = *r.u16(42);
  h.flags = *r.u32(120);
  h.checksum = *r.u32(124);
  h.checksum_ok = crc32(0, file.data(), 120) == h.checksum;
  return h;
}

bool has_chunk_magic(std::span<const std::uint8_t> chunk) {
  return chunk.size() >= 8 && std::memcmp(chunk.data(), "ElfChnk\0", 8) == 0;
}

ChunkHeader parse_chunk_header(std::span<const std::uint8_t> chunk) {
  ByteReader r(chunk);
  ChunkHeader h;
  h.first_record_number = r.u64(8).value_or(0);
  h.last_record_number = r.u64(16).value_or(0);
  h.first_record_id = r.u64(24).value_or(0);
  h.last_record_id = r.u64(32).value_or(0);
  h.header_size = r.u32(40).value_or(0);
  h.last_record_offset = r.u32(44).value_or(0);
  h.free_space_offset = r.u32(48).value_or(0);
  h.records_checksum = r.u32(52).value_or(0);
  h.flags = r.u32(120).value_or(0);
  h.header_checksum = r.u32(124).value_or(0);
  return h;
}

std::uint32_t chunk_header_crc(std::span<const std::uint8_t> chunk) {
  if (chunk.size() < kChunkHeaderSize) return 0;
  std::uint32_t c = crc32(0, chunk.data(), 120);
  return crc32(c, chunk.data() + 128, kChunkHeaderSize - 128);
}

std::optional<RecordHeader> read_record_header(std::span<const std::uint8_t> block,
                                               std::size_t offset) {
  ByteReader r(block);
  if (!r.has(offset, kRecordHeaderSize + 4)) return std::nullopt;
  const std::uint8_t* p = block.data() + offset;
  if (p[0] != 0x2a || p[1] != 0x2a || p[2] != 0 || p[3] != 0) return std::nullopt;
  RecordHeader h;
  h.size = ByteReader::load<std::uint32_t>(p + 4);
  if (h.size < kRecordHeaderSize + 4 || !r.has(offset, h.size)) return std::nullopt;
  if (ByteReader::load<std::uint32_t>(p + h.size - 4) != h.size) return std::nullopt;
  h.record_id = ByteReader::load<std::uint64_t>(p + 8);
  h.written_time = ByteReader::load<std::uint64_t>(p + 16);
  return h;
}

}  // namespace kk::evtx
