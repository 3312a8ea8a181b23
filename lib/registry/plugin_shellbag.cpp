// Shellbags: the folders a user opened in Explorer. BagMRU is a tree mirroring the shell
// namespace: each numbered value of a key is one shell item, and the subkey with the same
// number holds its children. Roots: UsrClass.dat (Vista+) "Local
// Settings\Software\Microsoft\Windows\Shell\BagMRU", NTUSER.DAT
// "Software\Microsoft\Windows\Shell\BagMRU" and "...\ShellNoRoam\BagMRU" (XP).
#include <unordered_set>

#include "registry/plugin.hpp"
#include "registry/shell_item.hpp"

namespace kk::registry {

namespace {

constexpr int kMaxDepth = 64;

struct Walk {
  PluginContext& ctx;
  std::unordered_set<std::uint32_t> seen;  // nk offsets: a damaged hive may loop
  std::vector<std::uint8_t> scratch;
};

std::string join(const std::string& parent, const std::string& name, const std::string& type) {
  if (parent.empty()) return name;
  if (type == "volume" || parent.ends_with('\\'))
    return parent + (parent.ends_with('\\') ? "" : "\\") + name;
  return parent + "\\" + name;
}

void walk(Walk& w, const KeyNode& key, const std::string& key_path, const std::string& shell_path,
          int depth) {
  const Hive& h = w.ctx.hive;
  if (depth > kMaxDepth || !w.seen.insert(key.offset).second) return;
  ++w.ctx.keys;
  // MRUListEx order of this level (position 0 = most recently used child).
  std::vector<std::uint32_t> order;
  if (auto b = h.binary_value(key, "MRUListEx"))
    for (std::size_t i = 0; i + 4 <= b->size(); i += 4) {
      std::uint32_t n = ByteReader::load<std::uint32_t>(b->data() + i);
      if (n == 0xFFFFFFFFu) break;
      order.push_back(n);
    }
  auto children = h.subkeys(key);
  for (auto& v : h.values(key)) {
    if (v.name.empty() || v.name.find_first_not_of("0123456789") != std::string::npos ||
        v.name.size() > 9)
      continue;
    Bytes d = h.value_data(v, w.scratch);
    auto item = decode_shell_item(d);
    if (!item) {
      h.warn(v.offset, "shellbag value " + key_path + "\\" + v.name + ": not a shell item");
      continue;
    }
    std::string path = join(shell_path, item->name, item->type);
    const KeyNode* child = nullptr;
    for (auto& c : children)
      if (c.name == v.name) child = &c;
    std::string child_path = key_path + "\\" + v.name;
    // The child key's last write is when this folder's view was last saved.
    Record r(w.ctx, "shellbag", child ? *child : key, child ? child_path : key_path);
    r.user(w.ctx.user);
    r.w().field("path", path).field("item_type", item->type);
    std::uint32_t n = static_cast<std::uint32_t>(std::stoul(v.name));
    std::optional<std::uint64_t> pos;
    for (std::size_t i = 0; i < order.size(); ++i)
      if (order[i] == n) pos = i;
    r.optional_integer("mru_position", pos);
    std::optional<std::uint64_t> slot;
    if (child) slot = h.integer_value(*child, "NodeSlot");
    r.optional_integer("node_slot", slot);
    r.time_field("modified", item->modified);
    r.time_field("created", item->created);
    r.time_field("accessed", item->accessed);
    r.optional_integer("mft_entry", item->mft_entry);
    r.optional_integer("mft_sequence", item->mft_sequence);
    r.finish();
    if (child) walk(w, *child, child_path, path, depth + 1);
  }
}

}  // namespace

void run_shellbag_plugin(PluginContext& ctx) {
  const char* roots[] = {"Local Settings\\Software\\Microsoft\\Windows\\Shell\\BagMRU",
                         "Software\\Microsoft\\Windows\\Shell\\BagMRU",
                         "Software\\Microsoft\\Windows\\ShellNoRoam\\BagMRU"};
  for (const char* p : roots) {
    auto k = ctx.hive.find(p);
    if (!k) continue;
    Walk w{ctx, {}, {}};
    walk(w, *k, p, "", 0);
  }
}

}  // namespace kk::registry
