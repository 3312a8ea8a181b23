#include "timeline/sort_keys.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <vector>

#include "timeline/key_buffer.hpp"

namespace kk::timeline {

namespace {
constexpr unsigned kDigitBits = 11;
constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
constexpr unsigned kMaxPasses = (64 + kDigitBits - 1) / kDigitBits;
constexpr std::size_t kSmall = 256;  // below this a comparison sort is as quick
}  // namespace

void sort_keys(KeyBuffer& keys, KeyBuffer& scratch) {
  const std::size_t n = keys.size();
  if (n < 2) return;
  bool in_order = true;
  std::uint64_t lo = keys[0].key, hi = keys[0].key;
  for (std::size_t i = 1; i < n; ++i) {
    in_order = in_order && keys[i - 1].key <= keys[i].key;
    lo = std::min(lo, keys[i].key);
    hi = std::max(hi, keys[i].key);
  }
  if (in_order) return;
  if (n < kSmall) {
    std::stable_sort(keys.begin(), keys.end(),
                     [](const SortKey& a, const SortKey& b) { return a.key < b.key; });
    return;
  }
  // Digits of (key - lo): only the bits in which the keys differ need passes.
  const unsigned bits = static_cast<unsigned>(std::bit_width(hi - lo));
  const unsigned passes = (bits + kDigitBits - 1) / kDigitBits;
  std::vector<std::array<std::size_t, kBuckets>> counts(passes);
  for (auto& c : counts) c.fill(0);
  for (const SortKey& k : keys) {
    std::uint64_t v = k.key - lo;
    for (unsigned p = 0; p < passes; ++p) ++counts[p][(v >> (p * kDigitBits)) & (kBuckets - 1)];
  }
  // As much room as the keys have, no more (the sorter counts twice the keys' room against
  // its budget); left unset until the first pass writes it.
  if (scratch.capacity() < keys.capacity()) {
    scratch.release();
    scratch.reserve(keys.capacity());
  }
  scratch.resize(n);
  SortKey* from = keys.data();
  SortKey* to = scratch.data();
  for (unsigned p = 0; p < passes; ++p) {
    auto& c = counts[p];
    const unsigned shift = p * kDigitBits;
    if (c[((from[0].key - lo) >> shift) & (kBuckets - 1)] == n) continue;  // one digit: no-op
    std::size_t sum = 0;
    for (auto& x : c) {  // counts → first slot of each bucket
      std::size_t k = x;
      x = sum;
      sum += k;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const SortKey& k = from[i];
      to[c[((k.key - lo) >> shift) & (kBuckets - 1)]++] = k;
    }
    std::swap(from, to);
  }
  if (from != keys.data()) keys.swap(scratch);
  static_assert(kMaxPasses <= 6);
}

}  // namespace kk::timeline
