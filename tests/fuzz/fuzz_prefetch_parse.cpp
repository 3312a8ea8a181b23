// Fuzzes the prefetch parser end to end (MAM or plain SCCA) and its output forms: any input
// yields a record or an error, and every JSON record is valid JSON. One form per input (the
// input's size picks JSON, checked with simdjson, or CSV), as fuzz_ntfs_mft does: rendering
// every volume, directory and file name in all four forms was most of the CPU, and mutated
// inputs claim ever larger string tables (50 inputs per CPU second in a 20-minute run).
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "prefetch/prefetch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto r = kk::parse_prefetch(kk::Bytes(data, size));
  if (!r.ok()) {
    if (r.error().message.empty()) std::abort();
    return 0;
  }
  kk::check_consistency(*r, "FUZZ.EXE-12345678.pf");
  std::string json, files, csv;
  if (size & 1) {
    kk::append_prefetch_csv(csv, *r, "fuzz.pf");
    kk::append_prefetch_files_csv(csv, *r, "fuzz.pf");
    return 0;
  }
  kk::append_prefetch_json(json, *r, "fuzz.pf");
  kk::append_prefetch_files_json(files, *r, "fuzz.pf");
  static simdjson::dom::parser parser;  // its buffers are kept between inputs
  if (parser.parse(json).error() != simdjson::SUCCESS) std::abort();
  std::size_t start = 0;
  while (start < files.size()) {
    const std::size_t end = files.find('\n', start);
    if (parser.parse(files.substr(start, end - start)).error() != simdjson::SUCCESS) std::abort();
    start = end + 1;
  }
  return 0;
}
