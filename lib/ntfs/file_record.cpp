#include "ntfs/file_record.hpp"

#include <algorithm>
#include <cstring>

namespace kk::ntfs {

namespace {

// The update sequence protects each 512-byte stride of a record: NTFS writes the
// update sequence number over the last two bytes of every stride and keeps the
// original bytes in the update sequence array (libyal NTFS, "The fix-up values").
constexpr std::size_t kFixupStride = 512;

// Checks every stride of RAW (the whole slot) and restores those inside the copy
// held by REC (which may stop at the used size).
void apply_fixups(std::span<const std::uint8_t> raw, FileRecord& rec, std::uint16_t usa_offset,
                  std::uint16_t usa_count) {
  auto& b = rec.bytes;
  ByteReader r(raw);
  if (usa_count < 2 || !r.has(usa_offset, std::size_t{usa_count} * 2)) {
    rec.fixup_array_invalid = true;
    return;
  }
  const std::uint16_t usn = *r.u16(usa_offset);
  const std::size_t strides = std::size_t{usa_count} - 1;
  if (strides * kFixupStride > raw.size()) rec.fixup_array_invalid = true;
  for (std::size_t i = 0; i < strides; ++i) {
    const std::size_t end = (i + 1) * kFixupStride - 2;
    if (end + 2 > raw.size()) break;
    // Every stride is checked (NTFS writes the whole record), and every copied one restored.
    if (*r.u16(end) != usn) ++rec.bad_fixups;
    if (end + 2 <= b.size()) std::memcpy(b.data() + end, raw.data() + usa_offset + 2 + 2 * i, 2);
  }
}

}  // namespace

RecordStatus read_file_record(std::span<const std::uint8_t> raw, FileRecord& out,
                              std::string* why) {
  ByteReader r(raw);
  if (r.size() < 0x30) {
    if (why) *why = "record shorter than a FILE header";
    return RecordStatus::kNotARecord;
  }
  const bool file_sig = r.starts_with(0, "FILE");
  const bool baad_sig = r.starts_with(0, "BAAD");
  if (!file_sig && !baad_sig) {
    if (std::all_of(raw.begin(), raw.end(), [](std::uint8_t c) { return c == 0; }))
      return RecordStatus::kEmpty;
    if (why) {
      *why = "no FILE signature";
    }
    return RecordStatus::kNotARecord;
  }
  // Only the used part is copied (attributes never lie past it); a used size
  // that makes no sense falls back to the whole slot.
  const std::uint32_t used = *r.u32(0x18);
  const std::size_t copy = used >= 0x30 && used <= raw.size() ? used : raw.size();
  out.bytes.assign(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(copy));
  out.baad = baad_sig;
  out.bad_fixups = 0;
  out.fixup_array_invalid = false;
  // FILE record header, 42 or 48 bytes (libyal NTFS, "MFT entry header").
  const std::uint16_t usa_offset = *r.u16(0x04);
  const std::uint16_t usa_count = *r.u16(0x06);
  out.lsn = *r.u64(0x08);
  out.sequence = *r.u16(0x10);
  out.link_count = *r.u16(0x12);
  out.first_attribute = *r.u16(0x14);
  out.flags = *r.u16(0x16);
  out.used_size = *r.u32(0x18);
  out.allocated_size = *r.u32(0x1C);
  out.base = FileReference::from(*r.u64(0x20));
  // The entry number field exists when the header leaves room for it (XP and later).
  out.entry_number.reset();
  if (usa_offset >= 0x30) out.entry_number = *r.u32(0x2C);
  apply_fixups(raw, out, usa_offset, usa_count);
  return RecordStatus::kOk;
}

void for_each_attribute(const FileRecord& rec, const std::function<void(const AttributeView&)>& fn,
                        std::optional<std::uint32_t>* damaged) {
  ByteReader r(rec.bytes.data(), rec.bytes.size());
  // Attributes never extend past the used size; a damaged used size falls back to the slot.
  const std::size_t limit =
      rec.used_size >= 0x18 && rec.used_size <= r.size() ? rec.used_size : r.size();
  std::size_t off = rec.first_attribute;
  // At most one attribute per 16 bytes: a bound on the walk whatever the sizes say.
  for (std::size_t guard = 0; guard < limit / 16 + 1; ++guard) {
    auto type = r.u32(off);
    if (!type || *type == static_cast<std::uint32_t>(AttributeType::kEnd)) return;
    auto size = r.u32(off + 4);
    // Attribute header, 16 bytes common part (libyal NTFS, "MFT attribute header").
    if (!size || *size < 0x18 || *size % 8 != 0 || off + *size > limit) {
      if (damaged) *damaged = static_cast<std::uint32_t>(off);
      return;
    }
    ByteReader a = r.clamp(off, *size);
    AttributeView v;
    v.type = *type;
    v.offset = static_cast<std::uint32_t>(off);
    v.non_resident = *a.u8(8) != 0;
    const std::uint8_t name_len = *a.u8(9);
    const std::uint16_t name_off = *a.u16(10);
    v.flags = *a.u16(12);
    v.id = *a.u16(14);
    bool ok = true;
    if (name_len) {
      auto n = a.span(name_off, std::size_t{name_len} * 2);
      if (n)
        v.name_utf16 = *n;
      else
        ok = false;
    }
    if (!v.non_resident) {
      // Resident attribute: value size at 0x10, value offset at 0x14.
      auto vsize = a.u32(0x10);
      auto voff = a.u16(0x14);
      auto val = vsize && voff ? a.span(*voff, *vsize) : std::nullopt;
      if (val)
        v.value = *val;
      else
        ok = false;
    } else {
      // Non-resident attribute: VCN range, run list offset, sizes (0x40 bytes at least).
      if (a.size() >= 0x40) {
        v.first_vcn = *a.u64(0x10);
        v.last_vcn = *a.u64(0x18);
        v.allocated_size = *a.u64(0x28);
        v.data_size = *a.u64(0x30);
        v.valid_size = *a.u64(0x38);
      } else {
        ok = false;
      }
    }
    if (!ok) {
      // The common header is sound but its name or value points outside: report and go on.
      if (damaged && !*damaged) *damaged = static_cast<std::uint32_t>(off);
    } else {
      fn(v);
    }
    off += *size;
  }
}

std::uint32_t guess_record_size(std::span<const std::uint8_t> mft) {
  ByteReader r(mft);
  if (r.starts_with(0, "FILE") || r.starts_with(0, "BAAD")) {
    auto alloc = r.u32(0x1C);
    if (alloc && *alloc >= 256 && *alloc <= 65536 && (*alloc & (*alloc - 1)) == 0) return *alloc;
  }
  return 1024;
}

}  // namespace kk::ntfs
