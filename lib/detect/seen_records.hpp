// "Was this EVTX record seen before?": detect's de-duplication of records that come twice
// (a log's parser records and its timeline events), by source, record id and time.
//
// One hash table over every record (SeenSet alone) missed the cache at each record: removing
// it made detect 5-11 % faster on a million records. But record ids run on, in a log and
// in each of its chunks, so here the ids of a source are kept in blocks of 256 slots, one
// per 256 ids, that hold each record's time: the next record's slot is next to the last
// one's. Blocks are made only while they hold on average a record per 4 slots or better
// (hostile ids cannot make them grow without bound); past that, and for an id seen again at
// another time, a SeenSet keeps the record.
#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "detect/seen_set.hpp"

namespace kk::detect {

// One EVTX record as the de-duplication knows it.
struct RecordKey {
  std::uint64_t source = 0;  // a hash of the record's source (its file)
  std::int64_t record_id = 0, time = 0;
};

class SeenRecords {
 public:
  // True when KEY was not seen before (and is now).
  bool insert(const RecordKey& key) { return insert(key.source, key.record_id, key.time); }
  bool insert(std::uint64_t source, std::int64_t record_id, std::int64_t time);

 private:
  static constexpr unsigned kBlockBits = 8;
  static constexpr std::size_t kBlockSlots = std::size_t{1} << kBlockBits;  // 256 ids, 2 KiB
  static constexpr std::int64_t kEmpty = INT64_MIN;  // a slot no record holds
  static constexpr std::size_t kSlotsPerRecord = 4, kSlack = 16 * kBlockSlots;
  using Block = std::array<std::int64_t, kBlockSlots>;
  struct Where {  // a block's source and place among the ids
    std::uint64_t source;
    std::int64_t block;
    bool operator==(const Where&) const = default;
  };
  struct WhereHash {
    std::size_t operator()(const Where& w) const {
      return SeenSet::mix(SeenSet::mix(w.source) ^ static_cast<std::uint64_t>(w.block));
    }
  };
  // The block for W, made if that keeps the blocks dense enough; null when it does not.
  Block* block(const Where& w);
  static std::uint64_t key(std::uint64_t source, std::int64_t record_id, std::int64_t time);

  std::unordered_map<Where, std::size_t, WhereHash> index_;  // → blocks_
  std::vector<Block> blocks_;
  std::size_t held_ = 0;  // records in blocks_
  Where last_{0, 0};      // the last record's block (a log's records come together)
  Block* last_block_ = nullptr;
  bool overflowed_ = false;  // a record went to others_ for want of a block: ask it first
  SeenSet others_;           // a hash of (source, record id, time) of the rest
};

}  // namespace kk::detect
