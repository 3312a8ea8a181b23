// The uncompressed prefetch file: header, file information, file metrics and
// filename strings. Volumes are in volumes.cpp.
#include <algorithm>
#include <cctype>
#include <string>

#include "core/utf.hpp"
#include "core/windows_types.hpp"
#include "prefetch/prefetch.hpp"
#include "prefetch/scca_layout.hpp"

namespace kk {
namespace {

using prefetch_detail::FileInformation;
using prefetch_detail::kHeaderSize;
using prefetch_detail::Layout;
using prefetch_detail::note;

// Version 30 comes in two variants (libscca: "File information - version 30 -
// variant 1/2"), told apart by where the file metrics start: 0x130 after a 220-byte
// file information (run count at 124), 0x128 after a 212-byte one (run count at
// 116). Version 31 (Windows 11 24H2) keeps the 212-byte layout.
constexpr Layout kV17{68, 36, 1, 60, 20, 40};
constexpr Layout kV23{156, 44, 1, 68, 32, 104};
constexpr Layout kV26{220, 44, 8, 124, 32, 104};
constexpr Layout kV30Variant1{220, 44, 8, 124, 32, 96};
constexpr Layout kV30Variant2{212, 44, 8, 116, 32, 96};

std::optional<Layout> layout_for(std::uint32_t version, std::uint32_t metrics_offset,
                                 PrefetchInfo& info) {
  switch (version) {
    case 17:
      return kV17;
    case 23:
      return kV23;
    case 26:
      return kV26;
    case 30:
    case 31: {
      if (metrics_offset == kHeaderSize + kV30Variant1.info_size) return kV30Variant1;
      if (metrics_offset == kHeaderSize + kV30Variant2.info_size) return kV30Variant2;
      const Layout guess = version == 30 ? kV30Variant1 : kV30Variant2;
      note(info, kHeaderSize,
           "file metrics offset " + format_hex(metrics_offset) + " matches neither version " +
               std::to_string(version) + " layout (0x128, 0x130); assuming a " +
               std::to_string(guess.info_size) + "-byte file information");
      return guess;
    }
    default:
      return std::nullopt;
  }
}

// A UTF-16LE string of CHARS characters at OFF; the part inside the data if it runs
// past the end (with an issue).
std::string read_utf16(ByteReader r, std::uint64_t off, std::uint64_t chars, PrefetchInfo& info,
                       std::string_view what) {
  std::string s;
  if (off >= r.size()) {
    note(info, off,
         std::string(what) + " lies outside the data (" + std::to_string(r.size()) + " bytes)");
    return s;
  }
  std::uint64_t bytes = chars * 2;
  if (bytes > r.size() - off) {
    note(info, off,
         std::string(what) + " of " + std::to_string(chars) +
             " characters runs past the end of the data; truncated");
    bytes = r.size() - off;
  }
  append_utf16le(s,
                 r.bytes().subspan(static_cast<std::size_t>(off), static_cast<std::size_t>(bytes)),
                 /*stop_at_nul=*/true);
  return s;
}

// File metrics array: one entry per loaded file, naming its string in the filename
// strings section (offset relative to that section, length in characters without
// the terminating NUL) and, from v23 on, its NTFS file reference.
void read_file_metrics(ByteReader r, const FileInformation& fi, const Layout& layout,
                       PrefetchInfo& info) {
  std::uint64_t count = fi.metrics_count;
  const std::uint64_t start = fi.metrics_offset;
  const std::uint64_t available =
      start <= r.size() ? (r.size() - start) / layout.metrics_entry_size : 0;
  if (count > available) {
    note(info, start,
         "file metrics array of " + std::to_string(count) +
             " entries runs past the end of the data; " + std::to_string(available) +
             " entries read");
    count = available;
  }
  const std::uint64_t names_end = std::uint64_t{fi.filenames_offset} + fi.filenames_size;
  if (names_end > r.size())
    note(info, kHeaderSize + 16,
         "filename strings section (" + format_hex(fi.filenames_offset) + ", " +
             std::to_string(fi.filenames_size) + " bytes) runs past the end of the data");
  const bool v17 = layout.metrics_entry_size == 20;
  info.files.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::size_t e = static_cast<std::size_t>(start + i * layout.metrics_entry_size);
    const std::uint32_t name_offset = *r.u32(e + (v17 ? 8 : 12));
    const std::uint32_t name_chars = *r.u32(e + (v17 ? 12 : 16));
    PrefetchLoadedFile f;
    const std::uint64_t at = std::uint64_t{fi.filenames_offset} + name_offset;
    if (std::uint64_t{name_offset} + (std::uint64_t{name_chars} + 1) * 2 > fi.filenames_size)
      note(info, e,
           "file metrics entry " + std::to_string(i) + ": filename string (offset " +
               format_hex(name_offset) + ", " + std::to_string(name_chars) +
               " characters) lies outside the filename strings section");
    f.path = read_utf16(r, at, name_chars, info, "filename string " + std::to_string(i));
    if (!v17) {
      const std::uint64_t ref = *r.u64(e + 24);
      if (ref != 0)
        f.reference =
            NtfsFileReference{ref & 0xFFFFFFFFFFFFull, static_cast<std::uint16_t>(ref >> 48)};
    }
    info.files.push_back(std::move(f));
  }
}

// The executable's own entry in the loaded files: the one whose base name is the
// header's name (case-insensitively), or starts with it when the header name is cut
// at 29 characters.
std::optional<std::string> find_executable_path(const PrefetchInfo& info) {
  if (info.executable.empty()) return std::nullopt;
  auto upper = [](std::string_view v) {
    std::string u(v);
    for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u;
  };
  const std::string exe = upper(info.executable);
  const bool truncated = info.executable.size() >= 29;
  const PrefetchLoadedFile* prefix_match = nullptr;
  for (const auto& f : info.files) {
    const auto slash = f.path.find_last_of('\\');
    const std::string base = upper(slash == std::string::npos ? f.path : f.path.substr(slash + 1));
    if (base == exe) return f.path;
    if (truncated && !prefix_match && base.starts_with(exe)) prefix_match = &f;
  }
  if (prefix_match) return prefix_match->path;
  return std::nullopt;
}

}  // namespace

Result<PrefetchInfo> parse_scca(Bytes scca) {
  ByteReader r(scca);
  if (!r.starts_with(4, "SCCA")) {
    std::string sig;
    if (auto s = r.span(4, 4)) {
      const bool text =
          std::all_of(s->begin(), s->end(), [](std::uint8_t c) { return c >= 0x20 && c < 0x7F; });
      sig = text ? "found \"" + std::string(s->begin(), s->end()) + "\""
                 : "found bytes " + hex_bytes(*s);
    } else {
      sig = "but the file has only " + std::to_string(r.size()) + " bytes";
    }
    return Result<PrefetchInfo>::fail(
        "not a prefetch file: signature \"SCCA\" expected at offset 4, " + sig, 4);
  }
  PrefetchInfo info;
  info.format = "SCCA";
  info.uncompressed_size = static_cast<std::uint32_t>(std::min<std::size_t>(r.size(), UINT32_MAX));
  info.version = *r.u32(0);
  if (r.size() < kHeaderSize)
    return Result<PrefetchInfo>::fail(
        "prefetch file header truncated: " + std::to_string(r.size()) + " of 84 bytes", 0);
  // Without a file information the variant cannot be told; the truncation is
  // reported below.
  const std::uint32_t metrics_offset_peek =
      r.u32(kHeaderSize).value_or(kHeaderSize + kV30Variant1.info_size);
  auto layout = layout_for(info.version, metrics_offset_peek, info);
  if (!layout)
    return Result<PrefetchInfo>::fail("unsupported prefetch format version " +
                                          std::to_string(info.version) +
                                          " (17, 23, 26, 30 and 31 are known)",
                                      0);
  info.executable = read_utf16(r, prefetch_detail::kExecutableNameOffset,
                               prefetch_detail::kExecutableNameBytes / 2, info, "executable name");
  info.prefetch_hash = *r.u32(prefetch_detail::kHashOffset);
  const std::uint32_t declared_size = *r.u32(12);
  if (declared_size != r.size())
    note(info, 12,
         "header gives the file size as " + std::to_string(declared_size) +
             " bytes, the data has " + std::to_string(r.size()));

  if (!r.has(kHeaderSize, layout->info_size)) {
    note(info, kHeaderSize,
         "file information truncated: " + std::to_string(layout->info_size) +
             " bytes expected; nothing after the header could be read");
    return info;
  }
  const std::size_t fi_at = kHeaderSize;
  FileInformation fi{*r.u32(fi_at + 0),  *r.u32(fi_at + 4),  *r.u32(fi_at + 16), *r.u32(fi_at + 20),
                     *r.u32(fi_at + 24), *r.u32(fi_at + 28), *r.u32(fi_at + 32)};
  for (unsigned i = 0; i < layout->last_run_slots; ++i)
    if (auto t = from_filetime(*r.u64(fi_at + layout->last_run_offset + 8 * i)))
      info.last_run_times.push_back(*t);
  info.run_count = *r.u32(fi_at + layout->run_count_offset);

  read_file_metrics(r, fi, *layout, info);
  info.executable_path = find_executable_path(info);
  prefetch_detail::read_volumes(r, fi, *layout, info);
  return info;
}

}  // namespace kk
