#include "compress/mam.hpp"

#include <array>
#include <string>

#include "core/crc32.hpp"
#include "compress/xpress_huffman.hpp"
#include "core/windows_types.hpp"

namespace kk {

bool is_mam(Bytes data) {
  return ByteReader(data).starts_with(0, "MAM");
}

Result<MamHeader> read_mam_header(Bytes data) {
  ByteReader r(data);
  if (!is_mam(data)) return Result<MamHeader>::fail("no MAM signature", 0);
  if (r.size() < 8) return Result<MamHeader>::fail("MAM header truncated (8 bytes needed)", 0);
  MamHeader h;
  const std::uint8_t flags = *r.u8(3);
  h.format = flags & 0x0F;
  h.has_crc = (flags & 0x80) != 0;
  if ((flags & 0x70) != 0)
    return Result<MamHeader>::fail(
        "MAM header: unknown flag bits in signature byte " + format_hex(flags, 2), 3);
  h.uncompressed_size = *r.u32(4);
  if (h.has_crc) {
    if (r.size() < 12)
      return Result<MamHeader>::fail("MAM header with CRC truncated (12 bytes needed)", 8);
    h.stored_crc = *r.u32(8);
    h.data_offset = 12;
  }
  return h;
}

Result<MamContents> mam_decompress(Bytes data, std::uint32_t max_size) {
  auto hr = read_mam_header(data);
  if (!hr) return hr.error();
  MamContents c;
  c.header = *hr;
  const MamHeader& h = c.header;
  if (h.format != kMamFormatXpressHuffman)
    return Result<MamContents>::fail(
        "MAM compression format " + std::to_string(h.format) +
            " is not supported (only 4, LZXPRESS Huffman, is used by prefetch files)",
        3);
  if (h.uncompressed_size > max_size)
    return Result<MamContents>::fail("MAM uncompressed size " +
                                         std::to_string(h.uncompressed_size) +
                                         " exceeds the limit of " + std::to_string(max_size),
                                     4);
  const Bytes compressed = data.subspan(h.data_offset);
  // Every block needs its own 256-byte table and yields at most 65536 bytes plus
  // one final match (at most 65538 bytes from a Windows encoder): a size beyond
  // that is forged, and is refused before any allocation.
  const std::uint64_t plausible = std::uint64_t{compressed.size() / kXpressHuffmanTableSize} *
                                  (kXpressHuffmanBlockSize + 65538);
  if (h.uncompressed_size > plausible)
    return Result<MamContents>::fail(
        "MAM uncompressed size " + std::to_string(h.uncompressed_size) + " is more than " +
            std::to_string(compressed.size()) + " bytes of LZXPRESS Huffman data can hold",
        4);
  if (h.has_crc) {
    // The checksum covers the 12-byte header with its checksum field zeroed, then
    // the compressed data.
    std::array<std::uint8_t, 12> head{};
    std::copy_n(data.begin(), 8, head.begin());
    std::uint32_t crc = crc32(0, head);
    crc = crc32(crc, compressed);
    c.computed_crc = crc;
    c.crc_ok = crc == h.stored_crc;
  }
  c.data.resize(h.uncompressed_size);
  auto r = xpress_huffman_decompress(compressed, c.data);
  if (!r) {
    Error e = r.error();
    if (e.offset) *e.offset += h.data_offset;
    return e;
  }
  c.compressed_consumed = *r;
  return c;
}

}  // namespace kk
