// Amcache.hve, both layouts:
//  - Windows 10 1709+: Root\InventoryApplicationFile\<id> (named values) and
//    Root\InventoryApplication\<ProgramId>;
//  - Windows 8 / early 10: Root\File\{volume}\<file reference> and Root\Programs\<id>, whose
//    values are named by hexadecimal numbers (15 path, 101 SHA-1, 6 size, f link time …).
// The key's last-write time is the first time Windows recorded the file ("first_seen").
#include <cstdlib>

#include "registry/plugin.hpp"

namespace kk::registry {

namespace {

// FileId / 101 hold "0000" followed by the SHA-1 in hex.
std::optional<std::string> sha1_of(std::optional<std::string> id) {
  if (!id) return std::nullopt;
  if (id->size() == 44 && id->starts_with("0000")) return id->substr(4);
  if (id->size() == 40) return id;
  return std::nullopt;
}

// Size is a QWORD in some versions and a "0x…" string in others.
std::optional<std::uint64_t> size_of(const Hive& h, const KeyNode& k, std::string_view name) {
  if (auto n = h.integer_value(k, name)) return n;
  if (auto s = h.string_value(k, name); s && !s->empty()) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(s->c_str(), &end, 0);
    if (end && *end == 0) return v;
  }
  return std::nullopt;
}

// LinkDate "MM/DD/YYYY HH:MM:SS" (UTC, the PE header's link time).
std::optional<UtcMicros> link_date(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  int mo, d, y, hh, mm, ss;
  if (std::sscanf(s->c_str(), "%d/%d/%d %d:%d:%d", &mo, &d, &y, &hh, &mm, &ss) != 6)
    return std::nullopt;
  return from_systemtime(y, mo, d, hh, mm, ss, 0);
}

void file_record(PluginContext& ctx, const KeyNode& k, const std::string& path,
                 const std::optional<std::string>& file_path,
                 const std::optional<std::string>& sha1, std::optional<std::uint64_t> size,
                 std::optional<UtcMicros> linked, const std::optional<std::string>& publisher,
                 const std::optional<std::string>& product,
                 const std::optional<std::string>& version, std::string_view layout,
                 const std::optional<std::string>& program_id) {
  Record r(ctx, "amcache_file", k, path);
  r.optional_string("path", file_path);
  r.optional_string("sha1", sha1);
  r.optional_integer("size", size);
  r.time_field("link_date", linked);
  r.optional_string("publisher", publisher);
  r.optional_string("product", product);
  r.optional_string("version", version);
  r.time_field("first_seen", k.last_write());
  r.optional_string("program_id", program_id);
  r.w().field("layout", layout);
  r.finish();
}

void inventory_files(PluginContext& ctx, const KeyNode& root) {
  const Hive& h = ctx.hive;
  auto files = h.find(root, "InventoryApplicationFile");
  if (!files) return;
  for (auto& k : h.subkeys(*files)) {
    ++ctx.keys;
    auto version = h.string_value(k, "Version");
    if (!version || version->empty()) version = h.string_value(k, "ProductVersion");
    file_record(ctx, k, "Root\\InventoryApplicationFile\\" + k.name,
                h.string_value(k, "LowerCaseLongPath"), sha1_of(h.string_value(k, "FileId")),
                size_of(h, k, "Size"), link_date(h.string_value(k, "LinkDate")),
                h.string_value(k, "Publisher"), h.string_value(k, "ProductName"), version,
                "inventory", h.string_value(k, "ProgramId"));
  }
}

void legacy_files(PluginContext& ctx, const KeyNode& root) {
  const Hive& h = ctx.hive;
  auto files = h.find(root, "File");
  if (!files) return;
  for (auto& volume : h.subkeys(*files)) {
    for (auto& k : h.subkeys(volume)) {
      ++ctx.keys;
      std::optional<UtcMicros> linked;
      if (auto t = h.integer_value(k, "f"); t && *t)
        linked = from_unix_seconds(static_cast<std::int64_t>(*t));
      file_record(ctx, k, "Root\\File\\" + volume.name + "\\" + k.name, h.string_value(k, "15"),
                  sha1_of(h.string_value(k, "101")), h.integer_value(k, "6"), linked,
                  h.string_value(k, "1"), h.string_value(k, "0"), h.string_value(k, "5"), "file",
                  h.string_value(k, "100"));
    }
  }
}

void programs(PluginContext& ctx, const KeyNode& root) {
  const Hive& h = ctx.hive;
  if (auto inv = h.find(root, "InventoryApplication")) {
    for (auto& k : h.subkeys(*inv)) {
      ++ctx.keys;
      Record r(ctx, "amcache_program", k, "Root\\InventoryApplication\\" + k.name);
      r.w().field("program_id", k.name);
      r.optional_string("name", h.string_value(k, "Name"));
      r.optional_string("version", h.string_value(k, "Version"));
      r.optional_string("publisher", h.string_value(k, "Publisher"));
      // InstallDate "MM/DD/YYYY HH:MM:SS" like LinkDate.
      r.time_field("install_date", link_date(h.string_value(k, "InstallDate")));
      r.optional_string("install_path", h.string_value(k, "RootDirPath"));
      r.optional_string("uninstall_string", h.string_value(k, "UninstallString"));
      r.optional_string("install_source", h.string_value(k, "Source"));
      r.w().field("layout", "inventory");
      r.finish();
    }
  }
  if (auto progs = h.find(root, "Programs")) {
    for (auto& k : h.subkeys(*progs)) {
      ++ctx.keys;
      Record r(ctx, "amcache_program", k, "Root\\Programs\\" + k.name);
      r.w().field("program_id", k.name);
      r.optional_string("name", h.string_value(k, "0"));
      r.optional_string("version", h.string_value(k, "1"));
      r.optional_string("publisher", h.string_value(k, "2"));
      std::optional<UtcMicros> installed;  // "a": seconds since 1970
      if (auto t = h.integer_value(k, "a"); t && *t)
        installed = from_unix_seconds(static_cast<std::int64_t>(*t));
      r.time_field("install_date", installed);
      r.w().key("install_path").null();
      r.w().key("uninstall_string").null();
      r.optional_string("install_source", h.string_value(k, "6"));
      r.w().field("layout", "programs");
      r.finish();
    }
  }
}

}  // namespace

void run_amcache_plugins(PluginContext& ctx) {
  auto root = ctx.hive.find("Root");
  if (!root) return;
  inventory_files(ctx, *root);
  legacy_files(ctx, *root);
  programs(ctx, *root);
}

}  // namespace kk::registry
