// Renderings of Windows binary types as Windows itself shows them.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace kk {

// GUID (16 bytes, mixed-endian) as "{01234567-89AB-CDEF-0123-456789ABCDEF}";
// empty string if fewer than 16 bytes.
std::string format_guid(std::span<const std::uint8_t> b);

// Binary SID as "S-1-5-21-…"; empty string if malformed.
std::string format_sid(std::span<const std::uint8_t> b);

// "0x1A2B" style (upper-case hex digits, minimal width or WIDTH digits).
std::string format_hex(std::uint64_t v, int width = 0);

// Bytes as upper-case hex without separators ("DEADBEEF").
std::string hex_bytes(std::span<const std::uint8_t> b, bool upper = true);

}  // namespace kk
