// ESE file header; see file_header.hpp. Offsets: libesedb's format document,
// "(Database) file header" (DBFILEHDR).
#include "ese/file_header.hpp"

#include <array>

namespace kk::ese {

namespace {

bool usable_page_size(std::uint32_t s) {
  return s == 2048 || s == 4096 || s == 8192 || s == 16384 || s == 32768;
}

std::optional<FileHeader> parse_at(ByteReader f, std::size_t base) {
  if (f.u32(base + 4) != kFileSignature) return std::nullopt;
  FileHeader h;
  h.format_version = f.u32(base + 8).value_or(0);
  h.file_type = f.u32(base + 12).value_or(0);
  h.database_time = f.u64(base + 16).value_or(0);
  h.state = f.u32(base + 52).value_or(0);
  h.os_major = f.u32(base + 216).value_or(0);
  h.os_minor = f.u32(base + 220).value_or(0);
  h.os_build = f.u32(base + 224).value_or(0);
  h.format_revision = f.u32(base + 232).value_or(0);
  h.page_size = f.u32(base + 236).value_or(0);
  if (h.page_size == 0) h.page_size = 4096;  // old engines leave it 0 for 4 KiB
  if (!usable_page_size(h.page_size)) return std::nullopt;
  return h;
}

}  // namespace

Result<FileHeader> read_file_header(Bytes file) {
  ByteReader f(file);
  if (f.size() < 668) {
    return Result<FileHeader>::fail(
        "file of " + std::to_string(f.size()) + " bytes is too small for an ESE database header",
        0);
  }
  if (auto h = parse_at(f, 0)) return *h;
  // The shadow header starts the second page; the page size is not known yet.
  for (std::size_t size : std::array<std::size_t, 5>{4096, 8192, 16384, 32768, 2048}) {
    if (auto h = parse_at(f, size); h && h->page_size == size) {
      h->from_shadow = true;
      return *h;
    }
  }
  if (f.u32(4) == kFileSignature) {
    return Result<FileHeader>::fail(
        "ESE header with an unusable page size " + std::to_string(f.u32(236).value_or(0)), 236);
  }
  return Result<FileHeader>::fail("not an ESE database (no 0x89ABCDEF signature at offset 4)", 4);
}

std::string_view FileHeader::state_name() const {
  switch (static_cast<DbState>(state)) {
    case DbState::kJustCreated:
      return "just_created";
    case DbState::kDirtyShutdown:
      return "dirty_shutdown";
    case DbState::kCleanShutdown:
      return "clean_shutdown";
    case DbState::kBeingConverted:
      return "being_converted";
    case DbState::kForceDetach:
      return "force_detach";
  }
  return "unknown";
}

}  // namespace kk::ese
