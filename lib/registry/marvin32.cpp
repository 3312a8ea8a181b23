#include "registry/marvin32.hpp"

#include <bit>

namespace kk::registry {

namespace {
void mix(std::uint32_t& lo, std::uint32_t& hi) {
  hi ^= lo;
  lo = std::rotl(lo, 20) + hi;
  hi = std::rotl(hi, 9) ^ lo;
  lo = std::rotl(lo, 27) + hi;
  hi = std::rotl(hi, 19);
}
}  // namespace

std::uint64_t marvin32(Bytes data, std::uint64_t seed) {
  std::uint32_t lo = static_cast<std::uint32_t>(seed);
  std::uint32_t hi = static_cast<std::uint32_t>(seed >> 32);
  std::size_t whole = data.size() & ~std::size_t{3};
  for (std::size_t i = 0; i < whole; i += 4) {
    lo += ByteReader::load<std::uint32_t>(data.data() + i);
    mix(lo, hi);
  }
  // The 0-3 trailing bytes, closed by a 0x80 byte, form the final word.
  std::uint32_t last = 0x80u << (8 * (data.size() - whole));
  for (std::size_t i = whole; i < data.size(); ++i)
    last |= std::uint32_t{data[i]} << (8 * (i - whole));
  lo += last;
  mix(lo, hi);
  mix(lo, hi);
  return (std::uint64_t{hi} << 32) | lo;
}

}  // namespace kk::registry
