// Volumes information: an array of volume information entries, then the data they
// point to (device path, file references, directory strings). Offsets inside an
// entry are relative to the start of the volumes information.
#include <string>

#include "core/utf.hpp"
#include "core/windows_types.hpp"
#include "prefetch/scca_layout.hpp"

namespace kk::prefetch_detail {
namespace {

// Directory strings: COUNT entries of {uint16 characters, UTF-16LE string, NUL}.
void read_directories(ByteReader r, std::uint64_t at, std::uint32_t count, std::size_t volume,
                      PrefetchVolume& v, PrefetchInfo& info) {
  std::uint64_t pos = at;
  for (std::uint32_t k = 0; k < count; ++k) {
    auto chars = pos <= r.size() ? r.u16(static_cast<std::size_t>(pos)) : std::nullopt;
    if (!chars) {
      note(info, pos,
           "volume " + std::to_string(volume) + ": directory strings end after " +
               std::to_string(k) + " of " + std::to_string(count) + " entries (data truncated)");
      return;
    }
    const std::uint64_t bytes = (std::uint64_t{*chars} + 1) * 2;
    if (pos + 2 + *chars * std::uint64_t{2} > r.size()) {
      note(info, pos,
           "volume " + std::to_string(volume) + ": directory string " + std::to_string(k) +
               " runs past the end of the data; " + std::to_string(k) + " of " +
               std::to_string(count) + " entries read");
      return;
    }
    std::string s;
    append_utf16le(s, r.bytes().subspan(static_cast<std::size_t>(pos + 2), std::size_t{*chars} * 2),
                   true);
    v.directories.push_back(std::move(s));
    pos += 2 + bytes;
  }
}

}  // namespace

void read_volumes(ByteReader r, const FileInformation& fi, const Layout& layout,
                  PrefetchInfo& info) {
  const std::uint64_t base = fi.volumes_offset;
  const std::uint64_t end = base + fi.volumes_size;
  if (fi.volume_count == 0) return;
  if (end > r.size())
    note(info, kHeaderSize + 24,
         "volumes information (" + format_hex(fi.volumes_offset) + ", " +
             std::to_string(fi.volumes_size) + " bytes) runs past the end of the data");
  for (std::uint32_t i = 0; i < fi.volume_count; ++i) {
    const std::uint64_t e = base + std::uint64_t{i} * layout.volume_entry_size;
    if (e + layout.volume_entry_size > r.size()) {
      note(info, e,
           "volume information entry " + std::to_string(i) + " of " +
               std::to_string(fi.volume_count) + " lies past the end of the data; " +
               std::to_string(i) + " volumes read");
      return;
    }
    const std::size_t at = static_cast<std::size_t>(e);
    const std::uint32_t path_offset = *r.u32(at + 0);
    const std::uint32_t path_chars = *r.u32(at + 4);
    const std::uint64_t created = *r.u64(at + 8);
    const std::uint32_t refs_offset = *r.u32(at + 20);
    const std::uint32_t refs_size = *r.u32(at + 24);
    const std::uint32_t dirs_offset = *r.u32(at + 28);
    const std::uint32_t dirs_count = *r.u32(at + 32);

    PrefetchVolume v;
    v.serial = *r.u32(at + 16);
    v.created = from_filetime(created);
    const std::uint64_t path_at = base + path_offset;
    if (path_at >= r.size()) {
      note(info, e,
           "volume " + std::to_string(i) + ": device path offset " + format_hex(path_offset) +
               " lies outside the data");
    } else {
      std::uint64_t bytes = std::uint64_t{path_chars} * 2;
      if (bytes > r.size() - path_at) {
        note(info, e,
             "volume " + std::to_string(i) +
                 ": device path runs past the end of the data; truncated");
        bytes = r.size() - path_at;
      }
      append_utf16le(
          v.device_path,
          r.bytes().subspan(static_cast<std::size_t>(path_at), static_cast<std::size_t>(bytes)),
          true);
    }
    // File references: uint32 version, uint32 count, then the references. Offsets
    // are 32-bit, so base + offset cannot overflow 64 bits; ByteReader checks the rest.
    if (refs_size >= 8) {
      const std::uint64_t count_at = base + refs_offset + 4;
      auto n = count_at < r.size() ? r.u32(static_cast<std::size_t>(count_at)) : std::nullopt;
      if (n)
        v.file_reference_count = *n;
      else
        note(info, e,
             "volume " + std::to_string(i) + ": file references offset " + format_hex(refs_offset) +
                 " lies outside the data");
    }
    // A forged directory count costs nothing: reading stops at the end of the data.
    if (dirs_count > 0) read_directories(r, base + dirs_offset, dirs_count, i, v, info);
    info.volumes.push_back(std::move(v));
  }
}

}  // namespace kk::prefetch_detail
