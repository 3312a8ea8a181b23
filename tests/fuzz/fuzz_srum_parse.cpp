// Fuzzes parse-srum on in-memory SRUDB.dat images: the ESE reader under it, the
// SruDbIdMapTable resolution and every provider table's record writer. Any input is read
// or refused; every emitted line is whole.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "srum/srum.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  kk::srum::Summary summary;
  kk::srum::parse_srum(kk::Bytes(data, size), "SRUDB.dat", "fuzz/SRUDB.dat", diag,
                       [](std::string_view lines) {
                         if (lines.empty() || lines.back() != '\n') std::abort();
                       },
                       &summary);
  return 0;
}
