#include "core/version.hpp"
namespace kk {
std::string_view version() { return KK_VERSION; }
}  // namespace kk
