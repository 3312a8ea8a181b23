// ESE record decoding: RECHDR, fixed columns (with their null bitmap), variable
// columns (end-offset array) and tagged columns (TAGFLD array), then long values,
// multi-values and compression. See libesedb's format document, "Data definitions".
#include "core/windows_types.hpp"
#include "ese/compression.hpp"
#include "ese/ese.hpp"
#include "ese/long_values.hpp"

namespace kk::ese {

namespace {
// TAGFLD header flag byte.
constexpr std::uint8_t kTagfldCompressed = 0x02;
constexpr std::uint8_t kTagfldSeparated = 0x04;  // the data is a long-value id
constexpr std::uint8_t kTagfldMulti = 0x08;
constexpr std::uint8_t kTagfldTwoValues = 0x10;
constexpr std::uint8_t kTagfldNull = 0x20;
}  // namespace

Bytes Record::raw(const Column& c, std::uint8_t* tag_flags) const {
  *tag_flags = 0;
  ByteReader r(data_);
  if (r.size() < 4) return {};
  const std::uint8_t last_fixed = data_[0];
  const std::uint8_t last_var = data_[1];
  const std::size_t fixed_end = *r.u16(2);  // where the variable offsets start
  const std::size_t var_count = last_var >= 128 ? last_var - 127u : 0;
  if (c.fixed()) {
    if (c.id > last_fixed) return {};
    // A null bitmap (bit set = null) sits just before the variable offsets.
    const std::size_t bitmap = fixed_end - (last_fixed + 7u) / 8;
    auto bits = r.u8(bitmap + (c.id - 1) / 8);
    if (fixed_end < (last_fixed + 7u) / 8 || !bits || (*bits >> ((c.id - 1) % 8)) & 1) return {};
    return r.span(4 + c.fixed_offset, c.space_usage).value_or(Bytes{});
  }
  const std::size_t var_data = fixed_end + 2 * var_count;
  if (c.variable()) {
    if (c.id > last_var) return {};
    const std::size_t idx = c.id - 128;
    auto end = r.u16(fixed_end + 2 * idx);
    if (!end || (*end & 0x8000)) return {};  // the top bit marks an empty value
    const std::size_t start = idx == 0 ? 0 : r.u16(fixed_end + 2 * (idx - 1)).value_or(0) & 0x7FFF;
    const std::size_t stop = *end & 0x7FFF;
    if (stop < start) return {};
    return r.span(var_data + start, stop - start).value_or(Bytes{});
  }
  // Tagged columns follow the variable data: an array of (id, offset) pairs whose
  // first offset is also the array's size.
  std::size_t tagged = var_data;
  if (var_count > 0) tagged += r.u16(fixed_end + 2 * (var_count - 1)).value_or(0) & 0x7FFF;
  auto first = r.u32(tagged);
  if (!first) return {};
  const bool large = db_->header().large_pages();
  const std::uint16_t mask = large ? 0x7FFF : 0x1FFF;
  const std::size_t count =
      std::min<std::size_t>(((*first >> 16) & mask) / 4, (r.size() - tagged) / 4);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint16_t id = *r.u16(tagged + 4 * i);
    if (id != c.id) continue;
    const std::uint16_t raw_off = *r.u16(tagged + 4 * i + 2);
    const std::size_t begin = tagged + (raw_off & mask);
    const std::size_t end = i + 1 < count ? tagged + (*r.u16(tagged + 4 * i + 6) & mask) : r.size();
    if (begin > end || end > r.size()) return {};
    Bytes v = data_.subspan(begin, end - begin);
    // Small pages flag a null value and the presence of the flag byte in the
    // offset; large pages always have the flag byte.
    if (!large && (raw_off & 0x2000)) return {};
    if (large || (raw_off & 0x4000)) {
      if (v.empty()) return {};
      *tag_flags = v[0];
      if (*tag_flags & kTagfldNull) return {};
      v = v.subspan(1);
    }
    return v.empty() ? Bytes{} : v;
  }
  return {};
}

Value Record::get(std::string_view column_name) const {
  const Column* c = table_->column(column_name);
  return c ? get(*c) : Value{};
}

Value Record::get(const Column& c) const {
  Value v;
  v.column_ = &c;
  std::uint8_t flags = 0;
  Bytes data = raw(c, &flags);
  if (data.empty()) {
    // An empty variable or tagged value is present but empty; the caller sees
    // "absent" either way (ESE itself does not tell NULL from empty for these).
    return v;
  }
  bool separated = flags & kTagfldSeparated;
  if (flags & kTagfldMulti) {
    // Several values: the first is what callers read (SRUM and WebCache do not
    // use multi-valued columns). Either a size byte + two values, or an array of
    // 16-bit offsets (top bit: that instance is a long value).
    ByteReader r(data);
    if (flags & kTagfldTwoValues) {
      const std::size_t n = data[0];
      data = r.clamp(1, n).bytes();
    } else {
      const std::uint16_t o0 = r.u16(0).value_or(0);
      const std::size_t start = o0 & 0x7FFF;
      const std::size_t stop = start / 2 > 1 ? r.u16(2).value_or(0) & 0x7FFF : data.size();
      separated = o0 & 0x8000;
      data = stop >= start ? r.clamp(start, stop - start).bytes() : Bytes{};
    }
  }
  if (separated) {
    auto lv = db_->long_values(*table_).get(
        data, [this](std::uint64_t off, std::string msg) { db_->issue(off, std::move(msg)); });
    if (!lv) {
      db_->issue(offset_, "column " + c.name + ": long value " + hex_bytes(data) + " not found");
      return v;
    }
    v.owned_ = std::make_shared<std::vector<std::uint8_t>>(std::move(*lv));
    v.present_ = true;
    return v;
  }
  if (flags & kTagfldCompressed) {
    auto out = decompress_value(data, kMaxLongValue);
    if (!out) {
      db_->issue(offset_, "column " + c.name + ": compressed value unreadable, kept as stored");
    } else {
      v.owned_ = std::make_shared<std::vector<std::uint8_t>>(std::move(*out));
      v.present_ = true;
      return v;
    }
  }
  v.data_ = data;
  v.present_ = true;
  return v;
}

}  // namespace kk::ese
