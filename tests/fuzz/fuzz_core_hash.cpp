// Differential: MD5, SHA-1 and SHA-256 computed all at once (the stitched path,
// core/hash_stitched.hpp, on a CPU with the SHA extensions) must equal each computed alone
// (Nettle's code), whatever the bytes and however they are cut into updates. The first
// byte chooses the size of the updates.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "core/hash.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + std::size_t{data[0]} * 7;  // 1 .. 1,786 bytes
  const std::span<const std::uint8_t> bytes(data + 1, size - 1);
  kk::Hasher all;
  for (std::size_t i = 0; i < bytes.size(); i += step)
    all.update(bytes.subspan(i, std::min(step, bytes.size() - i)));
  const kk::Digests d = all.finish();
  auto alone = [&](kk::HashAlgorithm a) {
    kk::Hasher h(kk::HashSet{}.with(a));
    h.update(bytes);
    return h.finish();
  };
  if (d.md5 != alone(kk::HashAlgorithm::kMd5).md5) std::abort();
  if (d.sha1 != alone(kk::HashAlgorithm::kSha1).sha1) std::abort();
  if (d.sha256 != alone(kk::HashAlgorithm::kSha256).sha256) std::abort();
  return 0;
}
