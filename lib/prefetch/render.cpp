// Output records of parse-prefetch: the contract's JSONL record, the per-loaded-file
// records (--files) and their CSV forms. Field order is stable.
#include <string>

#include "core/csv.hpp"
#include "core/json_writer.hpp"
#include "core/time.hpp"
#include "core/windows_types.hpp"
#include "prefetch/prefetch.hpp"

namespace kk {
namespace {

// "1A2B3C4D": 8 upper-case hex digits, as in the prefetch file name.
std::string hex8(std::uint32_t v) {
  return format_hex(v, 8).substr(2);
}

std::optional<UtcMicros> last_run(const PrefetchInfo& info) {
  if (info.last_run_times.empty()) return std::nullopt;
  return info.last_run_times.front();
}

// One field and its separator; core/csv.hpp neutralises formulas (executable names and
// paths are the attacker's text).
void csv_field(std::string& out, std::string_view s, bool last = false) {
  append_csv_field(out, s);
  out.push_back(last ? '\n' : ',');
}

std::string iso_or_empty(std::optional<UtcMicros> t) {
  return t ? format_iso(*t) : std::string();
}

}  // namespace

void append_prefetch_json(std::string& out, const PrefetchInfo& info, std::string_view source) {
  JsonWriter w(out);
  w.begin_object().field("artifact", "prefetch").field("source", source);
  w.field("version", info.version).field("executable", info.executable);
  w.field("prefetch_hash", hex8(info.prefetch_hash)).field("run_count", info.run_count);
  w.key("last_run_times").begin_array();
  for (UtcMicros t : info.last_run_times) w.time(t);
  w.end_array();
  w.key("files").begin_array();
  for (const auto& f : info.files) w.string(f.path);
  w.end_array();
  w.key("directories").begin_array();
  for (const auto& v : info.volumes)
    for (const auto& d : v.directories) w.string(d);
  w.end_array();
  w.key("volumes").begin_array();
  for (const auto& v : info.volumes) {
    w.begin_object().field("device_path", v.device_path).field("serial", hex8(v.serial));
    w.key("created");
    w.time_or_null(v.created);
    w.field("directory_count", static_cast<std::uint64_t>(v.directories.size()));
    w.field("file_reference_count", v.file_reference_count);
    w.end_object();
  }
  w.end_array();
  w.key("executable_path");
  if (info.executable_path)
    w.string(*info.executable_path);
  else
    w.null();
  w.key("path_hash_match");
  if (auto m = path_hash_matches(info))
    w.boolean(*m);
  else
    w.null();
  w.field("format", info.format).field("size", info.size);
  // Parallel to "files": the NTFS file reference of each, null where not recorded.
  w.key("file_references").begin_array();
  for (const auto& f : info.files) {
    if (f.reference)
      w.begin_object()
          .field("entry", f.reference->entry)
          .field("sequence", unsigned{f.reference->sequence})
          .end_object();
    else
      w.null();
  }
  w.end_array();
  w.end_object().end_line();
}

void append_prefetch_files_json(std::string& out, const PrefetchInfo& info,
                                std::string_view source) {
  const std::string hash = hex8(info.prefetch_hash);
  const auto last = last_run(info);
  for (std::size_t i = 0; i < info.files.size(); ++i) {
    const auto& f = info.files[i];
    JsonWriter w(out);
    w.begin_object().field("artifact", "prefetch_file").field("source", source);
    w.field("executable", info.executable).field("prefetch_hash", hash);
    w.key("last_run");
    w.time_or_null(last);
    w.field("index", static_cast<std::uint64_t>(i)).field("path", f.path);
    w.key("mft_entry");
    if (f.reference)
      w.unsigned_integer(f.reference->entry);
    else
      w.null();
    w.key("mft_sequence");
    if (f.reference)
      w.unsigned_integer(f.reference->sequence);
    else
      w.null();
    w.end_object().end_line();
  }
}

std::string prefetch_csv_header() {
  return "source,format,version,executable,executable_path,prefetch_hash,run_count,last_run,"
         "last_run_times,file_count,directory_count,volume_device_paths,volume_serials,"
         "volume_created,size\n";
}

void append_prefetch_csv(std::string& out, const PrefetchInfo& info, std::string_view source) {
  // Several values in one cell are separated by "|", which no Windows path contains.
  std::string times, paths, serials, created;
  std::size_t dirs = 0;
  for (UtcMicros t : info.last_run_times) (times.empty() ? times : times += '|') += format_iso(t);
  for (const auto& v : info.volumes) {
    if (!paths.empty()) paths += '|', serials += '|', created += '|';
    paths += v.device_path;
    serials += hex8(v.serial);
    created += iso_or_empty(v.created);
    dirs += v.directories.size();
  }
  csv_field(out, source);
  csv_field(out, info.format);
  csv_field(out, std::to_string(info.version));
  csv_field(out, info.executable);
  csv_field(out, info.executable_path.value_or(""));
  csv_field(out, hex8(info.prefetch_hash));
  csv_field(out, std::to_string(info.run_count));
  csv_field(out, iso_or_empty(last_run(info)));
  csv_field(out, times);
  csv_field(out, std::to_string(info.files.size()));
  csv_field(out, std::to_string(dirs));
  csv_field(out, paths);
  csv_field(out, serials);
  csv_field(out, created);
  csv_field(out, std::to_string(info.size), true);
}

std::string prefetch_files_csv_header() {
  return "source,executable,prefetch_hash,last_run,index,path,mft_entry,mft_sequence\n";
}

void append_prefetch_files_csv(std::string& out, const PrefetchInfo& info,
                               std::string_view source) {
  const std::string hash = hex8(info.prefetch_hash);
  const std::string last = iso_or_empty(last_run(info));
  for (std::size_t i = 0; i < info.files.size(); ++i) {
    const auto& f = info.files[i];
    csv_field(out, source);
    csv_field(out, info.executable);
    csv_field(out, hash);
    csv_field(out, last);
    csv_field(out, std::to_string(i));
    csv_field(out, f.path);
    csv_field(out, f.reference ? std::to_string(f.reference->entry) : "");
    csv_field(out, f.reference ? std::to_string(f.reference->sequence) : "", true);
  }
}

}  // namespace kk
