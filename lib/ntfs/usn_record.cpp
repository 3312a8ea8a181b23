#include "ntfs/usn_record.hpp"

#include <array>
#include <utility>

#include "core/byte_reader.hpp"

namespace kk::ntfs {

namespace {

// Microsoft's USN_REASON_* constants ("USN_RECORD_V2 structure", Reason member).
constexpr std::array<std::string_view, 32> kReasons{"DATA_OVERWRITE",
                                                    "DATA_EXTEND",
                                                    "DATA_TRUNCATION",
                                                    "0x8",
                                                    "NAMED_DATA_OVERWRITE",
                                                    "NAMED_DATA_EXTEND",
                                                    "NAMED_DATA_TRUNCATION",
                                                    "0x80",
                                                    "FILE_CREATE",
                                                    "FILE_DELETE",
                                                    "EA_CHANGE",
                                                    "SECURITY_CHANGE",
                                                    "RENAME_OLD_NAME",
                                                    "RENAME_NEW_NAME",
                                                    "INDEXABLE_CHANGE",
                                                    "BASIC_INFO_CHANGE",
                                                    "HARD_LINK_CHANGE",
                                                    "COMPRESSION_CHANGE",
                                                    "ENCRYPTION_CHANGE",
                                                    "OBJECT_ID_CHANGE",
                                                    "REPARSE_POINT_CHANGE",
                                                    "STREAM_CHANGE",
                                                    "TRANSACTED_CHANGE",
                                                    "INTEGRITY_CHANGE",
                                                    "DESIRED_STORAGE_CLASS_CHANGE",
                                                    "0x2000000",
                                                    "0x4000000",
                                                    "0x8000000",
                                                    "0x10000000",
                                                    "0x20000000",
                                                    "0x40000000",
                                                    "CLOSE"};

constexpr std::array<std::string_view, 4> kSources{
    "DATA_MANAGEMENT", "AUXILIARY_DATA", "REPLICATION_MANAGEMENT", "CLIENT_REPLICATION_MANAGEMENT"};

// Name member checks shared by V2 and V3: inside the record, even length, at the documented offset.
bool name_fits(const ByteReader& r, std::uint32_t len, std::size_t len_at,
               std::size_t expected_offset, UsnRecord& rec) {
  const std::uint16_t name_len = *r.u16(len_at);
  const std::uint16_t name_off = *r.u16(len_at + 2);
  if (name_off != expected_offset || name_len % 2 != 0 || name_off + std::size_t{name_len} > len)
    return false;
  rec.name_utf16 = *r.span(name_off, name_len);
  return true;
}

}  // namespace

std::optional<UsnRecord> decode_usn_record(std::span<const std::uint8_t> bytes) {
  ByteReader all(bytes);
  auto len = all.u32(0);
  if (!len || *len < kUsnMinRecord || *len > kUsnMaxRecord || *len % 8 != 0 || !all.has(0, *len))
    return std::nullopt;
  ByteReader r = all.clamp(0, *len);
  UsnRecord rec;
  rec.length = *len;
  rec.major = *r.u16(4);
  rec.minor = *r.u16(6);
  switch (rec.major) {
    case 2:
      // USN_RECORD_V2: 64-bit file references, name at 0x3C.
      if (rec.minor != 0) return std::nullopt;
      rec.file = FileReference::from(*r.u64(0x08));
      rec.parent = FileReference::from(*r.u64(0x10));
      rec.usn = *r.i64(0x18);
      rec.timestamp = *r.u64(0x20);
      rec.reason = *r.u32(0x28);
      rec.source_info = *r.u32(0x2C);
      rec.security_id = *r.u32(0x30);
      rec.file_attributes = *r.u32(0x34);
      if (!name_fits(r, *len, 0x38, 0x3C, rec)) return std::nullopt;
      break;
    case 3:
      // USN_RECORD_V3: 128-bit FILE_ID_128 references, name at 0x4C.
      if (rec.minor != 0 || *len < 0x50) return std::nullopt;
      rec.file = FileReference::from(*r.u64(0x08));
      rec.file_id_high = *r.u64(0x10);
      rec.parent = FileReference::from(*r.u64(0x18));
      rec.parent_id_high = *r.u64(0x20);
      rec.usn = *r.i64(0x28);
      rec.timestamp = *r.u64(0x30);
      rec.reason = *r.u32(0x38);
      rec.source_info = *r.u32(0x3C);
      rec.security_id = *r.u32(0x40);
      rec.file_attributes = *r.u32(0x44);
      if (!name_fits(r, *len, 0x48, 0x4C, rec)) return std::nullopt;
      break;
    case 4: {
      // USN_RECORD_V4: range tracking, no time and no name; extents at 0x40.
      if (*len < 0x40) return std::nullopt;
      rec.file = FileReference::from(*r.u64(0x08));
      rec.file_id_high = *r.u64(0x10);
      rec.parent = FileReference::from(*r.u64(0x18));
      rec.parent_id_high = *r.u64(0x20);
      rec.usn = *r.i64(0x28);
      rec.reason = *r.u32(0x30);
      rec.source_info = *r.u32(0x34);
      rec.remaining_extents = *r.u32(0x38);
      const std::uint16_t count = *r.u16(0x3C);
      const std::uint16_t size = *r.u16(0x3E);
      if (size != 16 || 0x40 + std::size_t{count} * size > *len) return std::nullopt;
      for (std::size_t i = 0; i < count; ++i)
        rec.extents.push_back({*r.i64(0x40 + i * 16), *r.i64(0x48 + i * 16)});
      break;
    }
    default:
      return std::nullopt;
  }
  if (rec.usn < 0 || rec.reason == 0) return std::nullopt;
  return rec;
}

std::vector<std::string_view> usn_reason_names(std::uint32_t reason) {
  std::vector<std::string_view> out;
  for (unsigned bit = 0; bit < 32; ++bit)
    if (reason & (1u << bit)) out.push_back(kReasons[bit]);
  return out;
}

std::vector<std::string_view> usn_source_names(std::uint32_t source_info) {
  std::vector<std::string_view> out;
  for (unsigned bit = 0; bit < kSources.size(); ++bit)
    if (source_info & (1u << bit)) out.push_back(kSources[bit]);
  return out;
}

}  // namespace kk::ntfs
