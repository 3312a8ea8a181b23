#pragma once
#include <string_view>
namespace kk {
// The kakekomi release, from the CMake project version.
std::string_view version();
}  // namespace kk
