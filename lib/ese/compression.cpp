// ESE column compression; see compression.hpp.
#include "ese/compression.hpp"

#include <algorithm>

namespace kk::ese {

namespace {

enum Scheme : std::uint8_t { k7BitAscii = 1, k7BitUnicode = 2, kXpress = 3 };

// 7-bit: after the lead byte, a little-endian bit stream of 7-bit characters; the
// lead byte's low 3 bits + 1 are the bits used in the last byte.
std::vector<std::uint8_t> seven_bit(Bytes in, bool wide, std::size_t max_out) {
  std::vector<std::uint8_t> out;
  if (in.size() < 2) return out;
  const std::size_t bits = (in.size() - 2) * 8 + (in[0] & 7) + 1;
  std::size_t count = bits / 7;
  if (count * (wide ? 2 : 1) > max_out) count = max_out / (wide ? 2 : 1);
  out.reserve(count * (wide ? 2 : 1));
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t bit = i * 7;
    const std::size_t byte = 1 + bit / 8;
    std::uint32_t v = in[byte];
    if (byte + 1 < in.size()) v |= static_cast<std::uint32_t>(in[byte + 1]) << 8;
    out.push_back(static_cast<std::uint8_t>((v >> (bit % 8)) & 0x7F));
    if (wide) out.push_back(0);
  }
  return out;
}

}  // namespace

std::optional<std::vector<std::uint8_t>> xpress_plain_decompress(Bytes in, std::size_t max_out) {
  std::vector<std::uint8_t> out;
  ByteReader r(in);
  std::size_t pos = 0;
  std::uint32_t flags = 0;
  int flag_count = 0;
  std::size_t half_byte_pos = 0;  // 0: none pending
  while (true) {
    if (flag_count == 0) {
      auto f = r.u32(pos);
      if (!f) break;  // end of input between groups
      flags = *f;
      pos += 4;
      flag_count = 32;
    }
    --flag_count;
    if ((flags & (1u << flag_count)) == 0) {
      if (pos >= in.size()) break;
      if (out.size() >= max_out) return std::nullopt;
      out.push_back(in[pos++]);
      continue;
    }
    if (pos >= in.size()) break;
    auto match = r.u16(pos);
    if (!match) return std::nullopt;
    pos += 2;
    std::size_t length = *match % 8;
    const std::size_t distance = *match / 8 + 1;
    if (length == 7) {
      if (half_byte_pos == 0) {
        if (pos >= in.size()) return std::nullopt;
        length = in[pos] % 16;
        half_byte_pos = pos++;
      } else {
        length = in[half_byte_pos] / 16;
        half_byte_pos = 0;
      }
      if (length == 15) {
        if (pos >= in.size()) return std::nullopt;
        length = in[pos++];
        if (length == 255) {
          auto l16 = r.u16(pos);
          if (!l16) return std::nullopt;
          pos += 2;
          length = *l16;
          if (length == 0) {
            auto l32 = r.u32(pos);
            if (!l32) return std::nullopt;
            pos += 4;
            length = *l32;
          }
          if (length < 15 + 7) return std::nullopt;
          length -= 15 + 7;
        }
        length += 15;
      }
      length += 7;
    }
    length += 3;
    if (distance > out.size() || length > max_out - out.size()) return std::nullopt;
    for (std::size_t i = 0; i < length; ++i) out.push_back(out[out.size() - distance]);
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> decompress_value(Bytes in, std::size_t max_out) {
  if (in.empty()) return std::nullopt;
  switch (in[0] >> 3) {
    case k7BitAscii:
      return seven_bit(in, false, max_out);
    case k7BitUnicode:
      return seven_bit(in, true, max_out);
    case kXpress: {
      // The lead byte is followed by the uncompressed size (16 bits): never more.
      if (in.size() < 3) return std::nullopt;
      const std::size_t declared = in[1] | (std::size_t{in[2]} << 8);
      return xpress_plain_decompress(in.subspan(3), std::min(max_out, declared));
    }
    default:
      return std::nullopt;
  }
}

}  // namespace kk::ese
