// CRC-32 (IEEE 802.3, reflected, as zlib's crc32) used by EVTX file and chunk
// header checksums and the chunk's event-records checksum.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kk::evtx {

// Continues CRC (0 to start) over N bytes at P.
std::uint32_t crc32(std::uint32_t crc, const std::uint8_t* p, std::size_t n);

}  // namespace kk::evtx
