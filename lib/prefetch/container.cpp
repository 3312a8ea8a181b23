// A prefetch file as stored on disk: plain SCCA (Windows XP to 8.1) or SCCA inside a
// MAM container (Windows 10 and 11), plus the checks that relate it to its name.
#include <algorithm>
#include <cctype>
#include <string>

#include "compress/mam.hpp"
#include "core/mapped_file.hpp"
#include "core/windows_types.hpp"
#include "prefetch/prefetch.hpp"

namespace kk {
namespace {

std::string upper(std::string_view s) {
  std::string u(s);
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

std::string_view base_name(std::string_view path) {
  auto slash = path.find_last_of("\\/");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

Result<PrefetchInfo> parse_prefetch(Bytes file) {
  if (!is_mam(file)) {
    auto r = parse_scca(file);
    if (r) r->size = file.size();
    return r;
  }
  auto mam = mam_decompress(file);
  if (!mam) {
    Error e = mam.error();
    e.message = "compressed (MAM) prefetch file: " + e.message;
    return e;
  }
  auto r = parse_scca(mam->data);
  if (!r) {
    Error e = r.error();
    e.message = "decompressed MAM data: " + e.message;
    e.offset.reset();  // an offset into the decompressed data would mislead
    return e;
  }
  r->format = "MAM";
  r->size = file.size();
  // Offsets of structure issues are into the decompressed data, not the file.
  for (auto& issue : r->issues) {
    if (issue.offset)
      issue.message = "decompressed data @" + format_hex(*issue.offset) + ": " + issue.message;
    issue.offset.reset();
  }
  if (mam->crc_ok && !*mam->crc_ok)
    r->issues.insert(r->issues.begin(),
                     {8, "MAM CRC32 mismatch: header has " + format_hex(mam->header.stored_crc, 8) +
                             ", data gives " + format_hex(mam->computed_crc, 8) +
                             " (file altered or damaged; contents decoded anyway)"});
  const std::size_t trailing = file.size() - mam->header.data_offset - mam->compressed_consumed;
  if (trailing > 8)  // a few bytes of padding after the stream are usual
    r->issues.insert(r->issues.begin(),
                     {mam->header.data_offset + mam->compressed_consumed,
                      std::to_string(trailing) + " bytes after the end of the compressed stream"});
  return r;
}

void check_consistency(PrefetchInfo& info, std::string_view file_name) {
  // The prefetch file is named <EXECUTABLE>-<HASH>.pf ("Op-<EXECUTABLE>-<HASH>-<N>.pf"
  // for some Windows 10 files); ADS-executed programs and copies differ, so a hash
  // that matches none of the name's 8-hex-digit groups is worth a note, not an error.
  const std::string name = upper(base_name(file_name));
  const std::string hash = format_hex(info.prefetch_hash, 8).substr(2);
  bool has_group = false, matches = false;
  for (std::size_t dash = name.find('-'); dash != std::string::npos;
       dash = name.find('-', dash + 1)) {
    if (name.size() < dash + 9) break;
    const std::string_view group(name.data() + dash + 1, 8);
    const bool hex = std::all_of(group.begin(), group.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    });
    const bool ends = name.size() == dash + 9 || name[dash + 9] == '.' || name[dash + 9] == '-';
    if (!hex || !ends) continue;
    has_group = true;
    matches = matches || group == hash;
  }
  if (has_group && !matches)
    info.issues.push_back({std::nullopt,
                           "prefetch hash " + hash + " differs from the hash in the file name \"" +
                               std::string(base_name(file_name)) + "\"",
                           Severity::kInfo});
  // The executable normally appears among its own loaded files.
  if (!info.executable.empty() && !info.files.empty() && !info.executable_path)
    info.issues.push_back({std::nullopt,
                           "executable \"" + info.executable + "\" is not among the " +
                               std::to_string(info.files.size()) + " loaded files",
                           Severity::kInfo});
}

bool prefetch_file_to_jsonl(const std::string& path, std::string_view source, std::string& out,
                            Diagnostics& diag, PrefetchRecords what) {
  MappedFile mf;
  std::string err;
  if (!mf.open(path, &err)) {
    diag.unreadable(source, err);
    return false;
  }
  auto r = parse_prefetch(mf.bytes());
  if (!r) {
    diag.unreadable(source, r.error().message);
    return false;
  }
  check_consistency(*r, path);
  for (const auto& issue : r->issues)
    diag.report(issue.severity, source, issue.offset, issue.message);
  if (what == PrefetchRecords::kPrefetch)
    append_prefetch_json(out, *r, source);
  else
    append_prefetch_files_json(out, *r, source);
  return true;
}

}  // namespace kk
