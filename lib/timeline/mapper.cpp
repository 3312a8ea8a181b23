#include "timeline/mapper.hpp"

#include <charconv>

namespace kk::timeline {

namespace {
std::string_view resolve_field(const void* context, std::string_view name, std::string& scratch) {
  const Event& ev = *static_cast<const Event*>(context);
  const std::optional<Field> f = field_named(name);
  if (!f || !ev.has(*f)) return {};
  switch (field_info(*f).type) {
    case FieldType::kString:
      return ev.get_string(*f);
    case FieldType::kInteger:
      scratch = std::to_string(ev.get_int(*f));
      return scratch;
    default:
      return {};
  }
}
}  // namespace

MessageArgs event_args(const Event& ev) {
  return MessageArgs(&resolve_field, &ev);
}

bool MapContext::say(Event& ev, std::string_view id, MessageArgs args) {
  std::string& m = ev.message();
  m.clear();
  return MessageCatalog::instance().format(id, lang, args, m);
}

std::string_view MapContext::name(std::string_view id, std::string_view fallback) const {
  std::string_view t = MessageCatalog::instance().text(id, lang);
  return t.empty() ? fallback : t;
}

bool is_context_record(std::string_view artifact) {
  return artifact == "manifest" || artifact == "bundle_summary" || artifact == "finding";
}

namespace {
bool is_registry_plugin(std::string_view a) {
  static constexpr std::string_view kPlugins[] = {
      "system_info", "timezone",     "shimcache",       "bam",
      "service",     "autorun",      "scheduled_task",  "user_profile",
      "userassist",  "recent_docs",  "run_mru",         "shellbag",
      "usb_device",  "amcache_file", "amcache_program", "defender_exclusion",
      "registry_key"};
  for (auto p : kPlugins)
    if (a == p) return true;
  return false;
}
}  // namespace

void map_record(element rec, Event& ev, MapContext& ctx) {
  ev.reset();
  std::string_view artifact = str(rec, "artifact");
  ev.set_artifact(artifact);
  ev.set_source(str(rec, "source"));
  // A record names its machine as "computer" (EVTX) or "host" (manifest-derived).
  std::string_view host = str(rec, "computer");
  if (host.empty()) host = str(rec, "host");
  ev.set_host(host);
  ctx.events = 0;
  if (artifact == "evtx")
    map_evtx(rec, ev, ctx);
  else if (artifact == "prefetch")
    map_prefetch(rec, ev, ctx);
  else if (artifact == "mft")
    map_mft(rec, ev, ctx);
  else if (artifact == "usnjrnl")
    map_usnjrnl(rec, ev, ctx);
  else if (artifact.starts_with("browser_"))
    map_browser(rec, ev, ctx);
  else if (artifact.starts_with("wmi_"))
    map_wmi(rec, ev, ctx);
  else if (artifact == "netlog")
    map_netlog(rec, ev, ctx);
  else if (artifact == "netlog_beacon")
    map_netlog_beacon(rec, ev, ctx);
  else if (artifact == "netlog_volume")
    map_netlog_volume(rec, ev, ctx);
  else if (is_srum_artifact(artifact))
    map_srum(rec, ev, ctx);
  // Any parse-registry plugin, including ones added after this mapper was written:
  // they all carry hive and key_last_write.
  else if (is_registry_plugin(artifact) || (member(rec, "hive") && member(rec, "key_last_write")))
    map_registry(rec, ev, ctx);
  else
    map_generic(rec, ev, ctx);
  if (ctx.events == 0) ++ctx.untimed;
}

void map_generic(element rec, Event& ev, MapContext& ctx) {
  std::string data_type = "kakekomi:" + std::string(ev.artifact());
  ev.set_data_type(data_type);
  std::string& d = ev.details();
  for (auto [k, v] : simdjson::dom::object(rec)) {
    if (k == "artifact" || k == "source") continue;
    append_detail(d, k, v);
  }
  std::string path = text(rec, "path");
  if (!path.empty()) {
    ev.set(Field::kPath, path);
    ev.set(Field::kFileName, base_name(path));
  }
  // One event per top-level member holding a time.
  for (auto [k, v] : simdjson::dom::object(rec)) {
    std::string_view s;
    if (v.get(s) != simdjson::SUCCESS || s.size() < 20 || s.size() > 40) continue;
    auto t = parse_record_time(s);
    if (!t) continue;
    ev.set_time(*t, k);
    MessageArgs args = event_args(ev);
    args.add("artifact", ev.artifact()).add("time_field", k);
    ctx.say(ev, path.empty() ? "generic.time" : "generic.time_path", args);
    ctx.emit(ev);
  }
}

}  // namespace kk::timeline
