#include "wmi/object_store.hpp"

#include <algorithm>

#include "core/byte_reader.hpp"

namespace kk::wmi {

namespace {

struct TocEntry {
  std::uint32_t record_id, offset, size;
};

// The page's table of contents, or nullopt when it does not look like one (a
// continuation page, a free page, damage).
std::optional<std::vector<TocEntry>> read_toc(ByteReader page) {
  std::vector<TocEntry> toc;
  for (std::size_t at = 0; at + 16 <= kPageSize; at += 16) {
    std::uint32_t id = *page.u32(at), off = *page.u32(at + 4), size = *page.u32(at + 8),
                  crc = *page.u32(at + 12);
    if (id == 0 && off == 0 && size == 0 && crc == 0) return toc;  // empty: a freed page
    // Objects follow the table: an offset inside it or past the page is not a table.
    if (off < at + 32 || off >= kPageSize || size == 0 || size > (1u << 26)) return std::nullopt;
    toc.push_back({id, off, size});
  }
  return std::nullopt;
}

}  // namespace

WalkCounts walk_objects(std::span<const std::uint8_t> data, const PageMap* map, bool recover,
                        const std::string& source, Diagnostics& diag,
                        const std::function<void(const StoredObject&)>& visit) {
  WalkCounts c;
  c.pages = data.size() / kPageSize;
  if (data.size() % kPageSize)
    diag.warning(source, c.pages * kPageSize,
                 "file ends with a partial page of " + std::to_string(data.size() % kPageSize) +
                     " bytes, not read");
  ByteReader file(data.data(), data.size());
  std::vector<std::uint8_t> used(c.pages, 0);  // physical pages reached through the map
  // Objects spanning pages are copied together; a crafted table of contents could claim
  // huge objects again and again, so the copying is bounded by a few times the file size.
  std::uint64_t copy_budget = 4 * std::uint64_t(data.size()) + (1u << 26);
  auto page_bytes = [&](std::uint32_t phys) { return file.clamp(phys * kPageSize, kPageSize); };

  // Reads the objects of one page. NEXT(i) gives the physical page holding the i-th
  // continuation page, or kNoPage.
  auto read_page = [&](std::uint32_t logical, std::uint32_t phys, bool recovered,
                       const std::function<std::uint32_t(std::uint32_t)>& next) {
    auto toc = read_toc(page_bytes(phys));
    if (!toc) {
      if (!recovered) ++c.bad_tables;
      return;
    }
    for (const auto& e : *toc) {
      StoredObject o;
      o.logical_page = logical;
      o.physical_page = phys;
      o.record_id = e.record_id;
      o.recovered = recovered;
      o.file_offset = std::uint64_t(phys) * kPageSize + e.offset;
      std::size_t here = std::min<std::size_t>(e.size, kPageSize - e.offset);
      auto first = file.span(o.file_offset, here);
      if (!first) continue;
      if (here == e.size) {
        o.bytes = *first;
      } else {
        if (copy_budget < e.size) {
          ++c.over_budget;
          continue;
        }
        copy_budget -= e.size;
        o.assembled.assign(first->begin(), first->end());
        for (std::uint32_t i = 1; o.assembled.size() < e.size; ++i) {
          std::uint32_t p = next(i);
          if (p == kNoPage || p >= c.pages) {
            o.truncated = true;
            break;
          }
          auto more = page_bytes(p).bytes();
          std::size_t take = std::min<std::size_t>(more.size(), e.size - o.assembled.size());
          o.assembled.insert(o.assembled.end(), more.begin(), more.begin() + take);
        }
        o.bytes = o.assembled;
      }
      ++c.objects;
      visit(o);
    }
  };

  if (map) {
    std::vector<std::uint8_t> is_continuation(map->physical.size(), 0);
    for (std::uint32_t l = 0; l < map->physical.size(); ++l) {
      std::uint32_t phys = map->physical[l];
      if (phys == kNoPage || phys >= c.pages) continue;
      used[phys] = 1;
      if (is_continuation[l]) continue;
      ++c.mapped_pages;
      read_page(l, phys, false, [&](std::uint32_t i) -> std::uint32_t {
        std::uint64_t nl = std::uint64_t(l) + i;
        if (nl >= map->physical.size()) return kNoPage;
        is_continuation[nl] = 1;
        return map->physical[nl];
      });
    }
  }
  if (map && !recover) return c;
  // Carving: pages the map does not reference (all of them without a map), each on its
  // own; an object running past its page continues on the next physical page (a guess
  // that holds for pages written in one go).
  for (std::uint32_t p = 0; p < c.pages; ++p) {
    if (used[p]) continue;
    ++c.carved_pages;
    read_page(map ? kNoPage : p, p, map != nullptr, [&](std::uint32_t i) -> std::uint32_t {
      std::uint64_t np = std::uint64_t(p) + i;
      return np < c.pages && !used[np] ? static_cast<std::uint32_t>(np) : kNoPage;
    });
  }
  return c;
}

}  // namespace kk::wmi
