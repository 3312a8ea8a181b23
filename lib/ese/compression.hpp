// Column compression of ESE (Windows 7 and later): the first byte's top 5 bits name
// the scheme. 7-bit ASCII / 7-bit Unicode for short text, XPRESS (MS-XCA plain
// LZ77) for longer values. XPRESS9/10 (Exchange only) are not supported.
// Private to lib/ese.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/byte_reader.hpp"

namespace kk::ese {

// Decompresses a compressed column value or long-value chunk. nullopt when the
// scheme is unknown or the data is damaged; never writes more than MAX_OUT bytes.
std::optional<std::vector<std::uint8_t>> decompress_value(Bytes in, std::size_t max_out);

// MS-XCA 2.4 "LZ77" (plain LZXPRESS) decompression, bounded by MAX_OUT.
std::optional<std::vector<std::uint8_t>> xpress_plain_decompress(Bytes in, std::size_t max_out);

}  // namespace kk::ese
