// A small LZXPRESS Huffman encoder for tests only: the caller chooses the code
// lengths, the block boundaries and every literal and match, so tests can build
// exactly the streams they need (long-length escapes, matches across blocks,
// unusual tables). It writes the byte layout [MS-XCA] 2.2.4 reads: a 256-byte table,
// then 16-bit little-endian words filled most significant bit first, with the raw
// bytes of long match lengths placed where the decoder's 32-bit look-ahead puts
// its input position.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace kk_test {

class XpressTestEncoder {
 public:
  using Lengths = std::array<std::uint8_t, 512>;

  // Every symbol 9 bits long: a complete canonical code where symbol S has code S.
  static Lengths uniform() {
    Lengths l;
    l.fill(9);
    return l;
  }

  // Starts a block: writes its table and reserves the two words the decoder loads.
  void begin_block(const Lengths& lengths) {
    lengths_ = lengths;
    assign_codes();
    for (unsigned i = 0; i < 256; ++i)
      out_.push_back(
          static_cast<std::uint8_t>((lengths[2 * i] & 0x0F) | (lengths[2 * i + 1] << 4)));
    bits_ = 0;
    slots_.clear();
    reserve_word();
    reserve_word();
  }

  void literal(std::uint8_t b) { symbol(b); }

  // A match of LENGTH (>= 3) bytes at DISTANCE (1..65535) back.
  void match(std::uint32_t length, std::uint32_t distance) {
    if (length < 3 || distance == 0 || distance > 65535) throw std::invalid_argument("bad match");
    unsigned offset_bits = 0;
    while ((distance >> (offset_bits + 1)) != 0) ++offset_bits;
    const std::uint32_t l = length - 3;
    const unsigned nibble = l < 15 ? l : 15;
    symbol(256 + (offset_bits << 4) + nibble);
    if (nibble == 15) {
      if (l - 15 < 255) {
        out_.push_back(static_cast<std::uint8_t>(l - 15));
      } else {
        out_.push_back(255);
        if (l <= 0xFFFF) {
          push_le(l, 2);
        } else {
          push_le(0, 2);
          push_le(l, 4);
        }
      }
    }
    put_bits(distance - (1u << offset_bits), offset_bits);
    refill();
  }

  void end_of_stream() { symbol(256); }

  const std::vector<std::uint8_t>& bytes() const { return out_; }

 private:
  void symbol(unsigned s) {
    if (lengths_[s] == 0) throw std::invalid_argument("symbol has no code");
    put_bits(codes_[s], lengths_[s]);
    refill();
  }
  // The decoder reads its next word once it has consumed more bits than the words
  // it holds minus one; reserving the word at the same moment keeps raw bytes and
  // words in the order the decoder meets them.
  void refill() {
    while (bits_ > 16 * (slots_.size() - 1)) reserve_word();
  }
  void reserve_word() {
    slots_.push_back(out_.size());
    out_.push_back(0);
    out_.push_back(0);
  }
  void put_bits(std::uint32_t value, unsigned n) {
    for (unsigned i = n; i-- > 0;) {
      const std::size_t word = bits_ / 16;
      const unsigned bit = 15 - bits_ % 16;
      if ((value >> i) & 1) {
        std::size_t at = slots_.at(word);
        std::uint16_t w = static_cast<std::uint16_t>(out_[at] | (out_[at + 1] << 8));
        w = static_cast<std::uint16_t>(w | (1u << bit));
        out_[at] = static_cast<std::uint8_t>(w);
        out_[at + 1] = static_cast<std::uint8_t>(w >> 8);
      }
      ++bits_;
    }
  }
  void push_le(std::uint32_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  // Canonical Huffman codes: symbols ordered by (length, value), consecutive codes.
  void assign_codes() {
    std::uint32_t code = 0;
    for (unsigned len = 1; len <= 15; ++len) {
      for (unsigned s = 0; s < 512; ++s)
        if (lengths_[s] == len) codes_[s] = code++;
      code <<= 1;
    }
  }

  Lengths lengths_{};
  std::array<std::uint32_t, 512> codes_{};
  std::vector<std::uint8_t> out_;
  std::vector<std::size_t> slots_;
  std::size_t bits_ = 0;
};

}  // namespace kk_test
