// The encoding CIM objects share in the repository (MS-WMIO's, as the flare-wmi /
// dissect.cim documentation describes it for OBJECTS.DATA): typed values, a data region
// ("heap") holding strings (a flag byte, 0 = 8-bit Latin-1, 1 = UTF-16LE, then the text
// up to a NUL) and arrays (a count, then the items), referred to by offset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/byte_reader.hpp"

namespace kk::wmi {

// CIM_TYPE values (the low byte of a property's type).
enum CimType : std::uint8_t {
  kInt16 = 0x02,
  kInt32 = 0x03,
  kReal32 = 0x04,
  kReal64 = 0x05,
  kString = 0x08,
  kBoolean = 0x0B,
  kObject = 0x0D,
  kInt8 = 0x10,
  kUint8 = 0x11,
  kUint16 = 0x12,
  kUint32 = 0x13,
  kInt64 = 0x14,
  kUint64 = 0x15,
  kDatetime = 0x65,
  kReference = 0x66,
  kChar16 = 0x67,
};
inline constexpr std::uint8_t kArrayFlag = 0x20;

// Bytes a value of TYPE takes in an instance's value table (an array: a 4-byte offset);
// 0 for an unknown type.
std::size_t value_size(std::uint8_t type, bool array);

// A data region: its bytes, and values looked up by offset.
class DataRegion {
 public:
  DataRegion() = default;
  explicit DataRegion(ByteReader r) : r_(r) {}
  std::size_t size() const { return r_.size(); }
  // The string at OFF, or nullopt when OFF or its flag byte is not valid.
  std::optional<std::string> string_at(std::uint32_t off) const;
  // The bytes of an array of 1-byte items at OFF (a SID is kept as uint8[]).
  std::optional<Bytes> byte_array_at(std::uint32_t off) const;

 private:
  ByteReader r_;
};

}  // namespace kk::wmi
