// On-disk EVTX structures: file header, chunk header, event record header.
// See the libyal "Windows XML Event Log (EVTX)" format documentation.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace kk::evtx {

inline constexpr std::size_t kChunkSize = 0x10000;
inline constexpr std::size_t kChunkHeaderSize = 512;
inline constexpr std::size_t kDefaultHeaderBlock = 4096;
inline constexpr std::size_t kRecordHeaderSize = 24;

// File flags (file header offset 120).
inline constexpr std::uint32_t kFileDirty = 0x1;
inline constexpr std::uint32_t kFileFull = 0x2;
inline constexpr std::uint32_t kFileNoCrc32 = 0x4;  // format 3.2: checksums are not maintained

// EVTX file header, first 128 bytes of a 4096-byte block; see "File header".
struct FileHeader {
  std::uint64_t first_chunk = 0, last_chunk = 0, next_record_id = 0;
  std::uint32_t header_size = 0;
  std::uint16_t minor = 0, major = 0, header_block_size = 0, chunk_count = 0;
  std::uint32_t flags = 0, checksum = 0;
  bool checksum_ok = false;
};

// Parses the file header; nullopt when the "ElfFile\0" signature is missing.
std::optional<FileHeader> parse_file_header(std::span<const std::uint8_t> file);

// EVTX chunk header, 512 bytes; see "Chunk header".
struct ChunkHeader {
  std::uint64_t first_record_number = 0, last_record_number = 0;
  std::uint64_t first_record_id = 0, last_record_id = 0;
  std::uint32_t header_size = 0, last_record_offset = 0, free_space_offset = 0;
  std::uint32_t records_checksum = 0, flags = 0, header_checksum = 0;
};

bool has_chunk_magic(std::span<const std::uint8_t> chunk);
// Reads the header of a chunk that starts with "ElfChnk\0" and holds at least 512 bytes.
ChunkHeader parse_chunk_header(std::span<const std::uint8_t> chunk);
// CRC-32 of chunk bytes 0..120 and 128..512, as stored at offset 124.
std::uint32_t chunk_header_crc(std::span<const std::uint8_t> chunk);

// Event record header (24 bytes) plus the trailing size copy; see "Event record".
struct RecordHeader {
  std::uint32_t size = 0;
  std::uint64_t record_id = 0;
  std::uint64_t written_time = 0;  // FILETIME
};

// The record at OFFSET of BLOCK when its signature, size and trailing size copy are
// consistent and it fits in BLOCK; nullopt otherwise.
std::optional<RecordHeader> read_record_header(std::span<const std::uint8_t> block,
                                               std::size_t offset);

}  // namespace kk::evtx
