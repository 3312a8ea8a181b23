// parse-registry plugin records → events. Every record has hive, key and key_last_write;
// plugins add their own times (userassist last_run, shimcache modified, …). Each plugin
// row below says which times are events, what they mean and how they are tagged.
#include <array>

#include "timeline/mapper.hpp"

namespace kk::timeline {

namespace {
struct TimeField {
  std::string_view field;  // record member holding the time
  std::string_view desc;   // timestamp_desc
};

struct PluginSpec {
  std::string_view artifact;
  bool key_written_event;  // emit key_last_write as its own event
  std::array<TimeField, 4> times;
  std::array<Tag, 2> tags;
  int ntags;
};

constexpr std::string_view kWritten = "Content Modification Time";

// Plugins whose rows share one key (ShimCache: one value holds every entry; BAM and
// UserAssist: one key per user) get no key_last_write event of their own: it would
// repeat for every entry and say nothing about that entry.
constexpr PluginSpec kSpecs[] = {
    {"shimcache", false, {{{"modified", "File Modification Time"}}}, {Tag::kExecution}, 0},
    {"bam", false, {{{"last_run", "Last Time Executed"}}}, {Tag::kExecution}, 1},
    {"userassist", false, {{{"last_run", "Last Time Executed"}}}, {Tag::kExecution}, 1},
    {"amcache_file",
     true,
     {{{"link_date", "Link Time"}, {"first_seen", "First Seen Time"}}},
     {Tag::kExecution},
     1},
    {"amcache_program", true, {{{"install_date", "Installation Time"}}}, {}, 0},
    {"service", true, {}, {Tag::kPersistence}, 1},
    {"autorun", true, {}, {Tag::kPersistence}, 1},
    {"scheduled_task",
     true,
     {{{"created", "Creation Time"}, {"last_run", "Last Time Executed"}}},
     {Tag::kPersistence},
     1},
    {"user_profile",
     true,
     {{{"created", "Creation Time"}, {"last_logon", "Last Logon Time"}}},
     {},
     0},
    {"recent_docs", true, {}, {}, 0},
    {"run_mru", true, {}, {Tag::kExecution}, 1},
    {"shellbag",
     true,
     {{{"created", "Creation Time"},
       {"modified", "Content Modification Time"},
       {"accessed", "Last Access Time"}}},
     {},
     0},
    {"usb_device",
     true,
     {{{"first_install", "First Connection Time"},
       {"first_connected", "First Connection Time"},
       {"last_arrival", "Last Connection Time"},
       {"last_removal", "Last Removal Time"}}},
     {Tag::kUsbDevice},
     1},
    {"usb_volume", true, {}, {Tag::kUsbDevice}, 1},
    {"mounted_device", true, {}, {}, 0},
    {"sam_user",
     false,
     {{{"created", "Creation Time"},
       {"last_logon", "Last Logon Time"},
       {"password_last_set", "Password Set Time"},
       {"last_failed_logon", "Last Failed Logon Time"}}},
     {},
     0},
    {"network_interface",
     true,
     {{{"lease_obtained", "Lease Obtained Time"}, {"lease_terminates", "Lease Expiry Time"}}},
     {},
     0},
    {"network_profile",
     false,
     {{{"first_connected", "First Connection Time"}, {"last_connected", "Last Connection Time"}}},
     {},
     0},
    {"defender_exclusion", true, {}, {Tag::kAvTampering}, 1},
    {"system_info",
     true,
     {{{"install_date", "Installation Time"}, {"shutdown_time", "Last Shutdown Time"}}},
     {},
     0},
    {"timezone", true, {}, {}, 0},
    {"registry_key", true, {}, {}, 0},
};

const PluginSpec* find_spec(std::string_view artifact) {
  for (const auto& s : kSpecs)
    if (s.artifact == artifact) return &s;
  return nullptr;
}

// Vocabulary fields plugins commonly carry, under the names parse-registry uses.
void common_fields(element rec, Event& ev) {
  ev.set(Field::kHive, str(rec, "hive"));
  ev.set(Field::kKey, str(rec, "key"));
  std::string_view path = str(rec, "path");
  if (path.empty()) path = str(rec, "image_path");
  if (!path.empty()) {
    ev.set(Field::kPath, path);
    ev.set(Field::kFileName, base_name(path));
  }
  ev.set(Field::kUser, str(rec, "user"));
  ev.set(Field::kSid, str(rec, "sid"));
  ev.set(Field::kSha1, str(rec, "sha1"));
  ev.set(Field::kPublisher, str(rec, "publisher"));
  ev.set(Field::kProduct, str(rec, "product"));
  ev.set(Field::kVersion, text(rec, "version"));
  ev.set(Field::kValueName, str(rec, "value_name"));
  ev.set(Field::kSerial, str(rec, "serial"));
  ev.set(Field::kDevice, str(rec, "device"));
  std::string_view command = str(rec, "command");
  ev.set(Field::kCommandLine, command.empty() ? str(rec, "command_line") : command);
  if (auto v = integer(rec, "size")) ev.set(Field::kSize, *v);
  if (auto v = integer(rec, "run_count")) ev.set(Field::kRunCount, *v);
  if (auto v = integer(rec, "position")) ev.set(Field::kPosition, *v);
  if (auto v = boolean(rec, "executed")) ev.set_bool(Field::kExecuted, *v);
  std::string_view artifact = ev.artifact();
  std::string_view name = str(rec, "name");
  if (artifact == "service") {
    ev.set(Field::kService, name);
    ev.set(Field::kStartType, text(rec, "start"));
    ev.set(Field::kServiceType, text(rec, "type"));
  } else if (artifact == "scheduled_task") {
    ev.set(Field::kTask, name.empty() ? str(rec, "task") : name);
  } else if (artifact == "autorun") {
    std::string_view location = str(rec, "location");
    ev.set(Field::kAutorunLocation, location.empty() ? str(rec, "key") : location);
    ev.set(Field::kValueName, name);
    ev.set(Field::kValueData, command);
  } else if (artifact == "recent_docs" && !name.empty() && !ev.has(Field::kPath)) {
    ev.set(Field::kPath, name);
    ev.set(Field::kFileName, base_name(name));
  } else if (artifact == "amcache_program") {
    ev.set(Field::kProduct, name);
    ev.set(Field::kPath, str(rec, "install_path"));
  } else if (artifact == "run_mru") {
    ev.set(Field::kValueName, name);
  }
}

std::string humanize(std::string_view field) {
  std::string s(field);
  bool up = true;
  for (auto& c : s) {
    if (c == '_') {
      c = ' ';
      up = true;
    } else if (up) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      up = false;
    }
  }
  return s + " Time";
}
}  // namespace

void map_registry(element rec, Event& ev, MapContext& ctx) {
  std::string data_type = "windows:registry:" + ev.artifact();
  ev.set_data_type(data_type);
  common_fields(rec, ev);
  const PluginSpec* spec = find_spec(ev.artifact());
  if (spec)
    for (int i = 0; i < spec->ntags; ++i) ev.tag(spec->tags[i]);
  if (ev.artifact() == "shimcache" && boolean(rec, "executed").value_or(false))
    ev.tag(Tag::kExecution);
  for (auto [k, v] : simdjson::dom::object(rec))
    if (k != "artifact" && k != "source") append_detail(ev.details(), k, v);

  std::string msg_id = "registry." + ev.artifact();
  if (!MessageCatalog::instance().has(msg_id)) msg_id = "registry.generic";
  auto emit_at = [&](UtcMicros t, std::string_view desc, std::string_view which) {
    ev.set_time(t, desc);
    MessageArgs args = event_args(ev);
    std::string what(ctx.name("time." + std::string(which), which));
    args.add("artifact", ev.artifact()).add("when", what);
    ctx.say(ev, msg_id, args);
    ctx.emit(ev);
  };
  // Plugin times: the spec's, then any other member holding a time. The key's own
  // last-write time is an event too, unless a plugin time says the same (Amcache
  // first_seen is the key's last write).
  auto key_written = time_member(rec, "key_last_write");
  bool key_event = key_written && (!spec || spec->key_written_event);
  for (auto [k, v] : simdjson::dom::object(rec)) {
    std::string_view s;
    if (k != "key_last_write" && v.get(s) == simdjson::SUCCESS && key_written &&
        parse_record_time(s) == key_written)
      key_event = false;
  }
  if (key_event) emit_at(*key_written, kWritten, "key_last_write");
  for (auto [k, v] : simdjson::dom::object(rec)) {
    if (k == "key_last_write") continue;
    std::string_view s;
    if (v.get(s) != simdjson::SUCCESS || s.size() < 20 || s.size() > 40) continue;
    auto t = parse_record_time(s);
    if (!t) continue;
    std::string desc;
    if (spec)
      for (const auto& tf : spec->times)
        if (tf.field == k) desc = tf.desc;
    if (desc.empty()) desc = humanize(k);
    emit_at(*t, desc, k);
  }
}

}  // namespace kk::timeline
