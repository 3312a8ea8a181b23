// The merge's choice of the next run: a tournament tree of losers over the runs' current
// keys. Replacing the winner's key replays one path, leaf to root: log2(k) compares of
// keys held in one small array. std::priority_queue took 2·log2(k) compares per event
// through each run reader's current event (6 % of triage's merge thread, 28 runs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace kk::timeline {

class LoserTree {
 public:
  // An input's current key: (order_key(timestamp), batch); kDone once it has ended.
  struct Key {
    std::uint64_t order = 0;
    std::uint64_t batch = 0;
    bool operator<(const Key& o) const {
      return order != o.order ? order < o.order : batch < o.batch;
    }
  };
  // No event has it: a sorter's batches count from 0 and never reach it.
  static constexpr Key kDone{UINT64_MAX, UINT64_MAX};

  // KEYS: each input's first key (kDone for an empty input); at least one input.
  explicit LoserTree(std::vector<Key> keys) : keys_(std::move(keys)), loser_(keys_.size()) {
    winner_ = keys_.size() > 1 ? build(1) : 0;
  }
  // The input with the least key, and whether every input has ended.
  std::size_t winner() const { return winner_; }
  bool done() const { return !(keys_[winner_] < kDone); }
  // The winner's next key (kDone when it has ended).
  void replace_winner(Key k) {
    keys_[winner_] = k;
    std::size_t w = winner_;
    for (std::size_t node = (w + keys_.size()) / 2; node >= 1; node /= 2)
      if (keys_[loser_[node]] < keys_[w]) std::swap(loser_[node], w);
    winner_ = w;
  }

 private:
  // Leaves are nodes k..2k-1 (input i at k+i), internal nodes 1..k-1 hold their losers.
  std::size_t build(std::size_t node) {
    const std::size_t k = keys_.size();
    if (node >= k) return node - k;
    const std::size_t a = build(2 * node), b = build(2 * node + 1);
    if (keys_[b] < keys_[a]) {
      loser_[node] = a;
      return b;
    }
    loser_[node] = b;
    return a;
  }
  std::vector<Key> keys_;
  std::vector<std::size_t> loser_;  // [0] unused
  std::size_t winner_ = 0;
};

}  // namespace kk::timeline
