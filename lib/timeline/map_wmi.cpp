// parse-wmi records → events. A permanent WMI event subscription (filter, consumer,
// binding) is persistence that survives reboots without a file in any autorun list: each
// object is one event at its own timestamp ("created"), tagged persistence and wmi. A
// consumer's command line (or script text) is the command_line field, so the suspect
// file is found in it like in a service's.
#include "timeline/mapper.hpp"

namespace kk::timeline {

void map_wmi(element rec, Event& ev, MapContext& ctx) {
  std::string_view a = ev.artifact();
  ev.set_data_type("windows:wmi:" + std::string(a.substr(4)));
  ev.tag(Tag::kPersistence);
  ev.tag(Tag::kWmi);
  std::string_view command = str(rec, "command_line");
  if (command.empty()) command = str(rec, "script_text");
  ev.set(Field::kCommandLine, command);
  std::string_view exe = str(rec, "executable_path");
  if (!exe.empty()) {
    ev.set(Field::kPath, exe);
    ev.set(Field::kFileName, base_name(exe));
  }
  if (auto off = integer(rec, "offset")) ev.set(Field::kOffset, *off);
  if (auto r = boolean(rec, "recovered")) ev.set_bool(Field::kRecovered, *r);
  for (auto [k, v] : simdjson::dom::object(rec))
    if (k != "artifact" && k != "source") append_detail(ev.details(), k, v);
  auto t = time_member(rec, "created");
  if (!t) return;
  ev.set_time(*t, "Creation Time");
  MessageArgs args = event_args(ev);
  std::string name(str(rec, "name")), query(str(rec, "query")), type(str(rec, "consumer_type"));
  std::string filter(str(rec, "filter_name")), consumer(str(rec, "consumer_name"));
  args.add("name", name).add("query", query).add("consumer_type", type);
  args.add("filter_name", filter).add("consumer_name", consumer);
  ctx.say(ev,
          a == "wmi_filter"    ? "wmi.filter"
          : a == "wmi_binding" ? "wmi.binding"
                               : "wmi.consumer",
          args);
  ctx.emit(ev);
}

}  // namespace kk::timeline
