// Recognising which hive a file is from its root key's content, not its file name
// (CDIR-C renames user hives to "<user>_NTUSER.dat", analysts rename anything).
#pragma once

#include "registry/hive.hpp"
#include "registry/registry.hpp"

namespace kk::registry {

HiveType detect_hive_type(const Hive& hive);

}  // namespace kk::registry
