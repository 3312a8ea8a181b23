// "Was this EVTX record seen before?": detect's de-duplication of records that come twice
// (a log's parser records and its timeline events), by source, record id and time.
//
// One hash table over every record (SeenSet alone) missed the cache at each record: removing
// it made detect 5-11 % faster on a million records. But a log's record ids run on one after
// the other, so here each source keeps a run of slots indexed by record id that holds the
// record's time: the next record's slot is next to the last one's. A run stays at most about
// twice as long as the ids it holds (hostile ids cannot make it grow without bound); an id
// too far from its source's run, or seen again with another time, goes to a SeenSet.
#pragma once

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
  static constexpr std::int64_t kEmpty = INT64_MIN;  // a slot no record holds
  static constexpr std::size_t kSlack = 256;         // slots a run may have beyond 2 per id
  struct Run {
    std::int64_t base = 0;            // the record id of slot 0
    std::vector<std::int64_t> times;  // by record id - base: its time, or kEmpty
    std::size_t held = 0;             // slots not kEmpty
    // The ids that went to others_ for lying beyond the run: the run may grow over them
    // later, and an empty slot there is then asked of others_ before it counts as new.
    std::int64_t others_lo = INT64_MAX, others_hi = INT64_MIN;
  };
  // Where RECORD_ID's slot is in RUN, grown to hold it when that keeps the run dense;
  // null when it is too far.
  static std::int64_t* slot(Run& run, std::int64_t record_id);

  std::unordered_map<std::uint64_t, Run> runs_;  // by source
  std::uint64_t last_source_ = 0;
  Run* last_ = nullptr;  // the last record's run (a log's records come together)
  SeenSet others_;       // a hash of (source, record id, time) of the rest
  static std::uint64_t key(std::uint64_t source, std::int64_t record_id, std::int64_t time);
};

}  // namespace kk::detect
