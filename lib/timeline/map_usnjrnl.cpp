// $UsnJrnl:$J records → one event per change-journal record ("Entry Modification Time",
// as plaso labels a USN record's time), tagged by what the reasons say happened.
#include "timeline/mapper.hpp"

namespace kk::timeline {

void map_usnjrnl(element rec, Event& ev, MapContext& ctx) {
  auto t = time_member(rec, "time");
  if (!t) return;
  ev.set_data_type("fs:ntfs:usn_change");
  ev.set_time(*t, "Entry Modification Time");
  if (auto v = integer(rec, "offset")) ev.set(Field::kOffset, *v);
  if (auto v = integer(rec, "usn")) ev.set(Field::kUsn, *v);
  if (auto v = integer(rec, "entry")) ev.set(Field::kEntry, *v);
  if (auto v = integer(rec, "sequence")) ev.set(Field::kSequence, *v);
  std::string_view name = str(rec, "name"), path = str(rec, "path");
  ev.set(Field::kPath, path.empty() ? name : path);
  ev.set(Field::kFileName, name);
  std::string reasons;
  if (auto rs = member(rec, "reasons"); rs && rs->is_array()) {
    for (element r : simdjson::dom::array(*rs)) {
      std::string_view s;
      if (r.get(s) != simdjson::SUCCESS) continue;
      ev.append(Field::kUsnReasons, s);
      if (!reasons.empty()) reasons += ' ';
      reasons += s;
      if (s == "FILE_CREATE")
        ev.tag(Tag::kFileCreated);
      else if (s == "FILE_DELETE")
        ev.tag(Tag::kFileDeleted);
      else if (s == "RENAME_NEW_NAME")
        ev.tag(Tag::kFileRenamed);
      else if (s == "DATA_OVERWRITE" || s == "DATA_EXTEND" || s == "DATA_TRUNCATION")
        ev.tag(Tag::kFileModified);
    }
  }
  if (auto as = member(rec, "attributes"); as && as->is_array())
    for (element a : simdjson::dom::array(*as)) {
      std::string_view s;
      if (a.get(s) == simdjson::SUCCESS) ev.append(Field::kFileAttributes, s);
    }
  for (std::string_view k : {"parent_entry", "parent_sequence", "version"})
    if (auto v = member(rec, k)) append_detail(ev.details(), k, *v);
  MessageArgs args = event_args(ev);
  args.add("reasons", reasons);
  ctx.say(ev, "usnjrnl.change", args);
  ctx.emit(ev);
}

}  // namespace kk::timeline
