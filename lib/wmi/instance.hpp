// A class instance record of OBJECTS.DATA: the class-name hash (64 UTF-16 hex digits,
// SHA-256 of the upper-case UTF-16LE name; 32 MD5 digits on XP), two FILETIMEs, then the
// values laid out by the class: 2 state bits per property, a value table in property
// index order, qualifiers, dynamic-property flag, and the data region the string values
// point into.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "core/byte_reader.hpp"
#include "core/time.hpp"
#include "wmi/class_definition.hpp"

namespace kk::wmi {

// The class-name hash an instance starts with (upper-case hex), or "" when BYTES do not
// start with one.
std::string instance_class_hash(Bytes bytes, bool xp);

// The hash of a class name as instances carry it.
std::string class_name_hash(std::string_view name, bool xp);

struct InstanceValue {
  std::variant<std::monostate, std::string, std::int64_t, bool, std::vector<std::uint8_t>> v;
};

struct Instance {
  std::optional<UtcMicros> time1, time2;            // the instance's own time; its class's time
  std::map<std::string, InstanceValue> properties;  // initialised ones only
  std::string problem;  // why some values could not be read (empty when all were)
};

// Decodes BYTES as an instance of LAYOUT; nullopt when the header is not there at all.
std::optional<Instance> parse_instance(Bytes bytes, const ClassLayout& layout, bool xp);

}  // namespace kk::wmi
