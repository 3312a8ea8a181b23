// OBJECTS.DATA: 8 KiB pages; a data page starts with its table of contents (16-byte
// entries: record id, offset in the page, size, CRC-32; an all-zero entry ends it). An
// object larger than the rest of its page continues on the following logical pages,
// whole pages of data without a table. Objects are read through the page map; pages the
// map does not reference (freed, or the map is lost) are carved for whole objects.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/diagnostics.hpp"
#include "wmi/mapping.hpp"

namespace kk::wmi {

inline constexpr std::size_t kPageSize = 0x2000;

struct StoredObject {
  std::span<const std::uint8_t> bytes;  // in the file, or in `assembled` when it spans pages
  std::vector<std::uint8_t> assembled;
  std::uint32_t logical_page = kNoPage;  // kNoPage for a carved page the map does not reference
  std::uint32_t physical_page = 0;
  std::uint32_t record_id = 0;
  std::uint64_t file_offset = 0;  // of the object's first byte
  bool recovered = false;         // from a page the current map does not reference
  bool truncated = false;         // its continuation pages are missing
};

struct WalkCounts {
  std::uint64_t pages = 0, mapped_pages = 0, carved_pages = 0, objects = 0, bad_tables = 0;
  std::uint64_t over_budget = 0;  // spanning objects not assembled (copy budget spent)
};

// Calls VISIT for every object. MAP may be null (no usable mapping): every page is carved.
WalkCounts walk_objects(std::span<const std::uint8_t> data, const PageMap* map, bool recover,
                        const std::string& source, Diagnostics& diag,
                        const std::function<void(const StoredObject&)>& visit);

}  // namespace kk::wmi
