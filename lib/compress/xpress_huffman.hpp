// LZXPRESS Huffman ("LZ77+Huffman", COMPRESSION_FORMAT_XPRESS_HUFF) decompression
// per [MS-XCA] section 2.2 (format) and 2.2.4 (processing).
//
// The stream is a sequence of blocks. Each block starts with a 256-byte table of
// 4-bit code lengths for 512 symbols (0-255 literals, 256-511 matches), followed by
// a bit stream read as little-endian 16-bit words, most significant bit first. A
// block ends once it has produced 65536 bytes (a final match may run past that);
// the next block's table starts at the next unread input byte. Matches may refer
// to output of earlier blocks (the prefetch "stream variant").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/byte_reader.hpp"
#include "core/result.hpp"

namespace kk {

// Decompresses IN into exactly OUT.size() bytes (the size the container declares).
// Every read and write is bounds-checked: malformed input yields an error whose
// offset is the input position where decoding failed. On success the value is the
// number of input bytes consumed. Decoding stops as soon as OUT is full, so trailing
// input (the end-of-stream symbol, padding) is never required.
Result<std::size_t> xpress_huffman_decompress(Bytes in, std::span<std::uint8_t> out);

inline constexpr std::size_t kXpressHuffmanBlockSize = 65536;
inline constexpr std::size_t kXpressHuffmanTableSize = 256;

}  // namespace kk
