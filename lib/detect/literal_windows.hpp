// Long literals found by one 8-byte window each: the prefilter's literals of 8 bytes or more.
//
// An Aho-Corasick table over a field's thousands of literals (5,000 file hashes, 6,000
// command-line fragments) is 15-20 MiB: each scanned byte loads a row that depends on the
// row before, and most of those loads miss the cache. Here each literal of at least kWidth
// bytes is known by one window of kWidth bytes inside it: the one fewest of the set's
// literals share, so that a window common to many paths ("\windows") is not chosen. A value
// is scanned by hashing the kWidth bytes at each position and testing a bit in a set of at
// most 64 KiB; only where the bit is set is the window looked up and its literals compared
// whole. The loads at one position do not wait for those of the one before, and the set
// stays in the cache.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kk::detect {

class LiteralWindows {
 public:
  static constexpr std::size_t kWidth = 8;

  // Indexes LITERALS (text, id): each text must be at least kWidth bytes. Replaces any
  // earlier index.
  void build(const std::vector<std::pair<std::string, std::uint32_t>>& literals);
  bool empty() const { return texts_.empty(); }

  // Calls HIT(id) for every literal that occurs in VALUE, once per occurrence.
  template <typename Hit>
  void scan(std::string_view value, Hit&& hit) const {
    if (texts_.empty() || value.size() < kWidth) return;
    const char* p = value.data();
    const std::size_t last = value.size() - kWidth;
    for (std::size_t i = 0; i <= last; ++i) {
      std::uint64_t w;
      std::memcpy(&w, p + i, kWidth);
      const std::uint64_t h = w * kMultiplier;
      const std::uint64_t bit = h >> filter_shift_;
      if (((filter_[bit >> 6] >> (bit & 63)) & 1) == 0) continue;
      for (std::size_t s = h >> slot_shift_;; s = (s + 1) & (slots_.size() - 1)) {
        const Slot& slot = slots_[s];
        if (slot.count == 0) break;
        if (slot.window != w) continue;
        for (std::uint32_t a = slot.first; a < slot.first + slot.count; ++a)
          verify(value, i, anchors_[a], hit);
        break;
      }
    }
  }

 private:
  static constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
  // The filter has about 64 bits per anchor (a window that is no anchor sets a bit with odds
  // of about 1 in 64), from 4,096 bits to 2^19 (64 KiB).
  static constexpr unsigned kMinFilterBits = 12, kMaxFilterBits = 19;

  struct Slot {  // open addressing over the distinct anchor windows
    std::uint64_t window = 0;
    std::uint32_t first = 0, count = 0;  // the window's anchors: anchors_[first, first + count)
  };
  struct Anchor {
    std::uint32_t text;    // into texts_
    std::uint32_t offset;  // where the window lies in the text
  };

  // The text of ANCHOR found in VALUE if its window, at I, is where the anchor says.
  template <typename Hit>
  void verify(std::string_view value, std::size_t i, const Anchor& anchor, Hit& hit) const {
    const std::string& t = texts_[anchor.text];
    if (i < anchor.offset) return;
    const std::size_t start = i - anchor.offset;
    if (t.size() > value.size() - start) return;
    if (std::memcmp(value.data() + start, t.data(), t.size()) != 0) return;
    for (std::uint32_t k = id_begin_[anchor.text]; k < id_begin_[anchor.text + 1]; ++k)
      hit(ids_[k]);
  }

  std::vector<std::uint64_t> filter_;
  unsigned filter_shift_ = 64 - kMinFilterBits;
  std::vector<Slot> slots_;
  unsigned slot_shift_ = 60;
  std::vector<Anchor> anchors_;
  std::vector<std::string> texts_;       // distinct literal texts
  std::vector<std::uint32_t> id_begin_;  // text → its ids: ids_[id_begin_[t], id_begin_[t + 1])
  std::vector<std::uint32_t> ids_;
};

}  // namespace kk::detect
