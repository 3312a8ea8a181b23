// MAPPING1.MAP … MAPPING3.MAP: the logical → physical page map of OBJECTS.DATA (the
// first map in each file; INDEX.BTR's follows, in the same layout). Windows writes the three in
// turn: the current one has the highest sequence number and both signatures intact. Layouts as the
// flare-wmi / dissect.cim documentation describes them: Vista+ header of 6 dwords and
// 24-byte entries, XP header of 4 dwords and 4-byte entries; start 0xABCD, end 0xDCBA.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kk::wmi {

inline constexpr std::uint32_t kNoPage = 0xFFFFFFFFu;

struct PageMap {
  bool xp = false;
  std::uint32_t sequence = 0;
  std::uint32_t physical_pages = 0;
  std::vector<std::uint32_t> physical;  // by logical page; kNoPage when unmapped
};

// The objects map of one MAPPING file, or nullopt (with *why) when it is not valid.
std::optional<PageMap> read_page_map(std::span<const std::uint8_t> file, std::string* why);

// The INDEX.BTR map that follows the objects map in the same MAPPING file, or nullopt
// (with *why).
std::optional<PageMap> read_index_map(std::span<const std::uint8_t> file, std::string* why);

}  // namespace kk::wmi
