// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib computes it): EVTX
// file/chunk/records checksums and the MAM\x84 prefetch container use it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace kk {

// Continues CRC (0 to start) over N bytes at P.
std::uint32_t crc32(std::uint32_t crc, const std::uint8_t* p, std::size_t n);
inline std::uint32_t crc32(std::uint32_t crc, std::span<const std::uint8_t> data) {
  return crc32(crc, data.data(), data.size());
}

}  // namespace kk
