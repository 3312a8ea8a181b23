#include "registry/shell_item.hpp"

#include <array>

#include "core/utf.hpp"
#include "core/windows_types.hpp"

namespace kk::registry {

namespace {

// Shell folders that appear as root items; unknown ones keep their GUID.
std::string known_folder(const std::string& guid) {
  static const std::array<std::pair<const char*, const char*>, 20> kFolders{{
      {"{20D04FE0-3AEA-1069-A2D8-08002B30309D}", "My Computer"},
      {"{450D8FBA-AD25-11D0-98A8-0800361B1103}", "My Documents"},
      {"{208D2C60-3AEA-1069-A2D7-08002B30309D}", "My Network Places"},
      {"{F02C1A0D-BE21-4350-88B0-7367FC96EF3C}", "Network"},
      {"{645FF040-5081-101B-9F08-00AA002F954E}", "Recycle Bin"},
      {"{B4BFCC3A-DB2C-424C-B029-7FE99A87C641}", "Desktop"},
      {"{59031A47-3F72-44A7-89C5-5595FE6B30EE}", "User Folder"},
      {"{031E4825-7B94-4DC3-B131-E946B44C8DD5}", "Libraries"},
      {"{26EE0668-A00A-44D7-9371-BEB064C98683}", "Control Panel"},
      {"{21EC2020-3AEA-1069-A2DD-08002B30309D}", "Control Panel"},
      {"{679F85CB-0220-4080-B29B-5540CC05AAB6}", "Quick Access"},
      {"{F874310E-B6B7-47DC-BC84-B9E6B38F5903}", "Home"},
      {"{088E3905-0323-4B02-9826-5D99428E115F}", "Downloads"},
      {"{374DE290-123F-4565-9164-39C4925E467B}", "Downloads"},
      {"{D3162B92-9365-467A-956B-92703ACA08AF}", "Documents"},
      {"{3ADD1653-EB32-4CB0-BBD7-DFA0ABB5ACCA}", "Pictures"},
      {"{24AD3AD4-A569-4530-98E1-AB02F9417AA8}", "Pictures"},
      {"{1CF1260C-4DD0-4EBB-811F-33C572699FDE}", "Music"},
      {"{A0953C92-50DC-43BF-BE83-3742FED03C9C}", "Videos"},
      {"{018D5C66-4533-4307-9B53-224DE2ED1FE6}", "OneDrive"},
  }};
  for (auto& [g, n] : kFolders)
    if (guid == g) return n;
  return guid;
}

std::optional<UtcMicros> fat_time(ByteReader r, std::size_t off) {
  auto date = r.u16(off), time = r.u16(off + 2);
  if (!date || !time || (*date == 0 && *time == 0)) return std::nullopt;
  return from_dos_datetime(*date, *time);
}

// NUL-terminated 8-bit or UTF-16 string at OFF; *END receives the offset after the NUL.
std::string cstring(ByteReader r, std::size_t off, bool wide, std::size_t* end) {
  std::string s;
  std::size_t i = off;
  if (wide) {
    while (r.has(i, 2) && *r.u16(i) != 0) i += 2;
    if (auto b = r.span(off, i - off)) append_utf16le(s, *b);
    i += 2;
  } else {
    while (r.has(i, 1) && *r.u8(i) != 0) ++i;
    if (auto b = r.span(off, i - off)) append_cp1252(s, *b);
    i += 1;
  }
  if (end) *end = i;
  return s;
}

// File entry extension block 0xBEEF0004: creation/access FAT times, the MFT reference (v7+)
// and the long (Unicode) name, which replaces the 8.3 primary name when present.
void file_entry_extension(ByteReader r, std::size_t off, ShellItem& item) {
  auto size = r.u16(off), version = r.u16(off + 2);
  auto sig = r.u32(off + 4);
  if (!size || !version || !sig || *sig != 0xBEEF0004u || *size < 20) return;
  ByteReader e = r.clamp(off, *size);
  item.created = fat_time(e, 8);
  item.accessed = fat_time(e, 12);
  std::size_t pos = 18;
  if (*version >= 7) {
    if (auto ref = e.u64(20)) {
      item.mft_entry = *ref & 0xFFFFFFFFFFFFull;
      item.mft_sequence = static_cast<std::uint16_t>(*ref >> 48);
    }
    pos += 18;
  }
  if (*version >= 3) pos += 2;
  if (*version >= 9) pos += 4;
  if (*version >= 8) pos += 4;
  std::string long_name = cstring(e, pos, /*wide=*/true, nullptr);
  if (!long_name.empty()) item.name = std::move(long_name);
}

}  // namespace

std::optional<ShellItem> decode_shell_item(Bytes bytes) {
  ByteReader r(bytes);
  if (r.size() < 3) return std::nullopt;
  std::uint8_t cls = *r.u8(2);
  ShellItem item;
  if (cls == 0x1F || cls == 0x2E) {
    // 0x2E: a root item of the user's folders (Vista+), GUID at the same place as 0x1F.
    item.type = "root_folder";
    if (auto g = r.span(4, 16))
      item.name = known_folder(format_guid(*g));
    else
      item.name = "<root folder>";
  } else if ((cls & 0x70) == 0x20) {
    item.type = "volume";
    item.name = cstring(r, 3, false, nullptr);
    if (item.name.ends_with('\\')) item.name.pop_back();
    if (item.name.empty()) item.name = "<volume>";
  } else if ((cls & 0x70) == 0x30) {
    item.type = "file_entry";
    item.modified = fat_time(r, 8);
    bool wide = (cls & 0x04) != 0;
    std::size_t end = 0;
    item.name = cstring(r, 14, wide, &end);
    if (end % 2) ++end;  // the extension block is 2-byte aligned
    file_entry_extension(r, end, item);
  } else if ((cls & 0x70) == 0x40) {
    item.type = "network";
    item.name = cstring(r, 5, false, nullptr);
  } else if (cls == 0x71) {
    item.type = "control_panel";
    if (auto g = r.span(14, 16)) item.name = known_folder(format_guid(*g));
  } else if (cls == 0x61) {
    item.type = "uri";
    std::size_t end = 0;
    // URI items: flags at 3, data size at 4; the URI string starts after a fixed header.
    auto flags = r.u8(3).value_or(0);
    item.name = cstring(r, 0x2C, (flags & 0x80) != 0, &end);
  } else if (cls == 0x00 && r.u32(6) == 0x23FEBBEEu) {
    // Users property view (Vista+): a property store naming a known folder; its GUID is
    // taken when one of the known ones occurs in the item.
    item.type = "users_property_view";
    item.name = "<users property view>";
    for (std::size_t off = 8; off + 16 <= r.size(); ++off) {
      std::string n = known_folder(format_guid(*r.span(off, 16)));
      if (!n.starts_with("{")) {
        item.name = n;
        break;
      }
    }
  } else {
    item.type = "unknown";
    item.name = "<item type " + format_hex(cls, 2) + ">";
  }
  return item;
}

}  // namespace kk::registry
