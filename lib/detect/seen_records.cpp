#include "detect/seen_records.hpp"

#include <algorithm>

namespace kk::detect {

std::int64_t* SeenRecords::slot(Run& run, std::int64_t record_id) {
  const auto id = static_cast<std::uint64_t>(record_id);
  const auto base = static_cast<std::uint64_t>(run.base);
  const std::size_t size = run.times.size();
  const std::size_t limit = 2 * run.held + kSlack;  // the longest the run may become
  if (size == 0) {                                  // a new run starts at its first id
    run.base = record_id;
    run.times.assign(16, kEmpty);
    return &run.times[0];
  }
  if (record_id >= run.base) {
    const std::uint64_t i = id - base;
    if (i < size) return &run.times[i];
    if (i >= limit) return nullptr;
    run.times.resize(std::min<std::size_t>(std::max<std::uint64_t>(i + 1, 2 * size), limit),
                     kEmpty);
    return &run.times[i];
  }
  // Below the run (a log that wrapped around gives its older ids after the newer ones): it
  // starts lower, with as many free slots below the id again as it had, so that ids that
  // keep falling move it a few times only.
  const std::uint64_t below = base - id;
  if (below + size >= limit) return nullptr;
  const std::uint64_t room = std::min<std::uint64_t>(size, limit - size - below);
  const std::uint64_t room_below = std::min<std::uint64_t>(
      room, id - static_cast<std::uint64_t>(INT64_MIN));  // no id below INT64_MIN
  run.times.insert(run.times.begin(), below + room_below, kEmpty);
  run.base = static_cast<std::int64_t>(id - room_below);
  return &run.times[room_below];
}

std::uint64_t SeenRecords::key(std::uint64_t source, std::int64_t record_id, std::int64_t time) {
  // The source mixed first: (source, id) pairs whose XOR agree must not meet.
  std::uint64_t k = SeenSet::mix(SeenSet::mix(source) ^ static_cast<std::uint64_t>(record_id));
  return SeenSet::mix(k ^ static_cast<std::uint64_t>(time));
}

bool SeenRecords::insert(std::uint64_t source, std::int64_t record_id, std::int64_t time) {
  if (!last_ || source != last_source_) {
    last_ = &runs_[source];  // unordered_map nodes stay where they are
    last_source_ = source;
  }
  Run& run = *last_;
  std::int64_t* s = time == kEmpty ? nullptr : slot(run, record_id);
  if (s && *s == kEmpty) {
    if (record_id >= run.others_lo && record_id <= run.others_hi &&
        others_.contains(key(source, record_id, time)))
      return false;  // seen while it lay beyond the run
    *s = time;
    ++run.held;
    return true;
  }
  if (s && *s == time) return false;
  if (!s) {  // beyond the run (or the time that marks an empty slot)
    run.others_lo = std::min(run.others_lo, record_id);
    run.others_hi = std::max(run.others_hi, record_id);
  }
  // This id with another time than its slot's, or no slot: by a hash of all three.
  return others_.insert(key(source, record_id, time));
}

}  // namespace kk::detect
