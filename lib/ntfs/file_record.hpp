// NTFS FILE record (MFT entry): header, update sequence (fixups), attribute walk.
// See the libyal "New Technologies File System (NTFS)" documentation,
// "The Master File Table (MFT)" and "The attributes".
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/byte_reader.hpp"

namespace kk::ntfs {

// A file reference: 48-bit MFT entry number and 16-bit sequence number.
struct FileReference {
  std::uint64_t entry = 0;
  std::uint16_t sequence = 0;
  static FileReference from(std::uint64_t v) {
    return {v & 0xFFFFFFFFFFFFULL, static_cast<std::uint16_t>(v >> 48)};
  }
};

// FILE record header flags (offset 0x16).
inline constexpr std::uint16_t kRecordInUse = 0x0001;
inline constexpr std::uint16_t kRecordIsDirectory = 0x0002;

// Attribute type codes used here.
enum class AttributeType : std::uint32_t {
  kStandardInformation = 0x10,
  kAttributeList = 0x20,
  kFileName = 0x30,
  kObjectId = 0x40,
  kSecurityDescriptor = 0x50,
  kVolumeName = 0x60,
  kVolumeInformation = 0x70,
  kData = 0x80,
  kIndexRoot = 0x90,
  kIndexAllocation = 0xA0,
  kBitmap = 0xB0,
  kReparsePoint = 0xC0,
  kEnd = 0xFFFFFFFF,
};

// One attribute as found in a record: its common header and where its value is.
struct AttributeView {
  std::uint32_t type = 0;
  bool non_resident = false;
  std::uint16_t flags = 0;
  std::uint16_t id = 0;
  std::span<const std::uint8_t> name_utf16;  // attribute name (e.g. ADS name), UTF-16LE
  // Resident: the value bytes.
  std::span<const std::uint8_t> value;
  // Non-resident: the run's VCN range and sizes from the header.
  std::uint64_t first_vcn = 0, last_vcn = 0;
  std::uint64_t allocated_size = 0, data_size = 0, valid_size = 0;
  std::uint32_t offset = 0;  // offset of the attribute within the record
};

// A FILE record with fixups applied, owning a private copy of its bytes
// (the evidence mapping is read-only and never patched in place).
struct FileRecord {
  std::vector<std::uint8_t> bytes;
  bool baad = false;             // signature "BAAD": NTFS marked the record as damaged
  std::uint16_t bad_fixups = 0;  // sectors whose trailing word did not match the update sequence
  bool fixup_array_invalid = false;
  std::uint64_t lsn = 0;
  std::uint16_t sequence = 0;
  std::uint16_t link_count = 0;
  std::uint16_t first_attribute = 0;
  std::uint16_t flags = 0;
  std::uint32_t used_size = 0;
  std::uint32_t allocated_size = 0;
  FileReference base;                         // non-zero entry: this is an extension record
  std::optional<std::uint32_t> entry_number;  // stored at 0x2C since Windows XP

  bool in_use() const { return flags & kRecordInUse; }
  bool is_directory() const { return flags & kRecordIsDirectory; }
  bool is_extension() const { return base.entry != 0 || base.sequence != 0; }
  bool fixups_ok() const { return bad_fixups == 0 && !fixup_array_invalid; }
};

// Outcome of reading one record slot.
enum class RecordStatus { kOk, kEmpty, kNotARecord };

// Reads the record in RAW (one slot of the $MFT). kEmpty: all zero (never used);
// kNotARecord: no FILE/BAAD signature or a header that does not fit (WHY says what).
RecordStatus read_file_record(std::span<const std::uint8_t> raw, FileRecord& out, std::string* why);

// Walks the attributes of REC in order; stops at the end marker or at the first
// attribute whose header does not fit (then *damaged is set to its offset).
void for_each_attribute(const FileRecord& rec, const std::function<void(const AttributeView&)>& fn,
                        std::optional<std::uint32_t>* damaged);

// Record size of an $MFT from its first record's header (0x1C); 1024 when unknown.
std::uint32_t guess_record_size(std::span<const std::uint8_t> mft);

}  // namespace kk::ntfs
