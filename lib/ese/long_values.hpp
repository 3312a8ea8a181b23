// A table's long values: values too big for a record, kept in the table's own
// long-value tree keyed by the big-endian long-value id (LID): one header node
// (LID alone: reference count, total size) and one node per chunk (LID + chunk
// offset). Loaded once per table, then looked up by the LID a record holds.
// Private to lib/ese.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "ese/btree.hpp"
#include "ese/ese.hpp"

namespace kk::ese {

// Long values are capped: a claimed size beyond this is damage, not data.
inline constexpr std::size_t kMaxLongValue = 64u << 20;

class LongValueStore {
 public:
  // Reads TABLE's long-value tree (nothing when it has none).
  LongValueStore(Bytes file, const FileHeader& h, const Table& table, const IssueSink& issue);
  // The long value whose id is stored (little-endian, 4 or 8 bytes) in LID;
  // nullopt (with an issue) when it is missing or damaged.
  std::optional<std::vector<std::uint8_t>> get(Bytes lid, const IssueSink& issue) const;

 private:
  struct Chunk {
    std::uint32_t offset;
    Bytes data;
    std::uint64_t file_offset;
  };
  struct Entry {
    std::optional<std::uint32_t> size;  // from the header node
    std::vector<Chunk> chunks;
  };
  std::map<std::uint64_t, Entry> values_;
  bool lid64_ = false;
};

}  // namespace kk::ese
