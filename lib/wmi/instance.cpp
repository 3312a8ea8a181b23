#include "wmi/instance.hpp"

#include "core/hash.hpp"
#include "wmi/cim_data.hpp"

namespace kk::wmi {

std::string instance_class_hash(Bytes bytes, bool xp) {
  const std::size_t digits = xp ? 32 : 64;
  if (bytes.size() < digits * 2) return {};
  std::string h;
  h.reserve(digits);
  for (std::size_t i = 0; i < digits; ++i) {
    std::uint8_t c = bytes[2 * i], hi = bytes[2 * i + 1];
    if (hi != 0 || !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return {};
    h.push_back(static_cast<char>(c));
  }
  return h;
}

std::string class_name_hash(std::string_view name, bool xp) {
  std::string utf16;
  for (char c : name) {
    char u = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    utf16.push_back(u);
    utf16.push_back('\0');
  }
  Hasher h(xp ? HashSet{}.with(HashAlgorithm::kMd5) : HashSet::sha256_only());
  h.update(std::span(reinterpret_cast<const std::uint8_t*>(utf16.data()), utf16.size()));
  Digests d = h.finish();
  std::string hex = xp ? d.md5 : d.sha256;
  for (char& c : hex)
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 32);
  return hex;
}

std::optional<Instance> parse_instance(Bytes bytes, const ClassLayout& layout, bool xp) {
  ByteReader r(bytes);
  const std::size_t hash_bytes = xp ? 64 : 128;
  auto t1 = r.u64(hash_bytes), t2 = r.u64(hash_bytes + 8);
  auto data_size = r.u32(hash_bytes + 16);
  if (!t1 || !t2 || !data_size) return std::nullopt;
  Instance inst;
  inst.time1 = from_filetime(*t1);
  inst.time2 = from_filetime(*t2);
  // After data_size: class-name offset (4) and one unknown byte, then the states.
  std::size_t pos = hash_bytes + 16 + 4 + 4 + 1;
  const std::size_t n = layout.properties.size();
  std::size_t max_index = 0;
  for (const auto& p : layout.properties) max_index = std::max<std::size_t>(max_index, p.index);
  const std::size_t slots = std::max(n, n ? max_index + 1 : 0);
  auto states = r.span(pos, (2 * slots + 7) / 8);
  if (!states) {
    inst.problem = "property states cut short";
    return inst;
  }
  pos += states->size();
  // The value table: one slot per property, in index order.
  std::vector<std::size_t> slot_at(slots, 0);
  for (const auto& p : layout.properties) {
    std::size_t sz = value_size(p.type, p.array);
    if (sz == 0) {
      inst.problem = "property " + p.name + " has unknown CIM type " + std::to_string(p.type);
      return inst;
    }
    slot_at[p.index] = pos;
    pos += sz;
  }
  auto qualifiers = r.u32(pos);  // the qualifier set's length includes its own 4 bytes
  if (!qualifiers || *qualifiers < 4) {
    inst.problem = "qualifier set cut short";
    return inst;
  }
  pos += *qualifiers;
  auto dyn = r.u8(pos);
  if (!dyn) {
    inst.problem = "dynamic-property flag cut short";
    return inst;
  }
  pos += 1 + (*dyn == 2 ? 8 : 0);
  auto heap_size = r.u32(pos);
  if (!heap_size) {
    inst.problem = "data region cut short";
    return inst;
  }
  DataRegion heap(r.clamp(pos + 4, *heap_size & 0x7FFFFFFF));
  for (const auto& p : layout.properties) {
    std::uint8_t bits = ((*states)[p.index / 4] >> (2 * (p.index % 4))) & 3;
    if (bits & 1) continue;  // not initialised
    if (bits & 2) continue;  // the class default: not stored in the instance
    std::size_t at = slot_at[p.index];
    InstanceValue v;
    if (p.array) {
      if (p.type == kUint8 || p.type == kInt8)
        if (auto off = r.u32(at))
          if (auto b = heap.byte_array_at(*off))
            v.v = std::vector<std::uint8_t>(b->begin(), b->end());
    } else {
      switch (p.type) {
        case kString:
        case kReference:
        case kDatetime:
          if (auto off = r.u32(at))
            if (auto s = heap.string_at(*off)) v.v = *s;
          break;
        case kBoolean:
          if (auto b = r.u16(at)) v.v = *b != 0;
          break;
        case kInt8:
          if (auto b = r.u8(at)) v.v = std::int64_t(static_cast<std::int8_t>(*b));
          break;
        case kUint8:
          if (auto b = r.u8(at)) v.v = std::int64_t(*b);
          break;
        case kInt16:
          if (auto b = r.u16(at)) v.v = std::int64_t(static_cast<std::int16_t>(*b));
          break;
        case kUint16:
          if (auto b = r.u16(at)) v.v = std::int64_t(*b);
          break;
        case kInt32:
          if (auto b = r.i32(at)) v.v = std::int64_t(*b);
          break;
        case kUint32:
          if (auto b = r.u32(at)) v.v = std::int64_t(*b);
          break;
        case kInt64:
        case kUint64:
          if (auto b = r.i64(at)) v.v = *b;
          break;
        default:
          break;  // reals, objects, char16: not needed for subscriptions
      }
    }
    if (!std::holds_alternative<std::monostate>(v.v)) inst.properties[p.name] = std::move(v);
  }
  return inst;
}

}  // namespace kk::wmi
