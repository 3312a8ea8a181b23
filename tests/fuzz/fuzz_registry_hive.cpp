// libFuzzer: arbitrary bytes as a hive, through every plugin, the raw dump and deleted-cell
// recovery. Must never crash, hang or allocate without bound.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "registry/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  kk::registry::Options opt;
  opt.raw = true;
  opt.plugins = true;
  opt.recover_deleted = true;
  std::string out;
  kk::registry::parse_hive_bytes(std::vector<std::uint8_t>(data, data + size), "fuzz", opt, out,
                                 diag);
  return 0;
}
