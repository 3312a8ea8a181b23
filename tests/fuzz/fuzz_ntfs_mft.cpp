// libFuzzer target: parse_mft on arbitrary bytes as an $MFT. One form per input (both ran
// every input twice): the input's size picks JSONL with 1 job or CSV with 2 jobs.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ntfs/mft.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  kk::ntfs::MftOptions opts;
  opts.source = opts.file = "fuzz";
  if (size & 1) {
    opts.format = kk::ntfs::OutputFormat::kCsv;
    opts.jobs = 2;
  }
  std::size_t total = 0;
  kk::ntfs::parse_mft({data, size}, opts, diag, [&](std::string_view s) { total += s.size(); });
  return 0;
}
