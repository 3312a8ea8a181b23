// [MS-XCA] 2.2.4 "LZ77+Huffman Decompression Algorithm Details", implemented from the
// specification's processing description.
#include "compress/xpress_huffman.hpp"

#include <array>
#include <string>

namespace kk {
namespace {

constexpr unsigned kSymbols = 512;
constexpr unsigned kMaxCodeLength = 15;
constexpr unsigned kTableBits = 15;  // the spec decodes with a full 2^15 lookup
constexpr std::uint16_t kInvalid = 0xFFFF;

// Decoding table: for every 15-bit prefix, the symbol (low 9 bits) and its code
// length (bits 9-12). Canonical codes: symbols ordered by (length, value).
struct DecodeTable {
  std::array<std::uint16_t, 1u << kTableBits> entry;
};

// Builds the canonical Huffman decoding table from the 256-byte length table.
// Returns false for an over-subscribed code (more codes than the bit space holds),
// which no encoder produces. An incomplete code is accepted: its unused prefixes
// stay invalid and are an error only if the stream actually uses one.
bool build_table(const std::uint8_t* lengths_packed, DecodeTable& t) {
  std::array<std::uint8_t, kSymbols> len;
  for (unsigned i = 0; i < kSymbols / 2; ++i) {
    len[2 * i] = lengths_packed[i] & 0x0F;    // low nibble: even symbol
    len[2 * i + 1] = lengths_packed[i] >> 4;  // high nibble: odd symbol
  }
  std::size_t pos = 0;
  for (unsigned bits = 1; bits <= kMaxCodeLength; ++bits) {
    const std::size_t span = std::size_t{1} << (kTableBits - bits);
    for (unsigned sym = 0; sym < kSymbols; ++sym) {
      if (len[sym] != bits) continue;
      if (pos + span > t.entry.size()) return false;
      const auto v = static_cast<std::uint16_t>(sym | (bits << 9));
      std::fill_n(t.entry.begin() + static_cast<std::ptrdiff_t>(pos), span, v);
      pos += span;
    }
  }
  std::fill(t.entry.begin() + static_cast<std::ptrdiff_t>(pos), t.entry.end(), kInvalid);
  return true;
}

// The spec's bit reader: NEXT holds 32 bits, the top 16 always valid, EXTRA more
// after them. Words past the end of the input read as zero: the decoder looks
// ahead up to 32 bits, and a stream may legitimately end before that look-ahead.
// Consuming bits that lie past the end is detected by the caller via overrun().
class BitReader {
 public:
  BitReader(Bytes in, std::size_t pos) : in_(in), pos_(pos) {
    next_ = static_cast<std::uint32_t>(word()) << 16;
    next_ |= word();
    extra_ = 16;
  }
  std::uint32_t peek(unsigned n) const { return n == 0 ? 0 : next_ >> (32 - n); }
  void consume(unsigned n) {  // n <= 15
    if (n == 0) return;
    next_ <<= n;
    extra_ -= static_cast<int>(n);
    if (extra_ < 0) {
      next_ |= static_cast<std::uint32_t>(word()) << (-extra_);
      extra_ += 16;
    }
  }
  // Raw bytes interleaved with the bit stream (long match lengths).
  bool read_u8(std::uint32_t& v) {
    if (pos_ + 1 > in_.size()) return false;
    v = in_[pos_++];
    return true;
  }
  bool read_u16(std::uint32_t& v) {
    if (pos_ + 2 > in_.size()) return false;
    v = ByteReader::load<std::uint16_t>(in_.data() + pos_);
    pos_ += 2;
    return true;
  }
  bool read_u32(std::uint32_t& v) {
    if (pos_ + 4 > in_.size()) return false;
    v = ByteReader::load<std::uint32_t>(in_.data() + pos_);
    pos_ += 4;
    return true;
  }
  std::size_t pos() const { return pos_; }
  // Bytes of zero padding read past the input's end that were actually consumed:
  // more than the 32-bit look-ahead means the stream is truncated.
  bool overrun() const { return padded_words_ * 16 > 16 + static_cast<unsigned>(extra_); }

 private:
  std::uint16_t word() {
    if (pos_ + 2 <= in_.size()) {
      auto w = ByteReader::load<std::uint16_t>(in_.data() + pos_);
      pos_ += 2;
      return w;
    }
    if (pos_ < in_.size()) {  // odd final byte: the low half of a word, real data
      std::uint16_t w = in_[pos_];
      pos_ = in_.size();
      return w;
    }
    ++padded_words_;
    return 0;
  }
  Bytes in_;
  std::size_t pos_;
  std::uint32_t next_ = 0;
  int extra_ = 0;
  unsigned padded_words_ = 0;
};

Error fail(std::string what, std::size_t at) {
  return Error{std::move(what), at};
}

}  // namespace

Result<std::size_t> xpress_huffman_decompress(Bytes in, std::span<std::uint8_t> out) {
  DecodeTable table;
  std::size_t in_pos = 0;
  std::size_t out_pos = 0;
  const std::size_t out_size = out.size();
  std::uint8_t* const o = out.data();

  while (out_pos < out_size) {
    if (in_pos + kXpressHuffmanTableSize > in.size())
      return fail("LZXPRESS Huffman: input ends before the Huffman table of the block at output " +
                      std::to_string(out_pos) + " (" + std::to_string(out_size - out_pos) +
                      " bytes still expected)",
                  in_pos);
    const std::size_t table_pos = in_pos;
    if (!build_table(in.data() + in_pos, table))
      return fail("LZXPRESS Huffman: invalid Huffman table (over-subscribed code lengths)",
                  table_pos);
    BitReader bits(in, in_pos + kXpressHuffmanTableSize);
    const std::size_t block_end = std::min(out_size, out_pos + kXpressHuffmanBlockSize);

    while (out_pos < block_end) {
      const std::uint16_t e = table.entry[bits.peek(kTableBits)];
      if (e == kInvalid)
        return fail("LZXPRESS Huffman: bit pattern matches no Huffman code", bits.pos());
      const unsigned symbol = e & 0x1FF;
      bits.consume(e >> 9);
      if (symbol < 256) {
        o[out_pos++] = static_cast<std::uint8_t>(symbol);
      } else {
        // Symbol 256 is the end-of-stream marker only once the output is complete
        // (and then the loop has already ended); anywhere else it is a 3-byte match
        // at distance 1, as [MS-XCA] decodes it.
        const unsigned m = symbol - 256;
        std::uint32_t length = m & 15;
        const unsigned offset_bits = m >> 4;
        if (length == 15) {
          // The length's escape bytes come from the byte stream before the offset
          // bits are taken from the bit stream ([MS-XCA] order matters here).
          if (!bits.read_u8(length))
            return fail("LZXPRESS Huffman: input ends inside a match length", bits.pos());
          if (length == 255) {
            if (!bits.read_u16(length))
              return fail("LZXPRESS Huffman: input ends inside a match length", bits.pos());
            if (length == 0 && !bits.read_u32(length))
              return fail("LZXPRESS Huffman: input ends inside a match length", bits.pos());
            if (length < 15)
              return fail("LZXPRESS Huffman: invalid long match length " + std::to_string(length),
                          bits.pos());
            length -= 15;
          }
          length += 15;
        }
        length += 3;
        const std::uint32_t offset = (std::uint32_t{1} << offset_bits) + bits.peek(offset_bits);
        bits.consume(offset_bits);
        if (offset > out_pos)
          return fail("LZXPRESS Huffman: match distance " + std::to_string(offset) +
                          " reaches before the start of the output (at output " +
                          std::to_string(out_pos) + ")",
                      bits.pos());
        // A match never writes past the declared size: the last one is clipped.
        const std::size_t n = std::min<std::size_t>(length, out_size - out_pos);
        const std::uint8_t* src = o + out_pos - offset;
        std::uint8_t* dst = o + out_pos;
        if (offset >= n) {
          std::copy(src, src + n, dst);
        } else {
          // Overlapping copy (e.g. a run): byte by byte, as the spec requires.
          for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
        }
        out_pos += n;
      }
      if (bits.overrun())
        return fail("LZXPRESS Huffman: compressed stream is truncated (" +
                        std::to_string(out_size - out_pos) + " bytes still expected)",
                    in.size());
    }
    in_pos = bits.pos();
  }
  return std::min(in_pos, in.size());
}

}  // namespace kk
