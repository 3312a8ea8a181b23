#include "registry/hive.hpp"

#include <algorithm>

#include "core/utf.hpp"
#include "core/windows_types.hpp"
#include "registry/value_data.hpp"

namespace kk::registry {

namespace {

constexpr std::size_t kHiveBinHeaderSize = 32;
constexpr std::size_t kKeyNodeFixedSize = 76;       // nk up to the name
constexpr std::size_t kValueFixedSize = 20;         // vk up to the name
constexpr std::uint32_t kBigDataThreshold = 16344;  // larger values use a db record (v1.4+)
constexpr std::uint32_t kMaxValueSize = 64u << 20;  // no legitimate value is this big

std::string decode_name(Bytes b, bool eight_bit) {
  std::string s;
  if (eight_bit)
    append_cp1252(s, b, /*stop_at_nul=*/false);
  else
    append_utf16le(s, b);
  return s;
}

}  // namespace

std::unique_ptr<Hive> Hive::from_bytes(std::vector<std::uint8_t> bytes, std::string file,
                                       Diagnostics& diag) {
  std::unique_ptr<Hive> h(new Hive());
  h->owned_ = std::move(bytes);
  h->data_ = Bytes(h->owned_.data(), h->owned_.size());
  h->file_ = std::move(file);
  if (!h->init(diag)) return nullptr;
  return h;
}

std::unique_ptr<Hive> Hive::from_mapping(MappedFile file, std::string name, Diagnostics& diag) {
  std::unique_ptr<Hive> h(new Hive());
  h->mapped_ = std::move(file);
  h->data_ = h->mapped_.bytes();
  h->file_ = std::move(name);
  if (!h->init(diag)) return nullptr;
  return h;
}

bool Hive::init(Diagnostics& diag) {
  diag_ = &diag;
  auto bb = parse_base_block(ByteReader(data_));
  if (!bb) {
    diag.unreadable(file_, "not a registry hive (no \"regf\" base block)");
    return false;
  }
  base_ = *bb;
  if (!base_.checksum_ok())
    diag.warning(file_, 508,
                 "base block checksum " + format_hex(base_.stored_checksum, 8) + ", expected " +
                     format_hex(base_.computed_checksum, 8) + "; header fields used as they are");
  if (data_.size() <= kHiveBinsStart) {
    diag.unreadable(file_, "registry hive has no hive bins (file is " +
                               std::to_string(data_.size()) + " bytes)");
    return false;
  }
  hive_bins_ = data_.subspan(kHiveBinsStart);
  scan_bins();
  return true;
}

void Hive::warn(std::uint32_t offset, std::string_view message) const {
  if (!warned_.insert(offset).second) return;
  auto sev = reading_free_cells_ ? Severity::kInfo : Severity::kWarning;
  diag_->report(
      sev, file_, static_cast<std::uint64_t>(offset) + kHiveBinsStart,
      reading_free_cells_ ? "deleted data: " + std::string(message) : std::string(message));
}

// Walks the hive bins in file order. A bin whose header is damaged but whose offset and size
// fields still agree with its position is kept (SAMBadHBinHeader: only the signature is
// broken); otherwise the scan resynchronises on the next 4096-byte boundary holding "hbin".
void Hive::scan_bins() {
  ByteReader r(hive_bins_);
  std::size_t limit = r.size();
  if (base_.hive_bins_size != 0 && base_.hive_bins_size < limit && base_.hive_bins_size % 4096 == 0)
    limit = base_.hive_bins_size;  // what follows is slack after the last bin
  else if (base_.hive_bins_size > r.size())
    diag_->warning(file_, 40,
                   "base block says hive bins data is " + std::to_string(base_.hive_bins_size) +
                       " bytes, file holds " + std::to_string(r.size()) + "; reading what exists");
  std::size_t pos = 0;
  while (pos + kHiveBinHeaderSize <= limit) {
    bool sig = r.starts_with(pos, "hbin");
    std::uint32_t off = *r.u32(pos + 4);
    std::uint32_t size = *r.u32(pos + 8);
    bool sane = off == pos && size >= 4096 && size % 4096 == 0 && size <= limit - pos;
    if (sig && sane) {
      bins_.push_back({static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(pos + size)});
      pos += size;
      continue;
    }
    if (!sig && sane) {
      warn(static_cast<std::uint32_t>(pos),
           "hive bin signature is not \"hbin\"; bin kept because "
           "its offset and size fields are consistent");
      bins_.push_back({static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(pos + size)});
      pos += size;
      continue;
    }
    // Unusable header: skip to the next bin that looks right.
    std::size_t next = pos + 4096;
    while (next + kHiveBinHeaderSize <= limit &&
           !(r.starts_with(next, "hbin") && *r.u32(next + 4) == next))
      next += 4096;
    if (!sig && pos > 0 &&
        std::all_of(hive_bins_.begin() + static_cast<std::ptrdiff_t>(pos),
                    hive_bins_.begin() + static_cast<std::ptrdiff_t>(std::min(next, limit)),
                    [](std::uint8_t b) { return b == 0; })) {
      // Zero-filled tail after the last bin (hive bins size not updated): not damage.
      pos = next;
      continue;
    }
    warn(static_cast<std::uint32_t>(pos),
         "damaged hive bin header (signature, offset or size invalid); skipped " +
             std::to_string(std::min(next, limit) - pos) + " bytes");
    pos = next;
  }
}

const HiveBin* Hive::bin_of(std::uint32_t offset) const {
  auto it = std::upper_bound(bins_.begin(), bins_.end(), offset,
                             [](std::uint32_t o, const HiveBin& b) { return o < b.start; });
  if (it == bins_.begin()) return nullptr;
  --it;
  return offset < it->end ? &*it : nullptr;
}

std::optional<Bytes> Hive::cell(std::uint32_t offset) const {
  if (offset == kNoCell || offset % 8 != 0) return std::nullopt;
  const HiveBin* bin = bin_of(offset);
  if (!bin || offset < bin->start + kHiveBinHeaderSize || offset + 4 > bin->end)
    return std::nullopt;
  std::int32_t raw = ByteReader::load<std::int32_t>(hive_bins_.data() + offset);
  // Allocated cells have a negative size; live structures may still point at a cell Windows
  // has marked free in a dirty hive, so both are read (as libregf does).
  std::int64_t size = raw < 0 ? -static_cast<std::int64_t>(raw) : raw;
  if (size < 8 || offset + size > bin->end) return std::nullopt;
  return hive_bins_.subspan(offset + 4, static_cast<std::size_t>(size - 4));
}

std::optional<Bytes> Hive::cell_or_warn(std::uint32_t offset, std::string_view what) const {
  auto c = cell(offset);
  if (!c)
    warn(offset, std::string(what) + ": no valid cell at " + format_hex(offset, 8) + "; skipped");
  return c;
}

std::optional<KeyNode> Hive::key(std::uint32_t offset) const {
  auto c = cell_or_warn(offset, "key node");
  if (!c) return std::nullopt;
  ByteReader r(*c);
  if (!r.starts_with(0, "nk") || r.size() < kKeyNodeFixedSize) {
    warn(offset, "key node: expected \"nk\" signature and at least 76 bytes");
    return std::nullopt;
  }
  KeyNode k;
  k.offset = offset;
  k.flags = *r.u16(2);
  k.last_written = *r.u64(4);
  k.parent = *r.u32(16);
  k.subkey_count = *r.u32(20);
  k.subkey_list = *r.u32(28);
  k.value_count = *r.u32(36);
  k.value_list = *r.u32(40);
  k.security = *r.u32(44);
  k.class_name = *r.u32(48);
  std::uint16_t name_len = *r.u16(72);
  k.class_name_length = *r.u16(74);
  ByteReader name = r.clamp(kKeyNodeFixedSize, name_len);
  if (name.size() < name_len) warn(offset, "key node: name runs past the cell; truncated");
  k.name = decode_name(name.bytes(), (k.flags & kKeyCompName) != 0);
  return k;
}

std::optional<KeyNode> Hive::root() const {
  if (!cell(base_.root_cell)) {
    diag_->warning(
        file_, 36,
        "root cell offset " + format_hex(base_.root_cell, 8) + " does not point at a valid cell");
    return std::nullopt;
  }
  return key(base_.root_cell);
}

// Subkey lists: li (offsets), lf/lh (offset + hint), ri (offsets of further lists).
void Hive::collect_subkeys(std::uint32_t list, int depth, std::vector<std::uint32_t>& out) const {
  auto c = cell_or_warn(list, "subkey list");
  if (!c) return;
  ByteReader r(*c);
  auto count = r.u16(2);
  if (!count || r.size() < 4) {
    warn(list, "subkey list: too short");
    return;
  }
  std::size_t stride;
  bool index_root = false;
  if (r.starts_with(0, "lf") || r.starts_with(0, "lh")) {
    stride = 8;
  } else if (r.starts_with(0, "li")) {
    stride = 4;
  } else if (r.starts_with(0, "ri")) {
    stride = 4;
    index_root = true;
  } else {
    warn(list, "subkey list: unknown signature, expected lf, lh, li or ri");
    return;
  }
  std::size_t n = *count;
  if (4 + n * stride > r.size()) {
    warn(list, "subkey list: " + std::to_string(n) + " elements do not fit the cell; truncated");
    n = (r.size() - 4) / stride;
  }
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t off = *r.u32(4 + i * stride);
    if (!index_root) {
      out.push_back(off);
    } else if (depth == 0) {
      collect_subkeys(off, depth + 1, out);
    } else {
      warn(list, "index root points at another index root; ignored");
    }
  }
}

std::vector<KeyNode> Hive::subkeys(const KeyNode& key) const {
  std::vector<KeyNode> keys;
  if (key.subkey_count == 0 || key.subkey_list == kNoCell) return keys;
  std::vector<std::uint32_t> offsets;
  collect_subkeys(key.subkey_list, 0, offsets);
  keys.reserve(offsets.size());
  for (std::uint32_t off : offsets) {
    if (off == key.offset) {
      warn(key.offset, "key lists itself as a subkey; ignored");
      continue;
    }
    if (auto k = this->key(off)) keys.push_back(std::move(*k));
  }
  return keys;
}

std::optional<ValueCell> Hive::value_cell(std::uint32_t offset) const {
  auto c = cell_or_warn(offset, "value");
  if (!c) return std::nullopt;
  ByteReader r(*c);
  if (!r.starts_with(0, "vk") || r.size() < kValueFixedSize) {
    warn(offset, "value: expected \"vk\" signature and at least 20 bytes");
    return std::nullopt;
  }
  ValueCell v;
  v.offset = offset;
  std::uint16_t name_len = *r.u16(2);
  std::uint32_t size = *r.u32(4);
  v.inline_data = (size & 0x80000000u) != 0;
  v.data_size = size & 0x7FFFFFFFu;
  v.data_offset = *r.u32(8);
  v.type = *r.u32(12);
  std::uint16_t flags = *r.u16(16);
  ByteReader name = r.clamp(kValueFixedSize, name_len);
  if (name.size() < name_len) warn(offset, "value: name runs past the cell; truncated");
  v.name = decode_name(name.bytes(), (flags & 0x0001) != 0);
  return v;
}

std::vector<ValueCell> Hive::values(const KeyNode& key) const {
  std::vector<ValueCell> out;
  if (key.value_count == 0 || key.value_list == kNoCell) return out;
  auto c = cell_or_warn(key.value_list, "value list of key \"" + key.name + "\"");
  if (!c) return out;
  std::size_t n = key.value_count;
  if (n * 4 > c->size()) {
    warn(key.value_list, "value list: " + std::to_string(n) +
                             " entries do not fit the cell; "
                             "truncated");
    n = c->size() / 4;
  }
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t off = ByteReader::load<std::uint32_t>(c->data() + i * 4);
    if (auto v = value_cell(off)) out.push_back(std::move(*v));
  }
  return out;
}

Bytes Hive::value_data(const ValueCell& v, std::vector<std::uint8_t>& scratch) const {
  if (v.data_size == 0) return {};
  if (v.inline_data) {
    auto c = cell(v.offset);  // the data lives in the vk cell's data-offset field (offset 8)
    if (!c) return {};
    return c->subspan(8, std::min<std::size_t>(v.data_size, 4));
  }
  // A value cannot hold more bytes than the hive has (and no real value is near 64 MiB).
  if (v.data_size > kMaxValueSize || v.data_size > hive_bins_.size()) {
    warn(v.offset, "value \"" + v.name + "\": data size " + std::to_string(v.data_size) +
                       " is implausible; data skipped");
    return {};
  }
  auto c = cell_or_warn(v.data_offset, "data of value \"" + v.name + "\"");
  if (!c) return {};
  ByteReader r(*c);
  // Big data: a "db" record listing segments of up to 16344 bytes (hive version 1.4 and later).
  if (v.data_size > kBigDataThreshold && base_.minor_version >= 4 && r.starts_with(0, "db")) {
    std::uint16_t segments = *r.u16(2);
    auto list = cell_or_warn(*r.u32(4), "big data segment list");
    if (!list) return {};
    scratch.clear();
    scratch.reserve(v.data_size);
    std::size_t n = std::min<std::size_t>(segments, list->size() / 4);
    for (std::size_t i = 0; i < n && scratch.size() < v.data_size; ++i) {
      std::uint32_t seg_off = ByteReader::load<std::uint32_t>(list->data() + i * 4);
      auto seg = cell_or_warn(seg_off, "big data segment");
      if (!seg) break;
      std::size_t take =
          std::min<std::size_t>({seg->size(), kBigDataThreshold, v.data_size - scratch.size()});
      scratch.insert(scratch.end(), seg->begin(), seg->begin() + static_cast<std::ptrdiff_t>(take));
    }
    if (scratch.size() < v.data_size)
      warn(v.offset, "value \"" + v.name + "\": big data holds " + std::to_string(scratch.size()) +
                         " of " + std::to_string(v.data_size) + " bytes; truncated");
    return Bytes(scratch.data(), scratch.size());
  }
  if (c->size() < v.data_size) {
    warn(v.data_offset, "value \"" + v.name + "\": data cell holds " + std::to_string(c->size()) +
                            " of " + std::to_string(v.data_size) + " bytes; truncated");
    return *c;
  }
  return c->subspan(0, v.data_size);
}

std::optional<KeyNode> Hive::find(const KeyNode& from, std::string_view path) const {
  KeyNode cur = from;
  while (!path.empty()) {
    std::size_t sep = path.find('\\');
    std::string_view part = path.substr(0, sep);
    path = sep == std::string_view::npos ? std::string_view{} : path.substr(sep + 1);
    if (part.empty()) continue;
    bool found = false;
    for (auto& k : subkeys(cur)) {
      if (iequals(k.name, part)) {
        cur = std::move(k);
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
  }
  return cur;
}

std::optional<KeyNode> Hive::find(std::string_view path) const {
  auto r = root();
  if (!r) return std::nullopt;
  return find(*r, path);
}

std::optional<ValueCell> Hive::value(const KeyNode& key, std::string_view name) const {
  for (auto& v : values(key))
    if (iequals(v.name, name)) return v;
  return std::nullopt;
}

std::optional<std::string> Hive::string_value(const KeyNode& key, std::string_view name) const {
  auto v = value(key, name);
  if (!v) return std::nullopt;
  std::vector<std::uint8_t> scratch;
  return value_as_string(value_data(*v, scratch), v->type);
}

std::optional<std::uint64_t> Hive::integer_value(const KeyNode& key, std::string_view name) const {
  auto v = value(key, name);
  if (!v) return std::nullopt;
  std::vector<std::uint8_t> scratch;
  return value_as_integer(value_data(*v, scratch), v->type);
}

std::optional<std::vector<std::uint8_t>> Hive::binary_value(const KeyNode& key,
                                                            std::string_view name) const {
  auto v = value(key, name);
  if (!v) return std::nullopt;
  std::vector<std::uint8_t> scratch;
  Bytes b = value_data(*v, scratch);
  return std::vector<std::uint8_t>(b.begin(), b.end());
}

std::string Hive::path_of(const KeyNode& key) const {
  std::vector<std::string> parts;
  KeyNode cur = key;
  // Depth bound: a parent loop in a damaged hive must not hang.
  for (int depth = 0; depth < 512; ++depth) {
    if (cur.flags & kKeyHiveEntry || cur.offset == base_.root_cell) break;
    parts.push_back(cur.name);
    auto c = cell(cur.parent);
    if (!c || c->size() < 76 || !ByteReader(*c).starts_with(0, "nk")) break;
    auto p = this->key(cur.parent);
    if (!p) break;
    cur = std::move(*p);
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty()) out.push_back('\\');
    out += *it;
  }
  return out;
}

}  // namespace kk::registry
