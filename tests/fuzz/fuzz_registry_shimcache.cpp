// libFuzzer: arbitrary bytes as an AppCompatCache value.
#include <cstddef>
#include <cstdint>

#include "registry/shimcache.hpp"
#include "registry/task_actions.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kk::Bytes b(data, size);
  auto sc = kk::registry::decode_shimcache(b);
  auto ta = kk::registry::decode_task_actions(b);
  return static_cast<int>((sc.entries.size() + ta.actions.size()) & 0);
}
