// MD5, SHA-1 and SHA-256 of the same bytes in one pass over each 64-byte block.
//
// Chain of custody wants all three digests of every file (1 GB and more in a bundle). Each
// algorithm alone is bound by its own chain of dependent operations, not by the core's
// width: MD5's 64 steps one after the other, SHA-1's and SHA-256's rounds waiting on the
// SHA extensions' latency. Computed one after the other the three chains add up; steps of
// the three written side by side in one loop let the core run them at the same time.
// Needs the SHA extensions (x86-64 SHA-NI); callers fall back to Nettle's code elsewhere.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kk {

// True when this CPU runs stitched_compress (SHA-NI, SSSE3, SSE4.1).
bool stitched_hash_available();

// Compresses BLOCKS 64-byte blocks from DATA into the three states (MD5: 4 words, SHA-1:
// 5, SHA-256: 8; the words of Nettle's md5_ctx, sha1_ctx and sha256_ctx). Only when
// stitched_hash_available().
void stitched_compress(std::uint32_t md5[4], std::uint32_t sha1[5], std::uint32_t sha256[8],
                       const std::uint8_t* data, std::size_t blocks);

// The same for two messages at once, BLOCKS blocks of each: their steps interleaved, so
// that the core runs two MD5 chains side by side (256 MB each: 1.85x one after the other).
void stitched_compress_2(std::uint32_t md5_a[4], std::uint32_t sha1_a[5], std::uint32_t sha256_a[8],
                         const std::uint8_t* data_a, std::uint32_t md5_b[4],
                         std::uint32_t sha1_b[5], std::uint32_t sha256_b[8],
                         const std::uint8_t* data_b, std::size_t blocks);

}  // namespace kk
