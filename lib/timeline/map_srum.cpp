// SRUM records (parse-srum) → one event per usage row at its TimeStamp.
//
// A row sums up an interval (about an hour) before TimeStamp: the message says what
// the application did in it ("evil.exe sent 300 MB, received 2 MB"). Connectivity
// rows also give the connection's start as an event of its own.
#include "timeline/mapper.hpp"

namespace kk::timeline {

namespace {

struct SrumKind {
  std::string_view artifact, data_type, desc, message;
};
constexpr SrumKind kKinds[] = {
    {"srum_network_usage", "windows:srum:network_usage", "SRUM Network Usage Recorded",
     "srum.network_usage"},
    {"srum_app_usage", "windows:srum:app_usage", "SRUM App Resource Usage Recorded",
     "srum.app_usage"},
    {"srum_connectivity", "windows:srum:connectivity", "SRUM Network Connectivity Recorded",
     "srum.connectivity"},
    {"srum_push_notification", "windows:srum:push_notification", "SRUM Push Notification Recorded",
     "srum.other"},
    {"srum_energy", "windows:srum:energy", "SRUM Energy Usage Recorded", "srum.other"},
    {"srum_app_timeline", "windows:srum:app_timeline", "SRUM App Timeline Recorded", "srum.other"},
};
const SrumKind kOther{"", "windows:srum:other", "SRUM Usage Recorded", "srum.other"};

const SrumKind& kind_of(std::string_view artifact) {
  for (const auto& k : kKinds)
    if (k.artifact == artifact) return k;
  return kOther;
}

// The program's file name: the last component of a device path, or the name the app
// timeline wraps as "!!spoolsv.exe!2015/05/01:18:16:33!d7253!"; empty for service and
// package names.
std::string_view program_name(std::string_view app) {
  if (app.starts_with("!!")) {
    app.remove_prefix(2);
    return app.substr(0, app.find('!'));
  }
  if (app.find('\\') == std::string_view::npos) return {};
  return base_name(app);
}

}  // namespace

bool is_srum_artifact(std::string_view artifact) { return artifact.starts_with("srum_"); }

void map_srum(element rec, Event& ev, MapContext& ctx) {
  const SrumKind& k = kind_of(ev.artifact());
  ev.set_data_type(k.data_type);
  std::string_view app = str(rec, "app");
  // Applications are NT device paths (\device\harddiskvolume3\…\x.exe) or service and
  // package names: the process field holds it as SRUM wrote it.
  if (!app.empty()) {
    ev.set(Field::kProcess, app);
    ev.set(Field::kFileName, program_name(app));
  }
  ev.set(Field::kSid, str(rec, "user_sid"));
  ev.set(Field::kProvider, str(rec, "provider"));
  if (auto off = integer(rec, "offset")) ev.set(Field::kOffset, *off);
  if (k.artifact == "srum_network_usage") ev.tag(Tag::kNetworkConnection);
  std::string& d = ev.details();
  for (auto [key, v] : simdjson::dom::object(rec)) {
    if (key == "artifact" || key == "source" || key == "time" || key == "app" ||
        key == "user_sid" || key == "provider" || key == "offset")
      continue;
    append_detail(d, key, v);
  }
  MessageArgs args = event_args(ev);
  const std::string app_name = app.empty() ? "app " + text(rec, "app_id") : std::string(app);
  const std::string sent = text(rec, "bytes_sent"), received = text(rec, "bytes_received");
  const std::string connected = text(rec, "connected_time");
  const std::string cycles = text(rec, "foreground_cycle_time");
  args.add("app", app_name).add("sent", sent).add("received", received);
  args.add("connected", connected).add("table", str(rec, "table")).add("artifact", ev.artifact());
  args.add("cycles", cycles);
  if (auto t = time_member(rec, "time")) {
    ev.set_time(*t, k.desc);
    ctx.say(ev, k.message, args);
    ctx.emit(ev);
  }
  if (auto t = time_member(rec, "connect_start_time")) {
    ev.set_time(*t, "SRUM Network Connection Started");
    ctx.say(ev, "srum.connect_start", args);
    ctx.emit(ev);
  }
}

}  // namespace kk::timeline
