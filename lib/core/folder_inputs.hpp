// FILE... arguments that may name folders: a collected folder (Prefetch/, SRUM/, a
// customer's log export) stands for the files under it that the tool reads, in name order.
// One piece for every parser that accepts folders, so they warn the same way.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"

namespace kk {

// Files stand for themselves; a folder gives the regular files under it (recursively,
// sorted) for which `wanted(path)` holds. A folder that cannot be read fully, or holds
// nothing wanted, is a warning (`none_found` says what was looked for).
std::vector<std::string> expand_folder_inputs(const std::vector<std::string>& inputs,
                                              const std::function<bool(const std::string&)>& wanted,
                                              std::string_view none_found, Diagnostics& diag);

}  // namespace kk
