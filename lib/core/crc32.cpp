// CRC-32 fast enough that checking every chunk's records checksum costs no
// noticeable share of parse time: carry-less multiplication folding (Intel,
// "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ", bit-reflected
// form) where the CPU has it, slicing-by-8 tables elsewhere and for the tail.
#include "core/crc32.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#define KK_CRC_CLMUL 1
#endif

namespace kk {
namespace {

struct Tables {
  std::array<std::array<std::uint32_t, 256>, 8> t{};
  Tables() {
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[0][i] = c;
    }
    for (std::uint32_t i = 0; i < 256; ++i)
      for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  }
};

const Tables& tables() {
  static const Tables tb;
  return tb;
}

}  // namespace

#if KK_CRC_CLMUL
__attribute__((target("pclmul,sse4.1"))) inline __m128i load(const std::uint8_t* q) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
}

// a.lo * k.lo ^ a.hi * k.hi ^ b: moves A forward over the next block B.
__attribute__((target("pclmul,sse4.1"))) inline __m128i fold16(__m128i a, __m128i b, __m128i k) {
  return _mm_xor_si128(
      _mm_xor_si128(_mm_clmulepi64_si128(a, k, 0x00), _mm_clmulepi64_si128(a, k, 0x11)), b);
}

// Folds N bytes (a multiple of 16, at least 64) into the pre-inverted CRC state.
// Constants: x^(4*128+32), x^(4*128-32), x^(128+32), x^(128-32) mod P, x^64 mod P,
// then P and floor(x^64 / P) for the Barrett reduction; P = 0x104C11DB7 reflected.
__attribute__((target("pclmul,sse4.1"))) std::uint32_t fold(std::uint32_t state,
                                                            const std::uint8_t* p, std::size_t n) {
  const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
  const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124);
  const __m128i barrett = _mm_set_epi64x(0x01f7011641, 0x01db710641);
  const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);
  __m128i x1 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(static_cast<int>(state)));
  __m128i x2 = load(p + 16), x3 = load(p + 32), x4 = load(p + 48);
  p += 64;
  n -= 64;
  for (; n >= 64; p += 64, n -= 64) {  // four independent lanes
    x1 = fold16(x1, load(p), k1k2);
    x2 = fold16(x2, load(p + 16), k1k2);
    x3 = fold16(x3, load(p + 32), k1k2);
    x4 = fold16(x4, load(p + 48), k1k2);
  }
  x1 = fold16(x1, x2, k3k4);  // lanes into one
  x1 = fold16(x1, x3, k3k4);
  x1 = fold16(x1, x4, k3k4);
  for (; n >= 16; p += 16, n -= 16) x1 = fold16(x1, load(p), k3k4);
  // 128 → 64 → 32 bits, then Barrett reduction.
  __m128i x2b = _mm_clmulepi64_si128(x1, k3k4, 0x10);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2b);
  x2b = _mm_srli_si128(x1, 4);
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, low32), k5, 0x00), x2b);
  __m128i t = _mm_clmulepi64_si128(_mm_and_si128(x1, low32), barrett, 0x10);
  t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), barrett, 0x00);
  return static_cast<std::uint32_t>(_mm_extract_epi32(_mm_xor_si128(x1, t), 1));
}

bool have_clmul() {
  static const bool yes = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  return yes;
}
#endif

std::uint32_t crc32(std::uint32_t crc, const std::uint8_t* p, std::size_t n) {
  const auto& t = tables().t;
  crc = ~crc;
#if KK_CRC_CLMUL
  if (n >= 64 && have_clmul()) {
    std::size_t bulk = n & ~std::size_t{15};
    crc = fold(crc, p, bulk);
    p += bulk;
    n -= bulk;
  }
#endif
  while (n >= 8) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + 4, 4);
    a ^= crc;
    crc = t[7][a & 0xFF] ^ t[6][(a >> 8) & 0xFF] ^ t[5][(a >> 16) & 0xFF] ^ t[4][a >> 24] ^
          t[3][b & 0xFF] ^ t[2][(b >> 8) & 0xFF] ^ t[1][(b >> 16) & 0xFF] ^ t[0][b >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) crc = t[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

}  // namespace kk
