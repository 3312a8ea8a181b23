// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib computes it.
// The MAM container's checksum variant (signature "MAM\x84") uses it.
#pragma once

#include <cstdint>

#include "core/byte_reader.hpp"

namespace kk {

// Continues CRC (0 to start) over DATA and returns the updated value.
std::uint32_t crc32_update(std::uint32_t crc, Bytes data);

}  // namespace kk
