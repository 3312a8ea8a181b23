#include "detect/literal_windows.hpp"

#include <algorithm>
#include <bit>
#include <unordered_map>

namespace kk::detect {

namespace {

std::uint64_t window_at(const std::string& text, std::size_t i) {
  std::uint64_t w;
  std::memcpy(&w, text.data() + i, LiteralWindows::kWidth);
  return w;
}

// The distinct windows of TEXT, ascending.
std::vector<std::uint64_t> windows_of(const std::string& text) {
  std::vector<std::uint64_t> ws;
  for (std::size_t i = 0; i + LiteralWindows::kWidth <= text.size(); ++i)
    ws.push_back(window_at(text, i));
  std::sort(ws.begin(), ws.end());
  ws.erase(std::unique(ws.begin(), ws.end()), ws.end());
  return ws;
}

}  // namespace

void LiteralWindows::build(const std::vector<std::pair<std::string, std::uint32_t>>& literals) {
  std::vector<std::pair<std::string, std::uint32_t>> sorted = literals;
  std::sort(sorted.begin(), sorted.end());
  texts_.clear();
  id_begin_.clear();
  ids_.clear();
  for (const auto& [text, id] : sorted) {
    if (texts_.empty() || texts_.back() != text) {
      texts_.push_back(text);
      id_begin_.push_back(static_cast<std::uint32_t>(ids_.size()));
    }
    ids_.push_back(id);
  }
  id_begin_.push_back(static_cast<std::uint32_t>(ids_.size()));

  // How many texts hold each window: a window many literals share ("\windows", "system32")
  // is as common in the values scanned, and each of its hits would compare all of them.
  std::unordered_map<std::uint64_t, std::uint32_t> holders;
  for (const std::string& t : texts_)
    for (std::uint64_t w : windows_of(t)) ++holders[w];

  // Each text's anchor: its window with the fewest holders, the last such one (a literal's
  // end, often a file name, says more than its start, often a folder).
  std::vector<std::pair<std::uint64_t, Anchor>> chosen;
  chosen.reserve(texts_.size());
  for (std::uint32_t t = 0; t < texts_.size(); ++t) {
    const std::string& text = texts_[t];
    std::size_t best = 0;
    std::uint32_t best_holders = UINT32_MAX;
    for (std::size_t i = 0; i + kWidth <= text.size(); ++i) {
      std::uint32_t n = holders[window_at(text, i)];
      if (n <= best_holders) best = i, best_holders = n;
    }
    chosen.emplace_back(window_at(text, best), Anchor{t, static_cast<std::uint32_t>(best)});
  }
  std::sort(chosen.begin(), chosen.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first < y.first : x.second.text < y.second.text;
  });

  anchors_.clear();
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < chosen.size(); ++i)
    distinct += i == 0 || chosen[i].first != chosen[i - 1].first;
  const std::size_t slots = std::bit_ceil(std::max<std::size_t>(16, distinct * 2));
  slots_.assign(slots, Slot{});
  slot_shift_ = 64 - static_cast<unsigned>(std::countr_zero(slots));
  const auto filter_bits = std::clamp<unsigned>(
      static_cast<unsigned>(std::bit_width(distinct * 64)), kMinFilterBits, kMaxFilterBits);
  filter_.assign((std::size_t{1} << filter_bits) / 64, 0);
  filter_shift_ = 64 - filter_bits;
  for (std::size_t i = 0; i < chosen.size();) {
    const std::uint64_t w = chosen[i].first;
    const auto first = static_cast<std::uint32_t>(anchors_.size());
    for (; i < chosen.size() && chosen[i].first == w; ++i) anchors_.push_back(chosen[i].second);
    const std::uint64_t h = w * kMultiplier;
    std::size_t s = h >> slot_shift_;
    while (slots_[s].count != 0) s = (s + 1) & (slots - 1);
    slots_[s] = Slot{w, first, static_cast<std::uint32_t>(anchors_.size()) - first};
    const std::uint64_t bit = h >> filter_shift_;
    filter_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  }
}

}  // namespace kk::detect
