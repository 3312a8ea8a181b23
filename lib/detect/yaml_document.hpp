// The one YAML document of a rule file, read with limits. yaml-cpp 0.7.0's LoadAll yields
// empty documents forever on some inputs (a 3-byte "\n,\n" grew to 22 GB): documents are
// parsed one at a time here, reading stops at the second, and the size, node count and
// nesting depth are capped, so a hostile rule file costs bounded memory and time.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string_view>

#include "core/result.hpp"

namespace kk::detect {

struct YamlLimits {
  std::size_t max_bytes = 4u << 20;  // the largest public Sigma rule is 295 KB
  std::size_t max_nodes = 1u << 20;
  std::size_t max_depth = 64;  // Sigma rules nest about 5 deep
};

struct YamlDocument {
  YAML::Node root;    // Null when the text holds no document
  bool more = false;  // a second document follows the first
};

// Syntax errors come as YAML::Exception; a limit exceeded as the error.
Result<YamlDocument> load_yaml_document(std::string_view text, const YamlLimits& limits = {});

}  // namespace kk::detect
