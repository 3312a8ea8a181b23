// A registry hive as an in-memory view: base block, hive bins and cells, with
// key nodes (nk), subkey lists (lf/lh/li/ri), values (vk) and big data (db).
// See the "Windows NT Registry File (REGF)" format documentation.
//
// Everything is bounds-checked: a damaged bin, cell or list is reported to
// Diagnostics (file + offset) and skipped; reading never throws.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/ascii_case.hpp"  // iequals: registry names compare ASCII case-insensitively
#include "core/byte_reader.hpp"
#include "core/diagnostics.hpp"
#include "core/mapped_file.hpp"
#include "core/time.hpp"
#include "registry/base_block.hpp"

namespace kk::registry {

// Cell offsets are relative to the hive bins data; 0xFFFFFFFF means "none".
inline constexpr std::uint32_t kNoCell = 0xFFFFFFFFu;

// Key node (nk) flags.
inline constexpr std::uint16_t kKeyHiveEntry = 0x0004;  // root key
inline constexpr std::uint16_t kKeyCompName = 0x0020;   // name stored as 8-bit characters

struct KeyNode {
  std::uint32_t offset = kNoCell;  // of the nk cell
  std::uint16_t flags = 0;
  std::uint64_t last_written = 0;  // FILETIME
  std::uint32_t parent = kNoCell;
  std::uint32_t subkey_count = 0;
  std::uint32_t subkey_list = kNoCell;
  std::uint32_t value_count = 0;
  std::uint32_t value_list = kNoCell;
  std::uint32_t security = kNoCell;
  std::uint32_t class_name = kNoCell;
  std::uint16_t class_name_length = 0;
  std::string name;

  std::optional<UtcMicros> last_write() const { return from_filetime(last_written); }
};

struct ValueCell {
  std::uint32_t offset = kNoCell;  // of the vk cell
  std::string name;                // empty: the key's default value
  std::uint32_t type = 0;
  std::uint32_t data_size = 0;  // without the "stored inline" bit
  std::uint32_t data_offset = kNoCell;
  bool inline_data = false;  // data (<= 4 bytes) lives in the data-offset field itself
};

struct HiveBin {
  std::uint32_t start = 0, end = 0;  // relative to the hive bins data
};

class Hive {
 public:
  // A hive over BYTES (a whole primary file, possibly a replayed copy) that the Hive keeps.
  // FILE names the evidence in diagnostics. Returns nullptr (after diag.unreadable) when the
  // bytes are not a registry hive at all.
  static std::unique_ptr<Hive> from_bytes(std::vector<std::uint8_t> bytes, std::string file,
                                          Diagnostics& diag);
  // The same over a read-only mapping of the evidence file (zero copy).
  static std::unique_ptr<Hive> from_mapping(MappedFile file, std::string name, Diagnostics& diag);

  const BaseBlock& base_block() const { return base_; }
  const std::string& file() const { return file_; }
  Diagnostics& diag() const { return *diag_; }
  const std::vector<HiveBin>& bins() const { return bins_; }
  ByteReader bytes() const { return ByteReader(data_); }

  // Cell data (after the 4-byte size) at OFFSET, or nullopt when the offset or size is invalid.
  std::optional<Bytes> cell(std::uint32_t offset) const;
  // Same, reporting why when it is invalid (WHAT names the referring structure).
  std::optional<Bytes> cell_or_warn(std::uint32_t offset, std::string_view what) const;

  std::optional<KeyNode> root() const;
  std::optional<KeyNode> key(std::uint32_t offset) const;
  // Subkeys of KEY, in the order the list holds them (sorted by name in a healthy hive).
  std::vector<KeyNode> subkeys(const KeyNode& key) const;
  std::vector<ValueCell> values(const KeyNode& key) const;
  std::optional<ValueCell> value_cell(std::uint32_t offset) const;

  // Case-insensitive lookup of a backslash-separated path below FROM ("" is FROM itself).
  std::optional<KeyNode> find(const KeyNode& from, std::string_view path) const;
  std::optional<KeyNode> find(std::string_view path) const;
  std::optional<ValueCell> value(const KeyNode& key, std::string_view name) const;

  // The data of V (assembling big-data segments into SCRATCH when needed).
  Bytes value_data(const ValueCell& v, std::vector<std::uint8_t>& scratch) const;
  // Typed accessors: nullopt when the value is missing or has another type.
  std::optional<std::string> string_value(const KeyNode& key, std::string_view name) const;
  std::optional<std::uint64_t> integer_value(const KeyNode& key, std::string_view name) const;
  std::optional<std::vector<std::uint8_t>> binary_value(const KeyNode& key,
                                                        std::string_view name) const;

  // Path of KEY from the root (root's own name excluded), via parent links.
  std::string path_of(const KeyNode& key) const;

  // Reports damage at a hive-bins-relative offset.
  void warn(std::uint32_t offset, std::string_view message) const;
  // While reading deleted (free) cells, damage is expected: reported as info, not warning.
  void set_reading_free_cells(bool on) const { reading_free_cells_ = on; }

 private:
  Hive() = default;
  bool init(Diagnostics& diag);
  void scan_bins();
  const HiveBin* bin_of(std::uint32_t offset) const;
  void collect_subkeys(std::uint32_t list, int depth, std::vector<std::uint32_t>& out) const;

  MappedFile mapped_;
  std::vector<std::uint8_t> owned_;
  Bytes data_;       // whole file
  Bytes hive_bins_;  // data_ from the first hive bin on
  std::string file_;
  Diagnostics* diag_ = nullptr;
  BaseBlock base_;
  std::vector<HiveBin> bins_;
  // Offsets already reported: the same damage is reached by several plugins. A Hive is used
  // by one thread at a time.
  mutable std::unordered_set<std::uint32_t> warned_;
  mutable bool reading_free_cells_ = false;
};

}  // namespace kk::registry
