// The merge's loser tree picks the least key of any number of inputs, equal times ordered
// by the batch (as the sorter's runs are numbered), and sees an input end (kDone) anywhere
// in the tree.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "timeline/loser_tree.hpp"

using kk::timeline::LoserTree;

TEST_CASE("LoserTree merges sorted inputs of any count into one order") {
  std::mt19937_64 rng(42);
  for (std::size_t k : {1, 2, 3, 5, 8, 28, 64, 65}) {
    // Inputs of random lengths (some empty), keys sorted in each; times repeat often, within
    // an input too, so that the batch decides between inputs. Each input is one batch,
    // numbered in a shuffled order (a merge pass appends its output after later runs).
    std::vector<std::vector<LoserTree::Key>> inputs(k);
    std::vector<LoserTree::Key> all;
    std::vector<std::uint64_t> numbers(k);
    for (std::size_t i = 0; i < k; ++i) numbers[i] = i;
    std::shuffle(numbers.begin(), numbers.end(), rng);
    for (std::size_t b = 0; b < k; ++b) {
      auto& in = inputs[b];
      const std::size_t n = rng() % 4 == 0 ? 0 : rng() % 200;
      for (std::size_t i = 0; i < n; ++i) in.push_back({rng() % 50, numbers[b]});
      std::sort(in.begin(), in.end());
      all.insert(all.end(), in.begin(), in.end());
    }
    std::sort(all.begin(), all.end());
    std::vector<std::size_t> pos(k, 0);
    std::vector<LoserTree::Key> first;
    for (const auto& in : inputs) first.push_back(in.empty() ? LoserTree::kDone : in[0]);
    LoserTree tree(first);
    std::vector<LoserTree::Key> merged;
    while (!tree.done()) {
      const std::size_t w = tree.winner();
      merged.push_back(inputs[w][pos[w]]);
      ++pos[w];
      tree.replace_winner(pos[w] < inputs[w].size() ? inputs[w][pos[w]] : LoserTree::kDone);
    }
    REQUIRE(merged.size() == all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
      CHECK(merged[i].order == all[i].order);
      CHECK(merged[i].batch == all[i].batch);
    }
  }
}
