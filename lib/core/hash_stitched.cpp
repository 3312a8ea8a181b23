#include "core/hash_stitched.hpp"

#include "core/sha256_constants.hpp"

#include <bit>
#include <cstring>
#include <utility>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace kk {

#if defined(__x86_64__)

bool stitched_hash_available() {
  static const bool available = [] {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    const bool ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    const bool sha = (b >> 29) & 1;
    return ssse3 && sse41 && sha;
  }();
  return available;
}

namespace {

// RFC 1321: the sine table, the shifts of each round and the word each step reads.
constexpr std::uint32_t kMd5T[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
constexpr int kMd5Shift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
constexpr int md5_word(int i) {
  switch (i / 16) {
    case 0:
      return i;
    case 1:
      return (5 * i + 1) % 16;
    case 2:
      return (3 * i + 5) % 16;
    default:
      return (7 * i) % 16;
  }
}

#define KK_SHA_TARGET __attribute__((target("sha,ssse3,sse4.1"), always_inline)) inline

// One MD5 step: A = B + ((A + f(B, C, D) + X[k] + T[I]) <<< s).
template <int I>
KK_SHA_TARGET void md5_step(std::uint32_t& a, std::uint32_t b, std::uint32_t c, std::uint32_t d,
                            const std::uint32_t* x) {
  constexpr int round = I / 16;
  std::uint32_t f;
  if constexpr (round == 0)
    f = d ^ (b & (c ^ d));
  else if constexpr (round == 1)
    f = c ^ (d & (b ^ c));
  else if constexpr (round == 2)
    f = b ^ c ^ d;
  else
    f = c ^ (b | ~d);
  a = b + std::rotl(a + f + x[md5_word(I)] + kMd5T[I], kMd5Shift[round][I % 4]);
}

struct Md5State {
  std::uint32_t a, b, c, d;
  std::uint32_t x[16];
};

// MD5 steps 4G .. 4G+3.
template <int G>
KK_SHA_TARGET void md5_group(Md5State& m) {
  md5_step<4 * G>(m.a, m.b, m.c, m.d, m.x);
  md5_step<4 * G + 1>(m.d, m.a, m.b, m.c, m.x);
  md5_step<4 * G + 2>(m.c, m.d, m.a, m.b, m.x);
  md5_step<4 * G + 3>(m.b, m.c, m.d, m.a, m.x);
}

struct Sha256State {
  __m128i abef, cdgh;
  __m128i w[4];  // message words 4G .. 4G+3 of the last four groups, by G % 4
};

// SHA-256 rounds 4G .. 4G+3 with the SHA extensions; the message schedule of group G from
// the four before it (W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16]).
template <int G>
KK_SHA_TARGET void sha256_group(Sha256State& s, const std::uint8_t* block) {
  __m128i& w = s.w[G % 4];
  if constexpr (G < 4) {
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    w = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * G)), swap);
  } else {
    const __m128i& w3 = s.w[(G + 3) % 4];  // group G-1
    const __m128i& w2 = s.w[(G + 2) % 4];  // group G-2
    const __m128i& w1 = s.w[(G + 1) % 4];  // group G-3
    w = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(w, w1), _mm_alignr_epi8(w3, w2, 4)),
                             w3);
  }
  __m128i msg = _mm_add_epi32(
      w, _mm_load_si128(reinterpret_cast<const __m128i*>(kSha256RoundConstants + 4 * G)));
  s.cdgh = _mm_sha256rnds2_epu32(s.cdgh, s.abef, msg);
  s.abef = _mm_sha256rnds2_epu32(s.abef, s.cdgh, _mm_shuffle_epi32(msg, 0x0E));
}

struct Sha1State {
  __m128i abcd, e0, e1;
  __m128i w[4];  // message words 4J .. 4J+3 of the last four groups, by J % 4
};

// SHA-1 rounds 4J .. 4J+3 with the SHA extensions; the message schedule of group J from
// the four before it (W[t] = (W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]) <<< 1).
template <int J>
KK_SHA_TARGET void sha1_group(Sha1State& s, const std::uint8_t* block) {
  __m128i& w = s.w[J % 4];
  if constexpr (J < 4) {
    const __m128i reverse = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
    w = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * J)),
                         reverse);
  } else {
    w = _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32(w, s.w[(J + 1) % 4]), s.w[(J + 2) % 4]),
                           s.w[(J + 3) % 4]);
  }
  constexpr int f = J / 5;
  if constexpr (J == 0) {
    s.e0 = _mm_add_epi32(s.e0, w);
    s.e1 = s.abcd;
    s.abcd = _mm_sha1rnds4_epu32(s.abcd, s.e0, f);
  } else if constexpr (J % 2 == 1) {
    s.e1 = _mm_sha1nexte_epu32(s.e1, w);
    s.e0 = s.abcd;
    s.abcd = _mm_sha1rnds4_epu32(s.abcd, s.e1, f);
  } else {
    s.e0 = _mm_sha1nexte_epu32(s.e0, w);
    s.e1 = s.abcd;
    s.abcd = _mm_sha1rnds4_epu32(s.abcd, s.e0, f);
  }
}

// Slice G of a block: four MD5 steps, four SHA-256 rounds and the SHA-1 rounds that spread
// its 20 groups evenly over the 16 slices.
template <int G, int... J>
KK_SHA_TARGET void slice(Md5State& m, Sha1State& s1, Sha256State& s2, const std::uint8_t* block,
                         std::integer_sequence<int, J...>) {
  md5_group<G>(m);
  sha256_group<G>(s2, block);
  (sha1_group<20 * G / 16 + J>(s1, block), ...);
}

// One 64-byte block: the 16 slices in order.
template <int... G>
KK_SHA_TARGET void block_slices(Md5State& m, Sha1State& s1, Sha256State& s2,
                                const std::uint8_t* block, std::integer_sequence<int, G...>) {
  (slice<G>(m, s1, s2, block, std::make_integer_sequence<int, 20 * (G + 1) / 16 - 20 * G / 16>{}),
   ...);
}

// The three states of one message, loaded from Nettle's words and stored back.
struct Lane {
  Md5State m;
  Sha1State s1;
  Sha256State s2;
  std::uint32_t *md5, *sha1, *sha256;

  KK_SHA_TARGET void load(std::uint32_t* md5_words, std::uint32_t* sha1_words,
                          std::uint32_t* sha256_words) {
    md5 = md5_words;
    sha1 = sha1_words;
    sha256 = sha256_words;
    m = Md5State{md5[0], md5[1], md5[2], md5[3], {}};
    s1.abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(sha1)), 0x1B);
    s1.e0 = _mm_set_epi32(static_cast<int>(sha1[4]), 0, 0, 0);
    __m128i abcd =
        _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256)), 0xB1);
    __m128i efgh =
        _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256 + 4)), 0x1B);
    s2.abef = _mm_alignr_epi8(abcd, efgh, 8);
    s2.cdgh = _mm_blend_epi16(efgh, abcd, 0xF0);
  }
  KK_SHA_TARGET void store() const {
    md5[0] = m.a;
    md5[1] = m.b;
    md5[2] = m.c;
    md5[3] = m.d;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(sha1), _mm_shuffle_epi32(s1.abcd, 0x1B));
    sha1[4] = static_cast<std::uint32_t>(_mm_extract_epi32(s1.e0, 3));
    __m128i feba = _mm_shuffle_epi32(s2.abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(s2.cdgh, 0xB1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(sha256), _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(sha256 + 4), _mm_alignr_epi8(dchg, feba, 8));
  }
};

// The states at a block's start, added back at its end.
struct LaneStart {
  Md5State m;
  __m128i abcd, e0, abef, cdgh;
  KK_SHA_TARGET explicit LaneStart(Lane& l, const std::uint8_t* block)
      : m(l.m), abcd(l.s1.abcd), e0(l.s1.e0), abef(l.s2.abef), cdgh(l.s2.cdgh) {
    std::memcpy(l.m.x, block, 64);  // MD5's words are little-endian, as x86's
  }
  KK_SHA_TARGET void end_block(Lane& l) const {
    l.m.a += m.a;
    l.m.b += m.b;
    l.m.c += m.c;
    l.m.d += m.d;
    l.s1.e0 = _mm_sha1nexte_epu32(l.s1.e0, e0);
    l.s1.abcd = _mm_add_epi32(l.s1.abcd, abcd);
    l.s2.abef = _mm_add_epi32(l.s2.abef, abef);
    l.s2.cdgh = _mm_add_epi32(l.s2.cdgh, cdgh);
  }
};

// Two blocks of two messages, slice by slice: the two MD5 chains (each one step waiting on
// the last) run side by side, as the three algorithms of one message already do.
template <int... G>
KK_SHA_TARGET void block_slices_2(Lane& a, const std::uint8_t* block_a, Lane& b,
                                  const std::uint8_t* block_b, std::integer_sequence<int, G...>) {
  ((slice<G>(a.m, a.s1, a.s2, block_a,
             std::make_integer_sequence<int, 20 * (G + 1) / 16 - 20 * G / 16>{}),
    slice<G>(b.m, b.s1, b.s2, block_b,
             std::make_integer_sequence<int, 20 * (G + 1) / 16 - 20 * G / 16>{})),
   ...);
}

}  // namespace

__attribute__((target("sha,ssse3,sse4.1"))) void stitched_compress(std::uint32_t md5[4],
                                                                   std::uint32_t sha1[5],
                                                                   std::uint32_t sha256[8],
                                                                   const std::uint8_t* data,
                                                                   std::size_t blocks) {
  Lane l;
  l.load(md5, sha1, sha256);
  for (std::size_t n = 0; n < blocks; ++n, data += 64) {
    const LaneStart start(l, data);
    block_slices(l.m, l.s1, l.s2, data, std::make_integer_sequence<int, 16>{});
    start.end_block(l);
  }
  l.store();
}

__attribute__((target("sha,ssse3,sse4.1"))) void stitched_compress_2(
    std::uint32_t md5_a[4], std::uint32_t sha1_a[5], std::uint32_t sha256_a[8],
    const std::uint8_t* data_a, std::uint32_t md5_b[4], std::uint32_t sha1_b[5],
    std::uint32_t sha256_b[8], const std::uint8_t* data_b, std::size_t blocks) {
  Lane a, b;
  a.load(md5_a, sha1_a, sha256_a);
  b.load(md5_b, sha1_b, sha256_b);
  for (std::size_t n = 0; n < blocks; ++n, data_a += 64, data_b += 64) {
    const LaneStart start_a(a, data_a), start_b(b, data_b);
    block_slices_2(a, data_a, b, data_b, std::make_integer_sequence<int, 16>{});
    start_a.end_block(a);
    start_b.end_block(b);
  }
  a.store();
  b.store();
}

#undef KK_SHA_TARGET

#else  // not x86-64: Nettle's code only

bool stitched_hash_available() {
  return false;
}
void stitched_compress(std::uint32_t*, std::uint32_t*, std::uint32_t*, const std::uint8_t*,
                       std::size_t) {}
void stitched_compress_2(std::uint32_t*, std::uint32_t*, std::uint32_t*, const std::uint8_t*,
                         std::uint32_t*, std::uint32_t*, std::uint32_t*, const std::uint8_t*,
                         std::size_t) {}

#endif

}  // namespace kk
