#include "wmi/class_definition.hpp"

#include <algorithm>

#include "core/ascii_case.hpp"
#include "core/utf.hpp"
#include "wmi/cim_data.hpp"

namespace kk::wmi {

namespace {
bool printable_utf16(Bytes b) {
  for (std::size_t i = 0; i + 1 < b.size(); i += 2)
    if (b[i + 1] != 0 || b[i] < 0x20 || b[i] > 0x7e) return false;
  return true;
}
}  // namespace

std::optional<ClassDefinition> parse_class_definition(Bytes bytes) {
  ByteReader r(bytes);
  auto super_len = r.u32(0);
  if (!super_len || *super_len > 256) return std::nullopt;
  std::size_t pos = 4;
  auto super = r.span(pos, std::size_t(*super_len) * 2);
  if (!super || !printable_utf16(*super)) return std::nullopt;
  ClassDefinition def;
  def.super_name = utf16le_to_utf8(*super);
  pos += super->size();
  auto ts = r.u64(pos);
  auto class_name_offset = r.u32(pos + 13);
  auto defaults_size = r.u32(pos + 17);
  auto name_record = r.u32(pos + 21);
  if (!ts || !class_name_offset || !defaults_size || !name_record || *name_record < 4)
    return std::nullopt;
  def.timestamp = from_filetime(*ts);
  // Written by a Windows of 1995–2100: a stricter test than the FILETIME itself.
  if (!def.timestamp || *def.timestamp < 788918400LL * 1000000 ||
      *def.timestamp > 4102444800LL * 1000000)
    return std::nullopt;
  pos += 21 + std::size_t(*name_record);
  auto qualifiers = r.u32(pos);  // the qualifier set's length includes its own 4 bytes
  if (!qualifiers || *qualifiers < 4) return std::nullopt;
  pos += *qualifiers;
  auto count = r.u32(pos);
  if (!count || *count > 4096 || !r.has(pos + 4, std::size_t(*count) * 8)) return std::nullopt;
  std::size_t refs = pos + 4;
  pos = refs + std::size_t(*count) * 8 + *defaults_size;
  auto heap_size = r.u32(pos);
  if (!heap_size) return std::nullopt;
  DataRegion heap(r.clamp(pos + 4, *heap_size & 0x7FFFFFFF));
  ByteReader heap_bytes = r.clamp(pos + 4, *heap_size & 0x7FFFFFFF);
  auto name = heap.string_at(*class_name_offset);
  if (!name || name->empty()) return std::nullopt;
  def.name = *name;
  for (std::uint32_t i = 0; i < *count; ++i) {
    std::uint32_t name_off = *r.u32(refs + i * 8), prop_off = *r.u32(refs + i * 8 + 4);
    PropertyDefinition p;
    // A built-in property is named by number; it still has its slot in instances.
    auto pname = (name_off & 0x80000000u)
                     ? std::optional<std::string>("builtin_" + std::to_string(name_off & 0xFFFF))
                     : heap.string_at(name_off);
    auto type = heap_bytes.u8(prop_off);
    auto array = heap_bytes.u8(prop_off + 1);
    auto index = heap_bytes.u16(prop_off + 4);
    auto offset = heap_bytes.u32(prop_off + 6);
    auto level = heap_bytes.u32(prop_off + 10);
    if (!pname || !type || !index || !offset || !level) return std::nullopt;
    p.name = *pname;
    p.type = *type;
    p.array = (*array & kArrayFlag) != 0;
    p.index = *index;
    p.offset = *offset;
    p.level = *level;
    def.properties.push_back(std::move(p));
  }
  return def;
}

std::optional<ClassLayout> layout_of(const ClassIndex& classes, const std::string& name,
                                     std::string* missing) {
  std::vector<const ClassDefinition*> chain;
  std::string next = name;
  for (int depth = 0; !next.empty() && depth < 32; ++depth) {
    auto it = classes.find(ascii_lower(next));
    if (it == classes.end()) {
      *missing = next;
      return std::nullopt;
    }
    chain.push_back(&it->second);
    next = it->second.super_name;
  }
  ClassLayout layout;
  layout.name = name;
  std::map<std::string, PropertyDefinition> merged;  // a subclass may redeclare a property
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    for (const auto& p : (*it)->properties) merged[p.name] = p;
  for (auto& [n, p] : merged) layout.properties.push_back(p);
  std::sort(layout.properties.begin(), layout.properties.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  return layout;
}

}  // namespace kk::wmi
