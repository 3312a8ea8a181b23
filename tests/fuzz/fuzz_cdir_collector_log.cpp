// collector-log.txt comes with the bundle from outside: any bytes must parse or report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cdir/bundle_layout.hpp"
#include "cdir/collector_log.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto log = kk::cdir::parse_collector_log(bytes, "Asia/Tokyo");
  for (const auto& row : log.rows) {
    (void)kk::cdir::bundle_source_for(row.source_path, kk::cdir::Layout::kV13);
    (void)kk::cdir::bundle_source_for(row.source_path, kk::cdir::Layout::kV12);
  }
  return 0;
}
