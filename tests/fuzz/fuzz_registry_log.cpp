// libFuzzer: transaction-log replay. The input is split at its first 4 bytes' value into a
// primary file and a log; both are hostile.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/diagnostics.hpp"
#include "registry/transaction_log.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  std::uint32_t split;
  std::memcpy(&split, data, 4);
  data += 4;
  size -= 4;
  split = size ? split % static_cast<std::uint32_t>(size + 1) : 0;
  std::vector<std::uint8_t> hive(data, data + split);
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  std::vector<kk::registry::LogInput> logs{{"fuzz.LOG1", kk::Bytes(data + split, size - split)}};
  kk::registry::replay_logs(hive, logs, "fuzz", diag);
  return 0;
}
