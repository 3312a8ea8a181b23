#include "registry/shimcache.hpp"

#include "core/utf.hpp"

namespace kk::registry {

namespace {

constexpr std::uint32_t kXpMagic = 0xDEADBEEF;
constexpr std::uint32_t kVistaMagic = 0xBADC0FFE;  // Server 2003, Vista, Server 2008
constexpr std::uint32_t kWin7Magic = 0xBADC0FEE;   // 7, Server 2008 R2
constexpr std::uint32_t kInsertFlagExecuted = 0x2;
constexpr std::size_t kMaxEntries = 1u << 16;  // Windows keeps at most 1024

std::string utf16_at(ByteReader r, std::size_t off, std::size_t len) {
  auto s = r.span(off, len);
  return s ? utf16le_to_utf8(*s, true) : std::string();
}

// XP: 400-byte header (magic, count, LRU list), 552-byte entries holding a MAX_PATH path.
void decode_xp(ByteReader r, ShimCache& out) {
  out.format = "xp";
  constexpr std::size_t kHeader = 400, kEntry = 552;
  out.declared_count = *r.u32(4);
  std::uint32_t n = std::min<std::uint32_t>(*out.declared_count, kMaxEntries);
  for (std::uint32_t i = 0; i < n; ++i) {
    std::size_t e = kHeader + i * kEntry;
    if (!r.has(e, kEntry)) {
      out.problems.push_back("entry " + std::to_string(i) + " past the end of the value");
      break;
    }
    std::string path = utf16_at(r, e, 520);
    if (path.empty()) break;  // unused slots follow the live entries
    ShimCacheEntry x;
    x.path = std::move(path);
    x.modified = from_filetime(*r.u64(e + 528));
    x.size = *r.u64(e + 536);
    x.position = i;
    x.offset = e;
    out.entries.push_back(std::move(x));
  }
}

// Server 2003 / Vista / 2008 (8-byte header) and 7 / 2008 R2 (128-byte header): fixed-size
// entries pointing at UTF-16 paths elsewhere in the value; 32- and 64-bit layouts.
void decode_vista_7(ByteReader r, ShimCache& out, bool win7) {
  std::size_t header = win7 ? 128 : 8;
  out.declared_count = *r.u32(4);
  // 64-bit entries pad the 32-bit path offset to 8 bytes: that padding is zero.
  bool is64 = r.u32(header + 4).value_or(1) == 0;
  std::size_t entry_size = win7 ? (is64 ? 48 : 32) : (is64 ? 32 : 24);
  out.format = std::string(win7 ? "7" : "2003-vista-2008") + (is64 ? "-64" : "-32");
  std::uint32_t n = std::min<std::uint32_t>(*out.declared_count, kMaxEntries);
  for (std::uint32_t i = 0; i < n; ++i) {
    std::size_t e = header + i * entry_size;
    if (!r.has(e, entry_size)) {
      out.problems.push_back("entry " + std::to_string(i) + " past the end of the value");
      break;
    }
    std::uint16_t len = *r.u16(e);
    std::uint64_t path_off = is64 ? *r.u64(e + 8) : *r.u32(e + 4);
    std::size_t t = e + (is64 ? 16 : 8);
    ShimCacheEntry x;
    if (!r.has(path_off, len)) {
      out.problems.push_back("entry " + std::to_string(i) + ": path outside the value");
      continue;
    }
    x.path = utf16_at(r, path_off, len);
    x.modified = from_filetime(*r.u64(t));
    std::uint32_t insert_flags = *r.u32(t + 8);
    x.executed = (insert_flags & kInsertFlagExecuted) != 0;
    x.position = i;
    x.offset = e;
    out.entries.push_back(std::move(x));
  }
}

// 8.0 ("00ts"), 8.1 ("10ts"; both with a package name and insert flags) and 10/11 ("10ts", no
// flags): variable-size entries, each "signature, hash, size" followed by its body.
void decode_signed_entries(ByteReader r, ShimCache& out, std::size_t start, int version) {
  std::size_t pos = start;
  std::uint32_t i = 0;
  std::uint32_t limit = out.declared_count.value_or(0) ? *out.declared_count : kMaxEntries;
  while (r.has(pos, 12) && i < std::min<std::uint32_t>(limit, kMaxEntries)) {
    bool sig = version == 80 ? r.starts_with(pos, "00ts") : r.starts_with(pos, "10ts");
    if (!sig) {
      // Windows 8.x keeps no count: the entries simply end (zero fill or stale bytes follow).
      if (!out.declared_count && i > 0) break;
      out.problems.push_back("entry " + std::to_string(i) + ": bad signature at offset " +
                             std::to_string(pos));
      break;
    }
    std::uint32_t body_size = *r.u32(pos + 8);
    ByteReader body = r.clamp(pos + 12, body_size);
    if (body.size() < body_size) {
      out.problems.push_back("entry " + std::to_string(i) + " runs past the end of the value");
    }
    ByteCursor c(body);
    std::uint16_t len = c.u16();
    Bytes path = c.take(len);
    ShimCacheEntry x;
    x.path = utf16le_to_utf8(path, true);
    x.position = i;
    x.offset = pos;
    if (version == 80 || version == 81) c.take(c.u16());  // package name of a Store app
    if (version == 80 || version == 81) {
      std::uint32_t insert_flags = c.u32();
      c.u32();  // shim flags
      x.executed = (insert_flags & kInsertFlagExecuted) != 0;
    }
    x.modified = from_filetime(c.u64());
    if (!c.ok()) {
      out.problems.push_back("entry " + std::to_string(i) + ": truncated");
      break;
    }
    out.entries.push_back(std::move(x));
    pos += 12 + std::size_t{body_size};
    ++i;
  }
}

}  // namespace

ShimCache decode_shimcache(Bytes value) {
  ShimCache out;
  ByteReader r(value);
  auto magic = r.u32(0);
  if (!magic) {
    out.problems.push_back("value too short for a header");
    return out;
  }
  if (*magic == kXpMagic) {
    decode_xp(r, out);
  } else if (*magic == kVistaMagic) {
    decode_vista_7(r, out, false);
  } else if (*magic == kWin7Magic) {
    decode_vista_7(r, out, true);
  } else if (r.starts_with(128, "00ts")) {
    // Windows 8.0 / 2012: 128-byte header whose first field is not a reliable magic
    // (0x80 on most systems, 0 in EZ's Win80.bin).
    out.format = "8.0";
    decode_signed_entries(r, out, 128, 80);
  } else if (r.starts_with(128, "10ts") && *magic != 0x30 && *magic != 0x34) {
    out.format = "8.1";
    decode_signed_entries(r, out, 128, 81);
  } else if ((*magic == 0x30 || *magic == 0x34) && r.starts_with(*magic, "10ts")) {
    // The header grew from 0x30 to 0x34 bytes with Windows 10 1703 (Creators Update).
    out.format = *magic == 0x30 ? "10" : "10-creators";
    // The entry count is the header's third-last field (0x24 or 0x28).
    out.declared_count = r.u32(*magic - 12);
    decode_signed_entries(r, out, *magic, 10);
  } else {
    out.problems.push_back("unknown header (first 4 bytes 0x" + [&] {
      char b[9];
      std::snprintf(b, sizeof b, "%08X", *magic);
      return std::string(b);
    }() + ")");
  }
  return out;
}

}  // namespace kk::registry
