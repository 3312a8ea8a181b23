// A compact index of every MFT entry's name and parent, enough to rebuild full
// paths without keeping the records: 16 bytes per entry plus the UTF-8 name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ntfs/file_record.hpp"

namespace kk::ntfs {

inline constexpr std::uint64_t kRootEntry = 5;
inline constexpr std::string_view kOrphanPrefix = "\\$OrphanFiles";

class PathTable {
 public:
  struct Node {
    std::uint32_t parent = 0;
    std::uint32_t name_offset = 0;  // into the name pool
    std::uint16_t name_length = 0;  // UTF-8 bytes
    std::uint16_t sequence = 0;
    std::uint16_t parent_sequence = 0;
    std::uint8_t flags = 0;  // kHasName | kInUse | kDirectory
    std::uint8_t spare = 0;
  };
  static_assert(sizeof(Node) == 16);
  static constexpr std::uint8_t kHasName = 1, kInUse = 2, kDirectory = 4;

  // Entry E's own record said: sequence SEQ, in use, directory; NAME under PARENT
  // (the preferred $FILE_NAME: Win32 or POSIX over DOS). Entries may come in any order.
  void set(std::uint64_t entry, std::uint16_t seq, bool in_use, bool is_dir);
  void set_name(std::uint64_t entry, FileReference parent, std::string_view name);
  void reserve(std::size_t entries) { nodes_.reserve(entries); }

  std::size_t size() const { return nodes_.size(); }
  const Node* find(std::uint64_t entry) const {
    return entry < nodes_.size() ? &nodes_[entry] : nullptr;
  }
  std::string_view name(const Node& n) const {
    return {pool_.data() + n.name_offset, n.name_length};
  }
  std::size_t memory_bytes() const { return nodes_.capacity() * sizeof(Node) + pool_.capacity(); }

  // Does reference (entry, SEQ) still designate NODE? The sequence matches, or the
  // record was freed since (NTFS bumps the sequence number when it frees a record).
  static bool sequence_matches(const Node& n, std::uint16_t seq) {
    if (seq == 0 || n.sequence == seq) return true;
    return !(n.flags & kInUse) && n.sequence == static_cast<std::uint16_t>(seq + 1);
  }

  struct Resolved {
    std::string path;       // "\Folder\name", or "\$OrphanFiles\…\name" when the chain breaks
    bool complete = false;  // reached the root with matching sequence numbers
  };
  // Path of LEAF inside directory PARENT. Cycles and over-deep chains end as orphans.
  Resolved resolve(FileReference parent, std::string_view leaf) const;
  // Path of ENTRY itself from its preferred name ("\" for the root).
  Resolved entry_path(std::uint64_t entry) const;

 private:
  std::vector<Node> nodes_;
  std::string pool_;
};

}  // namespace kk::ntfs
