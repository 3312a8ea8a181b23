// The one YAML document of a rule file, read with libyaml and with limits.
//
// libyaml's event parser replaced yaml-cpp 0.7.0, whose scanner and node allocations were
// three quarters of loading the shipped Sigma set, and whose LoadAll yielded empty
// documents forever on some inputs (a 3-byte "\n,\n" grew to 22 GB). Documents are read
// one at a time, reading stops after the second, and the size, node count and nesting depth
// are capped, so a hostile rule file costs bounded memory and time. The nodes live in the
// document; an alias refers to its anchored node (never copied: an alias bomb is cheap).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace kk::detect {

struct YamlLimits {
  std::size_t max_bytes = 4u << 20;  // the largest public Sigma rule is 295 KB
  std::size_t max_nodes = 1u << 20;
  std::size_t max_depth = 64;  // Sigma rules nest about 5 deep
};

// A node as the rule loader reads it. A plain scalar "", "~", "null", "Null" or "NULL"
// without a tag is null (as yaml-cpp had it); a missing map key is an undefined node.
struct YamlNode {
  enum class Kind : std::uint8_t { kUndefined, kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kUndefined;
  std::string text;                                                  // a scalar's value
  std::vector<const YamlNode*> items;                                // a sequence's items
  std::vector<std::pair<const YamlNode*, const YamlNode*>> entries;  // a map's, in order

  explicit operator bool() const { return kind != Kind::kUndefined; }
  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_sequence() const { return kind == Kind::kSequence; }
  bool is_map() const { return kind == Kind::kMap; }
  // A map's value of the first scalar key equal to KEY; an undefined node otherwise.
  const YamlNode& operator[](std::string_view key) const;
  static const YamlNode& undefined();
};

class YamlDocument {
 public:
  YamlDocument() = default;
  YamlDocument(YamlDocument&&) noexcept = default;  // nodes stay where they are
  YamlDocument& operator=(YamlDocument&&) noexcept = default;
  YamlDocument(const YamlDocument&) = delete;
  YamlDocument& operator=(const YamlDocument&) = delete;

  // The first document's root; a null node when the text holds no document.
  const YamlNode& root() const;
  bool more = false;  // a second document follows the first

 private:
  friend class YamlReader;
  std::deque<YamlNode> nodes_;
  const YamlNode* root_ = nullptr;
};

// A syntax error fails with libyaml's message and its byte offset; a limit exceeded fails
// without an offset.
Result<YamlDocument> load_yaml_document(std::string_view text, const YamlLimits& limits = {});

}  // namespace kk::detect
