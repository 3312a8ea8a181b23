// ESE long values; see long_values.hpp.
#include "ese/long_values.hpp"

#include <algorithm>
#include <cstring>

#include "ese/compression.hpp"

namespace kk::ese {

namespace {
std::uint64_t big_endian(const std::string& key, std::size_t off, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<std::uint8_t>(key[off + i]);
  return v;
}
}  // namespace

LongValueStore::LongValueStore(Bytes file, const FileHeader& h, const Table& table,
                               const IssueSink& issue) {
  if (table.long_value_root == 0) return;
  struct Raw {
    std::string key;
    Bytes data;
    std::uint64_t offset;
  };
  std::vector<Raw> nodes;
  walk_tree(
      file, h, table.long_value_root, table.long_value_objid,
      [&](const Page& p, const Node& n) {
        nodes.push_back({node_key(p, n), n.data, n.offset});
        return true;
      },
      issue);
  // 8-byte LIDs (newer engines) give 8-byte header keys and 12-byte chunk keys.
  lid64_ = std::any_of(nodes.begin(), nodes.end(), [](const Raw& r) { return r.key.size() == 12; });
  const std::size_t lid_size = lid64_ ? 8 : 4;
  for (const auto& n : nodes) {
    if (n.key.size() == lid_size) {
      auto size = ByteReader(n.data).u32(4);  // reference count, then total size
      values_[big_endian(n.key, 0, lid_size)].size = size;
    } else if (n.key.size() == lid_size + 4) {
      values_[big_endian(n.key, 0, lid_size)].chunks.push_back(
          {static_cast<std::uint32_t>(big_endian(n.key, lid_size, 4)), n.data, n.offset});
    } else {
      issue(n.offset,
            "long-value node with a key of " + std::to_string(n.key.size()) + " bytes, skipped");
    }
  }
}

std::optional<std::vector<std::uint8_t>> LongValueStore::get(Bytes lid,
                                                             const IssueSink& issue) const {
  std::uint64_t id = 0;
  if (lid.size() == 8) {
    id = ByteReader(lid).u64(0).value();
  } else if (lid.size() == 4) {
    id = ByteReader(lid).u32(0).value();
  } else {
    return std::nullopt;
  }
  auto it = values_.find(id);
  if (it == values_.end()) return std::nullopt;
  Entry e = it->second;
  std::sort(e.chunks.begin(), e.chunks.end(),
            [](const Chunk& a, const Chunk& b) { return a.offset < b.offset; });
  std::size_t total = e.size.value_or(0);
  if (!e.size && !e.chunks.empty()) total = e.chunks.back().offset + e.chunks.back().data.size();
  if (total > kMaxLongValue) {
    issue(e.chunks.empty() ? 0 : e.chunks.front().file_offset,
          "long value claims " + std::to_string(total) + " bytes, cut to 64 MiB");
    total = kMaxLongValue;
  }
  std::vector<std::uint8_t> out(total, 0);
  for (std::size_t i = 0; i < e.chunks.size(); ++i) {
    const Chunk& c = e.chunks[i];
    if (c.offset >= total) continue;
    const std::size_t expected =
        (i + 1 < e.chunks.size() ? std::min<std::size_t>(e.chunks[i + 1].offset, total) : total) -
        c.offset;
    Bytes data = c.data;
    std::optional<std::vector<std::uint8_t>> unpacked;
    // A chunk shorter than the room it fills is compressed (Windows 7 and later).
    if (data.size() != expected && !data.empty()) {
      unpacked = decompress_value(data, expected);
      if (unpacked) data = *unpacked;
    }
    if (!data.empty())
      std::memcpy(out.data() + c.offset, data.data(), std::min(data.size(), expected));
  }
  return out;
}

}  // namespace kk::ese
