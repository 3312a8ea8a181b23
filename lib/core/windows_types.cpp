#include "core/windows_types.hpp"

#include <cstdio>

#include "core/byte_reader.hpp"

namespace kk {

std::string format_guid(std::span<const std::uint8_t> b) {
  if (b.size() < 16) return {};
  ByteReader r(b);
  char buf[40];
  std::snprintf(buf, sizeof buf, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", *r.u32(0), *r.u16(4),
                *r.u16(6), b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return buf;
}

std::string format_sid(std::span<const std::uint8_t> b) {
  // SID: revision (1), sub-authority count (1), identifier authority (6, big-endian), sub-authorities (4 each).
  if (b.size() < 8) return {};
  unsigned count = b[1];
  if (b.size() < 8 + 4 * static_cast<std::size_t>(count)) return {};
  std::uint64_t authority = 0;
  for (int i = 2; i < 8; ++i) authority = (authority << 8) | b[i];
  std::string s = "S-" + std::to_string(b[0]) + "-";
  if (authority >= (1ULL << 32)) {
    s += format_hex(authority, 12);
  } else {
    s += std::to_string(authority);
  }
  ByteReader r(b);
  for (unsigned i = 0; i < count; ++i) s += "-" + std::to_string(*r.u32(8 + 4 * i));
  return s;
}

std::string format_hex(std::uint64_t v, int width) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%0*llX", width, static_cast<unsigned long long>(v));
  return buf;
}

std::string hex_bytes(std::span<const std::uint8_t> b, bool upper) {
  static constexpr char kUpper[] = "0123456789ABCDEF";
  static constexpr char kLower[] = "0123456789abcdef";
  const char* digits = upper ? kUpper : kLower;
  std::string s;
  s.reserve(b.size() * 2);
  for (auto c : b) {
    s.push_back(digits[c >> 4]);
    s.push_back(digits[c & 0xF]);
  }
  return s;
}

}  // namespace kk
