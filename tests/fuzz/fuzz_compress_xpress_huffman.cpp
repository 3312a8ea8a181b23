// Fuzzes the LZXPRESS Huffman decoder and the MAM container: whatever the bytes,
// decoding must end with a value or an error, stay inside its buffers and never
// report consuming more input than it was given.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "compress/mam.hpp"
#include "compress/xpress_huffman.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kk::Bytes in(data, size);
  if (kk::is_mam(in)) {
    // Small limit: the fuzzer explores structure, not allocation size.
    auto r = kk::mam_decompress(in, 1u << 20);
    if (r.ok() && r->data.size() != r->header.uncompressed_size) std::abort();
    return 0;
  }
  if (size < 3) return 0;
  // First two bytes: the declared output size (up to 64 KiB x 4, several blocks).
  const std::size_t out_size = (std::size_t{data[0]} | std::size_t{data[1]} << 8) * 4;
  std::vector<std::uint8_t> out(out_size);
  auto r = kk::xpress_huffman_decompress(in.subspan(2), out);
  if (r.ok() && *r > size - 2) std::abort();
  if (!r.ok() && (!r.error().offset || *r.error().offset > size - 2)) std::abort();
  return 0;
}
