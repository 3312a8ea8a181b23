// Rendering of one MFT entry as the contract's parse-mft JSONL record or a CSV row.
#include <algorithm>

#include "core/json_writer.hpp"
#include "core/time.hpp"
#include "ntfs/csv_field.hpp"
#include "ntfs/file_attributes.hpp"
#include "ntfs/mft_entry.hpp"

namespace kk::ntfs {

namespace {

constexpr std::uint64_t kTicksPerSecond = 10000000;

void time_or_null(JsonWriter& w, std::string_view key, std::uint64_t ft) {
  w.key(key);
  if (auto t = from_filetime(ft))
    w.time(*t);
  else
    w.null();
}

void times(JsonWriter& w, const NtfsTimes& t) {
  time_or_null(w, "created", t.created);
  time_or_null(w, "modified", t.modified);
  time_or_null(w, "mft_modified", t.mft_modified);
  time_or_null(w, "accessed", t.accessed);
}

bool any_time_since(const MftEntry& e, UtcMicros since) {
  auto check = [&](const NtfsTimes& t) {
    for (std::uint64_t ft : {t.created, t.modified, t.mft_modified, t.accessed})
      if (auto u = from_filetime(ft); u && *u >= since) return true;
    return false;
  };
  if (e.si && check(e.si->times)) return true;
  return std::any_of(e.names.begin(), e.names.end(),
                     [&](const FileName& f) { return check(f.times); });
}

void csv_time(std::string& out, std::uint64_t ft) {
  if (auto t = from_filetime(ft)) append_iso(out, *t);
}

}  // namespace

bool timestomp_suspect(const MftEntry& e) {
  const int i = preferred_name(e.names);
  if (!e.si || i < 0) return false;
  const std::uint64_t si_created = e.si->times.created;
  const std::uint64_t fn_created = e.names[static_cast<std::size_t>(i)].times.created;
  if (si_created == 0 || fn_created == 0) return false;
  // Tools that set $STANDARD_INFORMATION through SetFileTime cannot reach
  // $FILE_NAME, which keeps the real creation time; most also write whole seconds.
  if (si_created < fn_created) return true;
  return si_created % kTicksPerSecond == 0 && fn_created % kTicksPerSecond != 0;
}

bool render_mft_entry(const MftEntry& e, const PathTable& paths, const MftOptions& opts,
                      std::string& out) {
  if (opts.since && !any_time_since(e, *opts.since)) return false;
  const int pref = preferred_name(e.names);
  // Entry path from the preferred name; every $FILE_NAME (hard links) gets its own.
  std::vector<std::string> fn_paths;
  fn_paths.reserve(e.names.size());
  for (const auto& f : e.names) fn_paths.push_back(paths.resolve(f.parent, f.name).path);
  const std::string* path = pref >= 0 ? &fn_paths[static_cast<std::size_t>(pref)] : nullptr;
  std::string root;
  if (e.entry == kRootEntry) path = &(root = "\\");
  if (opts.path_filter) {
    bool keep = path && opts.path_filter(*path);
    for (const auto& p : fn_paths) keep = keep || opts.path_filter(p);
    if (!keep) return false;
  }
  const DataStream* unnamed = nullptr;
  const DataStream* zone = nullptr;
  for (const auto& s : e.streams) {
    if (s.name.empty() && !unnamed) unnamed = &s;
    if (s.name == "Zone.Identifier" && s.resident && !zone) zone = &s;
  }
  const bool suspect = timestomp_suspect(e);

  if (opts.format == OutputFormat::kCsv) {
    auto sep = [&] { out.push_back(','); };
    out += std::to_string(e.entry);
    sep();
    out += std::to_string(e.sequence);
    sep();
    out += e.in_use ? "true" : "false";
    sep();
    out += e.is_dir ? "true" : "false";
    sep();
    if (path) append_csv_field(out, *path);
    sep();
    out += std::to_string(unnamed ? unnamed->size : 0);
    for (std::uint64_t ft :
         {e.si ? e.si->times.created : 0, e.si ? e.si->times.modified : 0,
          e.si ? e.si->times.mft_modified : 0, e.si ? e.si->times.accessed : 0}) {
      sep();
      csv_time(out, ft);
    }
    const FileName* fn = pref >= 0 ? &e.names[static_cast<std::size_t>(pref)] : nullptr;
    sep();
    if (fn) append_csv_field(out, fn->name);
    for (std::uint64_t ft : {fn ? fn->times.created : 0, fn ? fn->times.modified : 0,
                             fn ? fn->times.mft_modified : 0, fn ? fn->times.accessed : 0}) {
      sep();
      csv_time(out, ft);
    }
    sep();
    std::string streams;
    for (const auto& s : e.streams) {
      if (s.name.empty()) continue;
      if (!streams.empty()) streams += ';';
      streams += s.name + ':' + std::to_string(s.size);
    }
    append_csv_field(out, streams);
    sep();
    if (zone) append_csv_field(out, zone->resident_text);
    sep();
    out += suspect ? "true" : "false";
    out += "\r\n";
    return true;
  }

  JsonWriter w(out);
  w.begin_object();
  w.field("artifact", "mft").field("source", opts.source);
  w.field("entry", e.entry).field("sequence", unsigned{e.sequence});
  w.field("in_use", e.in_use).field("is_dir", e.is_dir);
  w.key("path");
  if (path)
    w.string(*path);
  else
    w.null();
  w.field("size", unnamed ? unnamed->size : std::uint64_t{0});
  w.key("si");
  if (e.si) {
    w.begin_object();
    times(w, e.si->times);
    w.end_object();
  } else {
    w.null();
  }
  w.key("fn").begin_array();
  for (std::size_t i = 0; i < e.names.size(); ++i) {
    const auto& f = e.names[i];
    w.begin_object();
    w.field("name", f.name)
        .field("parent_entry", f.parent.entry)
        .field("parent_sequence", unsigned{f.parent.sequence});
    times(w, f.times);
    w.field("namespace", namespace_name(f.name_space)).field("path", fn_paths[i]);
    w.end_object();
  }
  w.end_array();
  w.key("streams").begin_array();
  for (const auto& s : e.streams) {
    if (s.name.empty()) continue;
    w.begin_object().field("name", s.name).field("size", s.size).end_object();
  }
  w.end_array();
  w.key("zone_identifier");
  if (zone)
    w.string(zone->resident_text);
  else
    w.null();
  w.field("timestomp_suspect", suspect);
  // Appended fields (the contract allows extension).
  w.field("link_count", unsigned{e.link_count});
  w.key("attributes").begin_array();
  if (e.si)
    for (auto n : file_attribute_names(e.si->file_attributes)) w.string(n);
  w.end_array();
  w.key("usn");
  if (e.si && e.si->usn)
    w.unsigned_integer(*e.si->usn);
  else
    w.null();
  w.field("fixup_ok", e.fixup_ok);
  if (e.extension_of) {
    w.field("base_entry", e.extension_of->entry)
        .field("base_sequence", unsigned{e.extension_of->sequence});
  }
  w.end_object();
  w.end_line();
  return true;
}

std::string_view mft_csv_header() {
  return "entry,sequence,in_use,is_dir,path,size,si_created,si_modified,si_mft_modified,si_"
         "accessed,"
         "fn_name,fn_created,fn_modified,fn_mft_modified,fn_accessed,streams,zone_identifier,"
         "timestomp_suspect\r\n";
}

}  // namespace kk::ntfs
