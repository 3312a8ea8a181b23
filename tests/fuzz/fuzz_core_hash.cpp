// Differential: MD5, SHA-1 and SHA-256 computed all at once (the stitched path,
// core/hash_stitched.hpp, on a CPU with the SHA extensions) must equal each computed alone
// (Nettle's code), whatever the bytes and however they are cut into updates; two messages
// hashed side by side (update_pair) must equal each hashed alone. The first byte chooses
// the size of the updates.
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
  // The bytes' tail from a third of the way, beside the whole, cut in other steps.
  const std::span<const std::uint8_t> tail = bytes.subspan(bytes.size() / 3);
  const std::size_t tail_step = 1 + std::size_t{data[0]} * 13 % 2000;
  auto piece = [](std::span<const std::uint8_t> s, std::size_t at, std::size_t n) {
    at = std::min(at, s.size());
    return s.subspan(at, std::min(n, s.size() - at));
  };
  kk::Hasher a, b;
  for (std::size_t i = 0, j = 0; i < bytes.size() || j < tail.size(); i += step, j += tail_step)
    kk::update_pair(a, piece(bytes, i, step), b, piece(tail, j, tail_step));
  const kk::Digests da = a.finish(), db = b.finish(), dt = kk::hash_bytes(tail);
  if (da.md5 != d.md5 || da.sha1 != d.sha1 || da.sha256 != d.sha256) std::abort();
  if (db.md5 != dt.md5 || db.sha1 != dt.sha1 || db.sha256 != dt.sha256) std::abort();
  return 0;
}
