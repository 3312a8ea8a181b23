#include "registry/value_data.hpp"

#include "core/json_writer.hpp"
#include "core/utf.hpp"
#include "core/windows_types.hpp"

namespace kk::registry {

std::string value_type_name(std::uint32_t type) {
  static const char* const kNames[] = {"REG_NONE",
                                       "REG_SZ",
                                       "REG_EXPAND_SZ",
                                       "REG_BINARY",
                                       "REG_DWORD",
                                       "REG_DWORD_BIG_ENDIAN",
                                       "REG_LINK",
                                       "REG_MULTI_SZ",
                                       "REG_RESOURCE_LIST",
                                       "REG_FULL_RESOURCE_DESCRIPTOR",
                                       "REG_RESOURCE_REQUIREMENTS_LIST",
                                       "REG_QWORD"};
  if (type < std::size(kNames)) return kNames[type];
  return format_hex(type, 8);
}

std::optional<std::string> value_as_string(Bytes data, std::uint32_t type) {
  if (type == kRegSz || type == kRegExpandSz || type == kRegLink ||
      ((type == kRegBinary || type == kRegNone) && data.size() >= 2 && data.size() % 2 == 0 &&
       data[1] == 0 && data[0] != 0))
    return utf16le_to_utf8(data, /*stop_at_nul=*/true);
  if (type == kRegMultiSz) {
    auto parts = value_as_multi_string(data);
    return parts.empty() ? std::string() : parts.front();
  }
  return std::nullopt;
}

std::optional<std::uint64_t> value_as_integer(Bytes data, std::uint32_t type) {
  ByteReader r(data);
  switch (type) {
    case kRegDword:
      if (auto v = r.u32(0)) return *v;
      // Short DWORDs occur in damaged or hand-made hives; read what is there.
      if (data.size() > 0) {
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < data.size(); ++i) v |= std::uint32_t{data[i]} << (8 * i);
        return v;
      }
      return std::nullopt;
    case kRegDwordBigEndian:
      if (auto v = r.u32(0)) return __builtin_bswap32(*v);
      return std::nullopt;
    case kRegQword:
      if (auto v = r.u64(0)) return *v;
      if (auto v = r.u32(0)) return *v;
      return std::nullopt;
    case kRegBinary:
      if (data.size() == 8) return *r.u64(0);
      if (data.size() == 4) return *r.u32(0);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::vector<std::string> value_as_multi_string(Bytes data) {
  std::vector<std::string> out;
  std::size_t start = 0, n = data.size() & ~std::size_t{1};
  for (std::size_t i = 0; i < n; i += 2) {
    if (data[i] == 0 && data[i + 1] == 0) {
      if (i == start) break;  // the empty string that terminates the list
      out.push_back(utf16le_to_utf8(data.subspan(start, i - start)));
      start = i + 2;
    }
  }
  if (start < n) out.push_back(utf16le_to_utf8(data.subspan(start, n - start)));
  return out;
}

void write_value_json(kk::JsonWriter& w, Bytes data, std::uint32_t type) {
  switch (type) {
    case kRegSz:
    case kRegExpandSz:
    case kRegLink:
      w.string(utf16le_to_utf8(data, true));
      return;
    case kRegDword:
    case kRegDwordBigEndian:
    case kRegQword:
      // Only exact sizes become numbers; odd sizes stay hex so no byte is hidden.
      if (data.size() != (type == kRegQword ? 8u : 4u)) break;
      if (auto v = value_as_integer(data, type)) {
        w.unsigned_integer(*v);
        return;
      }
      break;
    case kRegMultiSz:
      w.begin_array();
      for (auto& s : value_as_multi_string(data)) w.string(s);
      w.end_array();
      return;
    default:
      break;
  }
  w.string(hex_bytes(data, /*upper=*/false));
}

}  // namespace kk::registry
