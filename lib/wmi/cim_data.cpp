#include "wmi/cim_data.hpp"

#include "core/utf.hpp"

namespace kk::wmi {

std::size_t value_size(std::uint8_t type, bool array) {
  if (array) return 4;
  switch (type) {
    case kInt8:
    case kUint8:
      return 1;
    case kInt16:
    case kUint16:
    case kBoolean:
    case kChar16:
      return 2;
    case kInt32:
    case kUint32:
    case kReal32:
    case kString:
    case kObject:
    case kDatetime:
    case kReference:
      return 4;
    case kInt64:
    case kUint64:
    case kReal64:
      return 8;
    default:
      return 0;
  }
}

std::optional<std::string> DataRegion::string_at(std::uint32_t off) const {
  auto flag = r_.u8(off);
  if (!flag || *flag > 1) return std::nullopt;
  Bytes rest = r_.clamp(off + 1, r_.size()).bytes();
  std::string out;
  if (*flag == 0) {
    for (std::uint8_t c : rest) {
      if (c == 0) break;
      if (c < 0x80) {
        out.push_back(static_cast<char>(c));
      } else {  // Latin-1 to UTF-8
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
    }
    return out;
  }
  return utf16le_to_utf8(rest, true);
}

std::optional<Bytes> DataRegion::byte_array_at(std::uint32_t off) const {
  auto n = r_.u32(off);
  if (!n) return std::nullopt;
  return r_.span(off + 4, *n);
}

}  // namespace kk::wmi
