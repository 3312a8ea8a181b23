// Private: one MFT entry decoded with its extension records merged, ready to render.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ntfs/attributes.hpp"
#include "ntfs/mft.hpp"

namespace kk::ntfs {

struct DataStream {
  std::string name;  // UTF-8; empty for the unnamed (default) stream
  std::uint64_t size = 0;
  bool resident = false;
  std::string resident_text;  // Zone.Identifier content when resident
};

struct MftEntry {
  std::uint64_t entry = 0;
  std::uint16_t sequence = 0;
  std::uint16_t link_count = 0;
  bool in_use = false, is_dir = false;
  bool fixup_ok = true;
  std::optional<StandardInformation> si;
  std::vector<FileName> names;
  std::vector<DataStream> streams;  // every $DATA, the unnamed one included
  std::vector<std::uint32_t> extension_entries;
  std::optional<FileReference> extension_of;  // an extension record whose base is not in the file
};

// Problems met while decoding one entry, reported in entry order by the caller.
struct EntryIssue {
  std::uint64_t offset;
  std::string message;
};

// Index of the preferred $FILE_NAME (Win32 or Win32&DOS, then POSIX, then DOS), or -1.
int preferred_name(const std::vector<FileName>& names);

// Renders E as one JSONL or CSV line appended to OUT; returns false when filtered out.
bool render_mft_entry(const MftEntry& e, const PathTable& paths, const MftOptions& opts,
                      std::string& out);

// True when $STANDARD_INFORMATION looks back-dated: its creation time precedes the
// $FILE_NAME creation time, or it has no sub-second part while $FILE_NAME has one.
bool timestomp_suspect(const MftEntry& e);

}  // namespace kk::ntfs
