// Registry value data types and their decoding (see the REGF documentation, "Value types").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_reader.hpp"

namespace kk {
class JsonWriter;
}

namespace kk::registry {

enum ValueType : std::uint32_t {
  kRegNone = 0,
  kRegSz = 1,
  kRegExpandSz = 2,
  kRegBinary = 3,
  kRegDword = 4,
  kRegDwordBigEndian = 5,
  kRegLink = 6,
  kRegMultiSz = 7,
  kRegResourceList = 8,
  kRegFullResourceDescriptor = 9,
  kRegResourceRequirementsList = 10,
  kRegQword = 11,
};

// "REG_SZ", ...; unknown types as "0x…".
std::string value_type_name(std::uint32_t type);

// String types (REG_SZ, REG_EXPAND_SZ, REG_LINK) as UTF-8, up to the first NUL. Windows also
// stores strings under REG_BINARY/REG_NONE at times; those are decoded when they look like
// UTF-16 text. nullopt for other types.
std::optional<std::string> value_as_string(Bytes data, std::uint32_t type);
// REG_DWORD, REG_DWORD_BIG_ENDIAN, REG_QWORD (and 4/8-byte REG_BINARY, as some keys store).
std::optional<std::uint64_t> value_as_integer(Bytes data, std::uint32_t type);
// REG_MULTI_SZ strings (empty strings between NULs are kept, the final terminator dropped).
std::vector<std::string> value_as_multi_string(Bytes data);

// Appends the value as a JSON value for raw dumps: string, number, array of strings, or hex.
void write_value_json(kk::JsonWriter& w, Bytes data, std::uint32_t type);
}  // namespace kk::registry
