// Rendering of one MFT entry as the contract's parse-mft JSONL record or a CSV row.
#include <algorithm>

#include "core/csv.hpp"
#include "core/json_writer.hpp"
#include "core/time.hpp"
#include "ntfs/fast_format.hpp"
#include "ntfs/file_attributes.hpp"
#include "ntfs/mft_entry.hpp"

namespace kk::ntfs {

namespace {

constexpr std::uint64_t kTicksPerSecond = 10000000;

thread_local IsoTimeCache iso_cache;

void time_value(std::string& out, std::uint64_t ft) {
  if (auto t = from_filetime(ft)) {
    out.push_back('"');
    iso_cache.append(out, *t);
    out.push_back('"');
  } else {
    out += "null";
  }
}

// "created":…,"modified":…,"mft_modified":…,"accessed":… (no braces).
void times_members(std::string& out, const NtfsTimes& t) {
  out += R"("created":)";
  time_value(out, t.created);
  out += R"(,"modified":)";
  time_value(out, t.modified);
  out += R"(,"mft_modified":)";
  time_value(out, t.mft_modified);
  out += R"(,"accessed":)";
  time_value(out, t.accessed);
}

void times(std::string& out, const NtfsTimes& t) {
  out.push_back('{');
  times_members(out, t);
  out.push_back('}');
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
  if (auto t = from_filetime(ft)) iso_cache.append(out, *t);
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

  // The record is written with direct appends rather than JsonWriter: this is the
  // hot loop of parse-mft and the keys are fixed (same output, see tests/ntfs).
  out += R"({"artifact":"mft","source":)";
  append_json_string(out, opts.source);
  out += R"(,"entry":)";
  append_uint(out, e.entry);
  out += R"(,"sequence":)";
  append_uint(out, e.sequence);
  out += e.in_use ? R"(,"in_use":true)" : R"(,"in_use":false)";
  out += e.is_dir ? R"(,"is_dir":true,"path":)" : R"(,"is_dir":false,"path":)";
  if (path)
    append_json_string(out, *path);
  else
    out += "null";
  out += R"(,"size":)";
  append_uint(out, unnamed ? unnamed->size : 0);
  out += R"(,"si":)";
  if (e.si)
    times(out, e.si->times);
  else
    out += "null";
  out += R"(,"fn":[)";
  for (std::size_t i = 0; i < e.names.size(); ++i) {
    const auto& f = e.names[i];
    out += i ? R"(,{"name":)" : R"({"name":)";
    append_json_string(out, f.name);
    out += R"(,"parent_entry":)";
    append_uint(out, f.parent.entry);
    out += R"(,"parent_sequence":)";
    append_uint(out, f.parent.sequence);
    out.push_back(',');
    times_members(out, f.times);
    out += R"(,"namespace":")";
    out += namespace_name(f.name_space);
    out += R"(","path":)";
    append_json_string(out, fn_paths[i]);
    out.push_back('}');
  }
  out += R"(],"streams":[)";
  bool first = true;
  for (const auto& st : e.streams) {
    if (st.name.empty()) continue;
    out += first ? R"({"name":)" : R"(,{"name":)";
    first = false;
    append_json_string(out, st.name);
    out += R"(,"size":)";
    append_uint(out, st.size);
    out.push_back('}');
  }
  out += R"(],"zone_identifier":)";
  if (zone)
    append_json_string(out, zone->resident_text);
  else
    out += "null";
  out += suspect ? R"(,"timestomp_suspect":true)" : R"(,"timestomp_suspect":false)";
  // Appended fields (the contract allows extension).
  out += R"(,"link_count":)";
  append_uint(out, e.link_count);
  out += R"(,"attributes":[)";
  if (e.si) {
    first = true;
    for (auto n : file_attribute_names(e.si->file_attributes)) {
      if (!first) out.push_back(',');
      first = false;
      out.push_back('"');
      out += n;  // constant names, nothing to escape
      out.push_back('"');
    }
  }
  out += R"(],"usn":)";
  if (e.si && e.si->usn)
    append_uint(out, *e.si->usn);
  else
    out += "null";
  out += e.fixup_ok ? R"(,"fixup_ok":true)" : R"(,"fixup_ok":false)";
  if (e.extension_of) {
    out += R"(,"base_entry":)";
    append_uint(out, e.extension_of->entry);
    out += R"(,"base_sequence":)";
    append_uint(out, e.extension_of->sequence);
  }
  out += "}\n";
  return true;
}

std::string_view mft_csv_header() {
  return "entry,sequence,in_use,is_dir,path,size,si_created,si_modified,si_mft_modified,si_"
         "accessed,"
         "fn_name,fn_created,fn_modified,fn_mft_modified,fn_accessed,streams,zone_identifier,"
         "timestomp_suspect\r\n";
}

}  // namespace kk::ntfs
