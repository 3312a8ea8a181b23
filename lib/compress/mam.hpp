// The MAM container of compressed Windows 8.1+ prefetch (and SuperFetch) files.
//
// Header (libyal libscca "Compressed Prefetch file - MAM file format"):
//   0  4  signature "MAM" + one byte: low nibble = compression format
//         (4 = LZXPRESS Huffman), bit 7 = a CRC32 follows the size
//   4  4  uncompressed data size
//   8  4  (bit 7 only) CRC32 of the header with this field zeroed, then of the
//         compressed data
// The compressed data follows the header as one LZXPRESS Huffman stream.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/byte_reader.hpp"
#include "core/result.hpp"

namespace kk {

inline constexpr std::uint8_t kMamFormatXpressHuffman = 4;
// Prefetch files are at most a few MiB; the limit keeps a forged size from
// allocating unbounded memory.
inline constexpr std::uint32_t kMamDefaultMaxSize = 64u << 20;

struct MamHeader {
  std::uint8_t format = 0;  // compression format nibble
  bool has_crc = false;
  std::uint32_t uncompressed_size = 0;
  std::uint32_t stored_crc = 0;
  std::size_t data_offset = 8;  // where the compressed data starts
};

struct MamContents {
  MamHeader header;
  std::vector<std::uint8_t> data;  // exactly header.uncompressed_size bytes
  std::optional<bool> crc_ok;      // set when the header carries a CRC
  std::uint32_t computed_crc = 0;
  std::size_t compressed_consumed = 0;  // bytes of compressed data decoded
};

// True when DATA starts with "MAM" (any format byte).
bool is_mam(Bytes data);

Result<MamHeader> read_mam_header(Bytes data);

// Reads the header, verifies the CRC when present (a mismatch is reported in
// crc_ok, not as an error: the data may still decode) and decompresses.
Result<MamContents> mam_decompress(Bytes data, std::uint32_t max_size = kMamDefaultMaxSize);

}  // namespace kk
