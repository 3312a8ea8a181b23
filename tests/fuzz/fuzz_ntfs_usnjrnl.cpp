// libFuzzer target: parse_usnjrnl on arbitrary bytes, with and without an $MFT path table
// built from the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ntfs/usnjrnl.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  kk::ntfs::UsnOptions opts;
  opts.source = opts.file = "fuzz";
  std::size_t total = 0;
  kk::ntfs::parse_usnjrnl({data, size}, opts, diag, [&](std::string_view s) { total += s.size(); });
  auto index = kk::ntfs::build_mft_index({data, size}, 1, diag, "fuzz");
  opts.mft = &index.paths;
  opts.format = kk::ntfs::OutputFormat::kCsv;
  kk::ntfs::parse_usnjrnl({data, size}, opts, diag, [&](std::string_view s) { total += s.size(); });
  return 0;
}
