// libFuzzer target: parse_mft on arbitrary bytes as an $MFT (both passes, 1 and 2 jobs).
#include <cstddef>
#include <cstdint>
#include <string>

#include "ntfs/mft.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  kk::ntfs::MftOptions opts;
  opts.source = opts.file = "fuzz";
  std::size_t total = 0;
  kk::ntfs::parse_mft({data, size}, opts, diag, [&](std::string_view s) { total += s.size(); });
  opts.format = kk::ntfs::OutputFormat::kCsv;
  opts.jobs = 2;
  kk::ntfs::parse_mft({data, size}, opts, diag, [&](std::string_view s) { total += s.size(); });
  return 0;
}
