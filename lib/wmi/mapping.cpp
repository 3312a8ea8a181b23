#include "wmi/mapping.hpp"

#include "core/byte_reader.hpp"

namespace kk::wmi {

namespace {
constexpr std::uint32_t kStart = 0xABCD, kEnd = 0xDCBA;
// Entries keep flags in the top two bits of the page number.
constexpr std::uint32_t kPageMask = 0x3FFFFFFF;

// The map at the start of R; *END gets the offset just past its end signature.
std::optional<PageMap> read_layout(ByteReader r, bool xp, std::string* why, std::size_t* end_out) {
  const std::size_t header = xp ? 16 : 24, entry = xp ? 4 : 24;
  PageMap m;
  m.xp = xp;
  m.sequence = r.u32(4).value_or(0);
  auto phys = r.u32(xp ? 8 : 16);
  auto count = r.u32(xp ? 12 : 20);
  if (!phys || !count) {
    *why = "header cut short";
    return std::nullopt;
  }
  std::uint64_t free_at = header + std::uint64_t(*count) * entry;
  auto free_count = r.u32(free_at);
  if (!free_count) {
    *why = "entry count " + std::to_string(*count) + " runs past the end of the file";
    return std::nullopt;
  }
  std::uint64_t end_at = free_at + 4 + std::uint64_t(*free_count) * 4;
  auto end = r.u32(end_at);
  if (!end || *end != kEnd) {
    *why = "no end signature 0xDCBA after " + std::to_string(*count) + " entries";
    return std::nullopt;
  }
  *end_out = end_at + 4;
  m.physical_pages = *phys;
  m.physical.reserve(*count);
  for (std::uint32_t i = 0; i < *count; ++i) {
    std::uint32_t p = r.u32(header + std::uint64_t(i) * entry).value_or(kNoPage);
    m.physical.push_back(p == kNoPage                   ? kNoPage
                         : (p & kPageMask) == kPageMask ? kNoPage
                                                        : p & kPageMask);
  }
  return m;
}

// The map starting at R's first byte, Vista+ layout tried first.
std::optional<PageMap> read_map_at(ByteReader r, std::string* why, std::size_t* end) {
  auto sig = r.u32(0);
  if (!sig || *sig != kStart) {
    *why = r.size() == 0 ? "empty file" : "no start signature 0xABCD";
    return std::nullopt;
  }
  std::string vista_why, xp_why;
  if (auto m = read_layout(r, false, &vista_why, end)) return m;
  if (auto m = read_layout(r, true, &xp_why, end)) return m;
  *why = vista_why;
  return std::nullopt;
}
}  // namespace

std::optional<PageMap> read_page_map(std::span<const std::uint8_t> file, std::string* why) {
  std::size_t end = 0;
  return read_map_at(ByteReader(file.data(), file.size()), why, &end);
}

std::optional<PageMap> read_index_map(std::span<const std::uint8_t> file, std::string* why) {
  ByteReader r(file.data(), file.size());
  std::size_t end = 0;
  auto objects = read_map_at(r, why, &end);
  if (!objects) return std::nullopt;
  auto index = read_map_at(r.clamp(end, r.size()), why, &end);
  if (index && index->xp != objects->xp) {
    *why = "the index map's layout differs from the objects map's";
    return std::nullopt;
  }
  if (!index) *why = "index map: " + *why;
  return index;
}

}  // namespace kk::wmi
