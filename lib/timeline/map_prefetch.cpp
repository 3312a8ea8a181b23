// Prefetch records → one "Last Time Executed" event per recorded run time.
//
// last_run_times lists the most recent run first (up to 8 on Windows 8+), so the i-th
// time is run number run_count - i: "PowerShell.exe executed (run 12 of 12)".
#include <cctype>

#include "timeline/mapper.hpp"

namespace kk::timeline {

namespace {
bool iequals_prefix(std::string_view name, std::string_view exe) {
  // Prefetch keeps at most 29 characters of the executable name (DCODEDCODE… samples).
  if (exe.empty() || name.size() < exe.size()) return false;
  if (exe.size() < 29 && name.size() != exe.size()) return false;
  for (std::size_t i = 0; i < exe.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(name[i])) !=
        std::toupper(static_cast<unsigned char>(exe[i])))
      return false;
  return true;
}

// The full path of the executable among the files the program loaded, if listed.
std::string_view executable_path(element rec, std::string_view exe) {
  auto files = member(rec, "files");
  if (!files || !files->is_array()) return {};
  for (element f : simdjson::dom::array(*files)) {
    std::string_view p;
    if (f.get(p) == simdjson::SUCCESS && iequals_prefix(base_name(p), exe)) return p;
  }
  return {};
}
}  // namespace

void map_prefetch(element rec, Event& ev, MapContext& ctx) {
  ev.set_data_type("windows:prefetch:execution");
  std::string_view exe = str(rec, "executable");
  ev.set(Field::kExecutable, exe);
  ev.set(Field::kPrefetchHash, str(rec, "prefetch_hash"));
  std::string_view path = executable_path(rec, exe);
  ev.set(Field::kPath, path.empty() ? exe : path);
  ev.set(Field::kFileName, exe);
  auto run_count = integer(rec, "run_count");
  if (run_count) ev.set(Field::kRunCount, *run_count);
  ev.tag(Tag::kExecution);

  std::string base_details;
  for (std::string_view k : {"version", "directories", "volumes"})
    if (auto v = member(rec, k)) append_detail(base_details, k, *v);
  std::string with_files = base_details;
  if (auto files = member(rec, "files")) append_detail(with_files, "files", *files);

  auto times = member(rec, "last_run_times");
  if (!times || !times->is_array()) return;
  std::int64_t i = 0;
  for (element t : simdjson::dom::array(*times)) {
    std::string_view s;
    std::optional<UtcMicros> when;
    if (t.get(s) == simdjson::SUCCESS) when = parse_record_time(s);
    if (!when) {
      ++i;
      continue;
    }
    ev.set_time(*when, "Last Time Executed");
    // The loaded-file list rides on the most recent run only (it is one list per file).
    ev.details() = i == 0 ? with_files : base_details;
    MessageArgs args = event_args(ev);
    std::string run, of;
    if (run_count && *run_count - i > 0) {
      ev.set(Field::kRunIndex, *run_count - i);
      run = std::to_string(*run_count - i);
      of = std::to_string(*run_count);
    } else {
      ev.clear(Field::kRunIndex);
    }
    args.add("run", run).add("of", of);
    ctx.say(ev, "prefetch.run", args);
    ctx.emit(ev);
    ++i;
  }
}

}  // namespace kk::timeline
