#include "ntfs/path_table.hpp"

#include <algorithm>

namespace kk::ntfs {

namespace {
// Deeper chains than this are treated as loops (Windows paths stop far earlier).
constexpr int kMaxDepth = 512;
}  // namespace

void PathTable::set(std::uint64_t entry, std::uint16_t seq, bool in_use, bool is_dir) {
  if (entry > 0xFFFFFFFFu) return;
  if (entry >= nodes_.size()) nodes_.resize(entry + 1);
  Node& n = nodes_[entry];
  n.sequence = seq;
  n.flags = static_cast<std::uint8_t>((n.flags & kHasName) | (in_use ? kInUse : 0) |
                                      (is_dir ? kDirectory : 0));
}

void PathTable::set_name(std::uint64_t entry, FileReference parent, std::string_view name) {
  if (entry > 0xFFFFFFFFu) return;
  if (entry >= nodes_.size()) nodes_.resize(entry + 1);
  Node& n = nodes_[entry];
  n.parent = parent.entry > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<std::uint32_t>(parent.entry);
  n.parent_sequence = parent.sequence;
  name = name.substr(0, 0xFFFF);
  n.name_offset = static_cast<std::uint32_t>(pool_.size());
  n.name_length = static_cast<std::uint16_t>(name.size());
  pool_.append(name);
  n.flags |= kHasName;
}

PathTable::Resolved PathTable::resolve(FileReference parent, std::string_view leaf) const {
  // Collect components leaf-first, then join them in reverse.
  thread_local std::vector<std::string_view> parts;  // reused: one resolve per $FILE_NAME
  parts.clear();
  parts.push_back(leaf);
  bool complete = false;
  FileReference cur = parent;
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    if (cur.entry == kRootEntry) {
      complete = true;
      break;
    }
    const Node* n = find(cur.entry);
    if (!n || !(n->flags & kHasName) || !sequence_matches(*n, cur.sequence)) break;
    parts.push_back(name(*n));
    cur = {n->parent, n->parent_sequence};
  }
  Resolved r;
  r.complete = complete;
  std::size_t len = kOrphanPrefix.size();
  for (auto p : parts) len += p.size() + 1;
  r.path.reserve(len);
  if (!complete) r.path = kOrphanPrefix;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    r.path.push_back('\\');
    r.path.append(*it);
  }
  return r;
}

PathTable::Resolved PathTable::entry_path(std::uint64_t entry) const {
  if (entry == kRootEntry) return {"\\", true};
  const Node* n = find(entry);
  if (!n || !(n->flags & kHasName)) return {std::string(kOrphanPrefix) + "\\", false};
  return resolve({n->parent, n->parent_sequence}, name(*n));
}

}  // namespace kk::ntfs
