// A class definition record of OBJECTS.DATA: super-class name (UTF-16), timestamp, the
// class name, qualifiers, and the property list (name, CIM type, index into the
// instance's value table and state bits, level in the derivation). Its properties are
// only the ones the class declares; an instance's layout is the whole derivation chain
// (ClassLayout).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_reader.hpp"
#include "core/time.hpp"

namespace kk::wmi {

struct PropertyDefinition {
  std::string name;
  std::uint8_t type = 0;
  bool array = false;
  std::uint16_t index = 0;
  std::uint32_t offset = 0;
  std::uint32_t level = 0;
};

struct ClassDefinition {
  std::string name, super_name;
  std::optional<UtcMicros> timestamp;
  std::vector<PropertyDefinition> properties;
};

// The class definition in BYTES, or nullopt when they are not one.
std::optional<ClassDefinition> parse_class_definition(Bytes bytes);

// Properties of a class with its ancestors', by index: what an instance holds.
struct ClassLayout {
  std::string name;
  std::vector<PropertyDefinition> properties;  // sorted by index
};

// Class definitions by lower-case name; the first one read wins (the repository keeps one
// per namespace, all alike for the system classes).
using ClassIndex = std::map<std::string, ClassDefinition>;

// The layout of NAME through its super classes, or nullopt when a definition in the chain
// is missing (*missing names it).
std::optional<ClassLayout> layout_of(const ClassIndex& classes, const std::string& name,
                                     std::string* missing);

}  // namespace kk::wmi
