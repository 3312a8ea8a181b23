#include "ntfs/attributes.hpp"

#include "core/utf.hpp"

namespace kk::ntfs {

const char* namespace_name(std::uint8_t ns) {
  switch (ns) {
    case 0:
      return "POSIX";
    case 1:
      return "Win32";
    case 2:
      return "DOS";
    case 3:
      return "Win32&DOS";
    default:
      return "unknown";
  }
}

namespace {
NtfsTimes read_times(const ByteReader& r, std::size_t off) {
  return {*r.u64(off), *r.u64(off + 8), *r.u64(off + 16), *r.u64(off + 24)};
}
}  // namespace

std::optional<StandardInformation> decode_standard_information(std::span<const std::uint8_t> v) {
  // 48 bytes (NTFS 1.x) or 72 bytes (NTFS 3.x).
  ByteReader r(v);
  if (r.size() < 0x24) return std::nullopt;
  StandardInformation si;
  si.times = read_times(r, 0);
  si.file_attributes = *r.u32(0x20);
  if (r.size() >= 0x48) {
    si.owner_id = *r.u32(0x30);
    si.security_id = *r.u32(0x34);
    si.usn = *r.u64(0x40);
  }
  return si;
}

std::optional<FileName> decode_file_name(std::span<const std::uint8_t> v) {
  // 66 bytes plus the name (libyal NTFS, "The file name attribute").
  ByteReader r(v);
  if (r.size() < 0x42) return std::nullopt;
  FileName fn;
  fn.parent = FileReference::from(*r.u64(0));
  fn.times = read_times(r, 0x08);
  fn.allocated_size = *r.u64(0x28);
  fn.data_size = *r.u64(0x30);
  fn.file_attributes = *r.u32(0x38);
  const std::uint8_t len = *r.u8(0x40);
  fn.name_space = *r.u8(0x41);
  // A name cut short by a damaged value is kept as far as it goes.
  ByteReader name = r.clamp(0x42, std::size_t{len} * 2);
  append_utf16le(fn.name, name.bytes());
  return fn;
}

std::vector<AttributeListEntry> decode_attribute_list(std::span<const std::uint8_t> v) {
  std::vector<AttributeListEntry> out;
  ByteReader r(v);
  std::size_t off = 0;
  while (r.has(off, 0x1A)) {
    // Attribute list entry, 26 bytes plus name, 8-byte aligned.
    const std::uint16_t size = *r.u16(off + 4);
    if (size < 0x1A || !r.has(off, size)) break;
    AttributeListEntry e;
    e.type = *r.u32(off);
    e.first_vcn = *r.u64(off + 8);
    e.file = FileReference::from(*r.u64(off + 0x10));
    e.id = *r.u16(off + 0x18);
    out.push_back(e);
    off += size;
  }
  return out;
}

}  // namespace kk::ntfs
