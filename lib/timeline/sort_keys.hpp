// Stable sort of (key, value) pairs by key: the timeline's sorter orders every batch
// of events by time with it. A least-significant-digit radix sort (11-bit digits over the
// bits in which the keys differ, passes whose digit is the same everywhere skipped) does a
// few linear passes where a comparison sort of millions of events spent a tenth of
// build-timeline's time; input already in order (one source, in time order) costs one pass.
#pragma once

#include <cstdint>

namespace kk::timeline {

struct SortKey {
  std::uint64_t key;    // order_key(timestamp)
  std::uint64_t value;  // carried along (the sorter: where the event is stored); equal keys
                        // keep their input order
};

// A signed time as an unsigned key of the same order, and back.
inline std::uint64_t order_key(std::int64_t t) {
  return static_cast<std::uint64_t>(t) ^ (std::uint64_t{1} << 63);
}
inline std::int64_t key_time(std::uint64_t key) {
  return static_cast<std::int64_t>(key ^ (std::uint64_t{1} << 63));
}

class KeyBuffer;  // key_buffer.hpp

// Sorts KEYS by key, stably. SCRATCH is working space (resized as needed, kept for reuse).
void sort_keys(KeyBuffer& keys, KeyBuffer& scratch);

}  // namespace kk::timeline
