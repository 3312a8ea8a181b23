#include "ntfs/file_attributes.hpp"

#include <array>
#include <utility>

namespace kk::ntfs {

namespace {
constexpr std::array<std::pair<std::uint32_t, std::string_view>, 24> kNames{{
    {0x00000001, "READONLY"},
    {0x00000002, "HIDDEN"},
    {0x00000004, "SYSTEM"},
    {0x00000010, "DIRECTORY"},
    {0x00000020, "ARCHIVE"},
    {0x00000040, "DEVICE"},
    {0x00000080, "NORMAL"},
    {0x00000100, "TEMPORARY"},
    {0x00000200, "SPARSE_FILE"},
    {0x00000400, "REPARSE_POINT"},
    {0x00000800, "COMPRESSED"},
    {0x00001000, "OFFLINE"},
    {0x00002000, "NOT_CONTENT_INDEXED"},
    {0x00004000, "ENCRYPTED"},
    {0x00008000, "INTEGRITY_STREAM"},
    {0x00010000, "VIRTUAL"},
    {0x00020000, "NO_SCRUB_DATA"},
    {0x00040000, "RECALL_ON_OPEN"},
    {0x00080000, "PINNED"},
    {0x00100000, "UNPINNED"},
    {0x00400000, "RECALL_ON_DATA_ACCESS"},
    // NTFS-internal bits seen in $FILE_NAME and $STANDARD_INFORMATION.
    {0x10000000, "DIRECTORY_INDEX"},
    {0x20000000, "VIEW_INDEX"},
    {0x00000008, "VOLUME_LABEL"},
}};
// Unknown bits, one string per bit position, so the result can hold string_views.
constexpr std::array<std::string_view, 32> kBits{
    "0x1",        "0x2",        "0x4",        "0x8",       "0x10",      "0x20",      "0x40",
    "0x80",       "0x100",      "0x200",      "0x400",     "0x800",     "0x1000",    "0x2000",
    "0x4000",     "0x8000",     "0x10000",    "0x20000",   "0x40000",   "0x80000",   "0x100000",
    "0x200000",   "0x400000",   "0x800000",   "0x1000000", "0x2000000", "0x4000000", "0x8000000",
    "0x10000000", "0x20000000", "0x40000000", "0x80000000"};
}  // namespace

std::vector<std::string_view> file_attribute_names(std::uint32_t flags) {
  std::vector<std::string_view> out;
  for (unsigned bit = 0; bit < 32; ++bit) {
    const std::uint32_t m = 1u << bit;
    if (!(flags & m)) continue;
    std::string_view name = kBits[bit];
    for (const auto& [v, n] : kNames)
      if (v == m) name = n;
    out.push_back(name);
  }
  return out;
}

}  // namespace kk::ntfs
