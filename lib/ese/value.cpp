// Typed reads of one column value; see ese.hpp (Value).
#include <cmath>
#include <cstring>

#include "core/utf.hpp"
#include "ese/ese.hpp"

namespace kk::ese {

namespace {
bool is_signed(ColumnType t) {
  return t == ColumnType::kShort || t == ColumnType::kLong || t == ColumnType::kCurrency ||
         t == ColumnType::kLongLong || t == ColumnType::kDateTime;
}
bool is_text(ColumnType t) {
  return t == ColumnType::kText || t == ColumnType::kLongText;
}
}  // namespace

std::optional<std::uint64_t> Value::unsigned_integer() const {
  Bytes b = bytes();
  if (!present_ || b.empty() || b.size() > 8) return std::nullopt;
  std::uint64_t v = 0;
  std::memcpy(&v, b.data(), b.size());
  return v;
}

std::optional<std::int64_t> Value::integer() const {
  auto u = unsigned_integer();
  if (!u) return std::nullopt;
  const std::size_t n = size();
  if (column_ && is_signed(column_->type) && n < 8) {
    const std::uint64_t sign = 1ull << (n * 8 - 1);
    if (*u & sign) return static_cast<std::int64_t>(*u | ~((sign << 1) - 1));
  }
  return static_cast<std::int64_t>(*u);
}

std::optional<double> Value::real() const {
  Bytes b = bytes();
  if (!present_) return std::nullopt;
  if (b.size() == 4) {
    float f;
    std::memcpy(&f, b.data(), 4);
    return f;
  }
  if (b.size() == 8) {
    double d;
    std::memcpy(&d, b.data(), 8);
    return d;
  }
  return std::nullopt;
}

std::string Value::text() const {
  std::string out;
  if (!present_) return out;
  Bytes b = bytes();
  const bool utf16 = column_ && is_text(column_->type) ? column_->codepage == 1200 : true;
  if (utf16) {
    append_utf16le(out, b.subspan(0, b.size() & ~std::size_t{1}), false);
  } else {
    append_cp1252(out, b, false);
  }
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

std::optional<UtcMicros> Value::filetime() const {
  if (!present_ || size() != 8) return std::nullopt;
  return from_filetime(*unsigned_integer());
}

std::optional<UtcMicros> Value::ole_date() const {
  auto d = real();
  if (!d || !std::isfinite(*d) || *d <= 0 || *d > 2958466.0) return std::nullopt;  // to 9999
  // Days since 1899-12-30 = 25569 days before 1970-01-01.
  return static_cast<UtcMicros>(std::llround((*d - 25569.0) * 86400.0 * 1e6));
}

std::string_view column_type_name(ColumnType t) {
  switch (t) {
    case ColumnType::kNil:
      return "nil";
    case ColumnType::kBit:
      return "bit";
    case ColumnType::kUnsignedByte:
      return "unsigned_byte";
    case ColumnType::kShort:
      return "short";
    case ColumnType::kLong:
      return "long";
    case ColumnType::kCurrency:
      return "currency";
    case ColumnType::kIeeeSingle:
      return "ieee_single";
    case ColumnType::kIeeeDouble:
      return "ieee_double";
    case ColumnType::kDateTime:
      return "date_time";
    case ColumnType::kBinary:
      return "binary";
    case ColumnType::kText:
      return "text";
    case ColumnType::kLongBinary:
      return "long_binary";
    case ColumnType::kLongText:
      return "long_text";
    case ColumnType::kSlv:
      return "slv";
    case ColumnType::kUnsignedLong:
      return "unsigned_long";
    case ColumnType::kLongLong:
      return "long_long";
    case ColumnType::kGuid:
      return "guid";
    case ColumnType::kUnsignedShort:
      return "unsigned_short";
  }
  return "unknown";
}

}  // namespace kk::ese
