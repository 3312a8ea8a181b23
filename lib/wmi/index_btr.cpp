#include "wmi/index_btr.hpp"

#include <charconv>
#include <cstring>

#include "core/byte_reader.hpp"
#include "wmi/object_store.hpp"

namespace kk::wmi {

namespace {

constexpr std::uint32_t kActivePage = 0xACCC;
// A key is a short path (namespace, class, instance, a few reference parts).
constexpr std::uint16_t kMaxParts = 32;
// Keys share their parts (every key of a page names its namespace): a real page's keys
// add up to a few tens of KiB of text; a crafted page repeating its longest string in
// every part of every key is refused instead of copied hundreds of MiB.
constexpr std::size_t kMaxKeyText = 1 << 20;

bool is_hash(std::string_view s) {
  if (s.size() != 32 && s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

// "PREFIX_<hash>" → the hash, or "" when PART is not one.
std::string_view hash_part(std::string_view part, std::string_view prefix) {
  if (part.size() <= prefix.size() + 1 || part.substr(0, prefix.size()) != prefix ||
      part[prefix.size()] != '_')
    return {};
  std::string_view h = part.substr(prefix.size() + 1);
  return is_hash(h) ? h : std::string_view{};
}

bool parse_u32(std::string_view s, std::uint32_t& v) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::optional<std::vector<std::vector<std::string>>> read_index_page(
    std::span<const std::uint8_t> page) {
  ByteReader r(page.data(), std::min(page.size(), kPageSize));
  ByteCursor c(r);
  if (c.u32() != kActivePage) return std::nullopt;
  c.skip(12);  // logical page, zero, root page (XP)
  std::uint32_t n = c.u32();
  // Record count, unknown dwords, children (n + 1), key numbers: within the page.
  if (!c.ok() || n == 0 || std::uint64_t(n) * 10 + 4 > kPageSize) return std::nullopt;
  c.skip(4 * std::size_t(n) + 4 * (std::size_t(n) + 1));
  std::vector<std::uint16_t> key_numbers(n);
  for (auto& k : key_numbers) k = c.u16();
  std::uint16_t lists_size = c.u16();
  std::size_t lists_at = c.pos();
  c.skip(2 * std::size_t(lists_size));
  std::uint16_t strings_size = c.u16();
  std::size_t strings_at = c.pos();
  c.skip(2 * (std::size_t(strings_size) + 1));
  if (!c.ok()) return std::nullopt;
  const std::size_t data_at = c.pos();
  auto list_item = [&](std::size_t i) { return *r.u16(lists_at + 2 * i); };
  auto string_at = [&](std::uint16_t i, std::string& out) {
    if (i > strings_size) return false;
    std::size_t off = data_at + *r.u16(strings_at + 2 * std::size_t(i));
    if (off >= r.size()) return false;
    const auto* b = r.data() + off;
    const auto* e = static_cast<const std::uint8_t*>(std::memchr(b, 0, r.size() - off));
    if (!e) return false;
    out.assign(reinterpret_cast<const char*>(b), std::size_t(e - b));
    return true;
  };
  std::vector<std::vector<std::string>> keys;
  keys.reserve(n);
  std::size_t text = 0;
  for (std::uint16_t k : key_numbers) {
    if (k >= lists_size) return std::nullopt;
    std::uint16_t parts = list_item(k);
    if (parts == 0 || parts > kMaxParts || std::size_t(k) + 1 + parts > lists_size)
      return std::nullopt;
    std::vector<std::string> key(parts);
    for (std::uint16_t i = 0; i < parts; ++i) {
      if (!string_at(list_item(std::size_t(k) + 1 + i), key[i])) return std::nullopt;
      text += key[i].size();
      if (text > kMaxKeyText) return std::nullopt;
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

std::optional<InstanceKey> instance_key(const std::vector<std::string>& parts) {
  if (parts.size() != 3) return std::nullopt;
  InstanceKey key;
  key.ns_hash = hash_part(parts[0], "NS");
  key.class_hash = hash_part(parts[1], "CI");
  // "IL_<hash>.<page>.<record id>.<size>"
  std::string_view last = parts[2];
  std::uint32_t* numbers[] = {&key.page, &key.record_id, &key.size};
  for (int i = 2; i >= 0; --i) {
    auto dot = last.rfind('.');
    if (dot == std::string_view::npos || !parse_u32(last.substr(dot + 1), *numbers[i]))
      return std::nullopt;
    last = last.substr(0, dot);
  }
  key.key_hash = hash_part(last, "IL");
  if (key.ns_hash.empty() || key.class_hash.empty() || key.key_hash.empty()) return std::nullopt;
  return key;
}

IndexKeys read_index(std::span<const std::uint8_t> file, const PageMap* map) {
  IndexKeys out;
  out.pages = file.size() / kPageSize;
  auto read_page = [&](std::uint64_t phys, bool mapped) {
    auto keys = read_index_page(file.subspan(phys * kPageSize, kPageSize));
    if (!keys) {
      // Admin (0xADDD) and deleted (0xBADD) pages hold no keys; only damage counts.
      std::uint32_t sig = ByteReader(file.data(), file.size()).u32(phys * kPageSize).value_or(0);
      if (mapped && sig != 0xADDD && sig != 0xBADD) ++out.bad_pages;
      return;
    }
    ++out.pages_read;
    out.keys += keys->size();
    for (const auto& k : *keys)
      if (auto ik = instance_key(k)) out.instances.push_back(std::move(*ik));
  };
  if (map) {
    std::vector<std::uint8_t> seen(out.pages, 0);  // a damaged map may repeat a page
    for (std::uint32_t phys : map->physical)
      if (phys != kNoPage && phys < out.pages && !seen[phys]) {
        seen[phys] = 1;
        read_page(phys, true);
      }
  } else {
    for (std::uint64_t p = 0; p < out.pages; ++p) read_page(p, false);
  }
  return out;
}

}  // namespace kk::wmi
