// --raw: one registry_key record per key with all its values, for ad-hoc lookups; optionally
// filtered by a path regex. With --recover-deleted, keys and values found in free cells
// (deleted, not yet overwritten) follow with "deleted": true.
#include <regex>
#include <unordered_set>

#include "registry/plugin.hpp"
#include "registry/value_data.hpp"

namespace kk::registry {

namespace {

constexpr int kMaxDepth = 512;

void write_values(PluginContext& ctx, JsonWriter& w, const std::vector<ValueCell>& values) {
  std::vector<std::uint8_t> scratch;
  w.key("values").begin_array();
  for (auto& v : values) {
    Bytes d = ctx.hive.value_data(v, scratch);
    w.begin_object();
    w.field("name", v.name).field("type", value_type_name(v.type));
    w.field("size", static_cast<std::uint64_t>(v.data_size));
    w.key("data");
    write_value_json(w, d, v.type);
    w.end_object();
  }
  w.end_array();
}

void key_record(PluginContext& ctx, const KeyNode& k, const std::string& path, bool deleted) {
  Record r(ctx, "registry_key", k, path);
  r.w().field("name", k.name);
  r.w().field("subkey_count", static_cast<std::uint64_t>(k.subkey_count));
  r.w().field("value_count", static_cast<std::uint64_t>(k.value_count));
  write_values(ctx, r.w(), ctx.hive.values(k));
  r.w().field("deleted", deleted);
  r.w().field("cell_offset", static_cast<std::uint64_t>(k.offset) + kHiveBinsStart);
  r.finish();
}

struct Dump {
  PluginContext& ctx;
  std::optional<std::regex> re;
  std::unordered_set<std::uint32_t> seen;
};

void walk(Dump& d, const KeyNode& k, const std::string& path, int depth) {
  if (depth > kMaxDepth || !d.seen.insert(k.offset).second) {
    if (depth <= kMaxDepth)
      d.ctx.hive.warn(k.offset, "key reached twice (subkey list loop); skipped");
    return;
  }
  ++d.ctx.keys;
  if (!d.re || std::regex_search(path, *d.re)) key_record(d.ctx, k, path, false);
  for (auto& c : d.ctx.hive.subkeys(k))
    walk(d, c, path.empty() ? c.name : path + "\\" + c.name, depth + 1);
}

// Free cells that still hold a key node or a value: walks every bin's cell chain.
void recover_deleted(Dump& d) {
  const Hive& h = d.ctx.hive;
  ByteReader r = h.bytes();
  std::unordered_set<std::uint32_t> values_in_keys;
  std::vector<std::uint32_t> orphan_values;
  for (const HiveBin& bin : h.bins()) {
    h.set_reading_free_cells(false);  // the cell chain itself is live structure
    std::uint32_t pos = bin.start + 32;
    while (pos + 8 <= bin.end) {
      std::int32_t raw = *r.i32(kHiveBinsStart + pos);
      std::uint32_t size = raw < 0 ? static_cast<std::uint32_t>(-static_cast<std::int64_t>(raw))
                                   : static_cast<std::uint32_t>(raw);
      if (size < 8 || size % 8 != 0 || size > bin.end - pos) {
        h.warn(pos, "cell size " + std::to_string(raw) + " invalid; rest of the hive bin skipped");
        break;
      }
      if (raw > 0) {
        h.set_reading_free_cells(true);
        if (r.starts_with(kHiveBinsStart + pos + 4, "nk")) {
          if (auto k = h.key(pos)) {
            std::string path = h.path_of(*k);
            if (!d.re || std::regex_search(path, *d.re)) key_record(d.ctx, *k, path, true);
            if (k->value_list != kNoCell)
              if (auto list = h.cell(k->value_list))
                for (std::size_t i = 0; i + 4 <= list->size() && i / 4 < k->value_count; i += 4)
                  values_in_keys.insert(ByteReader::load<std::uint32_t>(list->data() + i));
          }
        } else if (r.starts_with(kHiveBinsStart + pos + 4, "vk")) {
          orphan_values.push_back(pos);
        }
      }
      h.set_reading_free_cells(false);
      pos += size;
    }
  }
  h.set_reading_free_cells(true);
  // Deleted values whose key is gone (or live elsewhere) are reported on their own.
  for (std::uint32_t off : orphan_values) {
    if (values_in_keys.count(off)) continue;
    auto v = h.value_cell(off);
    if (!v) continue;
    KeyNode none;
    Record rec(d.ctx, "registry_key", none, "");
    rec.w().key("name").null();
    rec.w().key("subkey_count").null();
    rec.w().key("value_count").null();
    write_values(d.ctx, rec.w(), {*v});
    rec.w().field("deleted", true);
    rec.w().field("cell_offset", static_cast<std::uint64_t>(off) + kHiveBinsStart);
    rec.finish();
  }
  h.set_reading_free_cells(false);
}

}  // namespace

void run_raw_dump(PluginContext& ctx, const std::string& key_regex, bool live, bool deleted) {
  Dump d{ctx, std::nullopt, {}};
  if (!key_regex.empty())
    d.re.emplace(key_regex, std::regex::ECMAScript | std::regex::icase | std::regex::optimize);
  if (!live) {
    if (deleted) recover_deleted(d);
    return;
  }
  if (auto root = ctx.hive.root()) {
    d.seen.insert(root->offset);
    ++ctx.keys;
    if (!d.re || std::regex_search(std::string(), *d.re)) key_record(ctx, *root, "", false);
    for (auto& c : ctx.hive.subkeys(*root)) walk(d, c, c.name, 1);
  }
  if (deleted) recover_deleted(d);
}

}  // namespace kk::registry
