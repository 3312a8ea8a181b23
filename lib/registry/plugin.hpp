// What every plugin gets: the hive, where records go, and the common record fields
// ("artifact", "source", "hive", "key", "key_last_write") written the same way for all.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_writer.hpp"
#include "core/time.hpp"
#include "registry/hive.hpp"
#include "registry/registry.hpp"

namespace kk::registry {

struct PluginContext {
  const Hive& hive;
  std::string_view source;
  HiveType type;
  std::string user;  // owner of a user hive, when it can be told (file or profile path)
  std::string& out;
  std::string path;  // the hive file on disk ("" for a hive in memory)
  std::uint64_t records = 0;
  std::uint64_t keys = 0;
};

// One JSONL record. Construct, add fields through w(), and finish().
class Record {
 public:
  Record(PluginContext& ctx, std::string_view artifact, const KeyNode& key, std::string_view path)
      : ctx_(ctx), w_(ctx.out) {
    w_.begin_object();
    w_.field("artifact", artifact);
    w_.field("source", ctx.source);
    w_.field("hive", hive_type_name(ctx.type));
    w_.field("key", path);
    w_.key("key_last_write");
    w_.time_or_null(key.last_write());
  }
  JsonWriter& w() { return w_; }
  void time_field(std::string_view k, std::optional<UtcMicros> t) {
    w_.key(k);
    w_.time_or_null(t);
  }
  void optional_string(std::string_view k, const std::optional<std::string>& s) {
    w_.key(k);
    if (s)
      w_.string(*s);
    else
      w_.null();
  }
  // The owner of a user hive, or null when it cannot be told.
  void user(const std::string& u) {
    w_.key("user");
    if (u.empty())
      w_.null();
    else
      w_.string(u);
  }
  void optional_integer(std::string_view k, std::optional<std::uint64_t> v) {
    w_.key(k);
    if (v)
      w_.unsigned_integer(*v);
    else
      w_.null();
  }
  void finish() {
    w_.end_object();
    w_.end_line();
    ++ctx_.records;
  }

 private:
  PluginContext& ctx_;
  JsonWriter w_;
};

// FILETIME stored in 8 bytes at OFF of B (nullopt when short or zero).
std::optional<UtcMicros> filetime_at(Bytes b, std::size_t off);

// Plugins, one per concern (each file says which keys it reads).
void run_system_plugins(
    PluginContext& ctx);  // system_info, timezone, service, usb_device, bam, shimcache
void run_software_plugins(
    PluginContext& ctx);  // system_info, autorun, scheduled_task, user_profile, defender_exclusion
void run_user_plugins(
    PluginContext& ctx);  // autorun, userassist, recent_docs, run_mru, typed_paths
void run_shellbag_plugin(PluginContext& ctx);  // shellbag (NTUSER and UsrClass)
void run_amcache_plugins(PluginContext& ctx);  // amcache_file, amcache_program
void run_sam_plugins(PluginContext& ctx);      // sam_user
// network_interface (SYSTEM), network_profile (SOFTWARE)
void run_network_interfaces(PluginContext& ctx, const std::string& control_set);
void run_network_profiles(PluginContext& ctx);
// mounted_device (SYSTEM MountedDevices), usb_volume (SOFTWARE EMDMgmt)
void run_mounted_devices(PluginContext& ctx);
void run_emdmgmt(PluginContext& ctx);
// registry_key records: with LIVE for every key of the tree, with DELETED for keys and values
// recovered from free cells; KEY_REGEX (if not empty) filters by key path.
void run_raw_dump(PluginContext& ctx, const std::string& key_regex, bool live, bool deleted);

}  // namespace kk::registry
