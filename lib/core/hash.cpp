#include "core/hash.hpp"

#include "core/hash_stitched.hpp"

#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <vector>

namespace kk {

struct Hasher::State {
  HashSet set;
  bool stitched = false;  // all three, one pass per block (core/hash_stitched.hpp)
  md5_ctx md5;
  sha1_ctx sha1;
  sha256_ctx sha256;
  void reset() {
    if (set.has(HashAlgorithm::kMd5)) md5_init(&md5);
    if (set.has(HashAlgorithm::kSha1)) sha1_init(&sha1);
    if (set.has(HashAlgorithm::kSha256)) sha256_init(&sha256);
  }
  void update_each(const std::uint8_t* p, std::size_t n) {
    if (set.has(HashAlgorithm::kMd5)) md5_update(&md5, n, p);
    if (set.has(HashAlgorithm::kSha1)) sha1_update(&sha1, n, p);
    if (set.has(HashAlgorithm::kSha256)) sha256_update(&sha256, n, p);
  }
  // Nettle keeps a partial block in each context (the same bytes in all three): it takes the
  // bytes up to a block boundary and the tail; whole blocks go to the stitched code, which
  // advances the contexts' states and block counts as Nettle's own compression would.
  void update_stitched(const std::uint8_t* p, std::size_t n) {
    fill_block(p, n);
    if (const std::size_t blocks = n / MD5_BLOCK_SIZE; blocks > 0 && md5.index == 0) {
      stitched_compress(md5.state, sha1.state, sha256.state, p, blocks);
      count_blocks(p, n, blocks);
    }
    if (n > 0) update_each(p, n);
  }
  // Completes the partial block Nettle holds, if any, from P (N bytes).
  void fill_block(const std::uint8_t*& p, std::size_t& n) {
    if (md5.index == 0) return;
    const std::size_t fill = std::min<std::size_t>(n, MD5_BLOCK_SIZE - md5.index);
    update_each(p, fill);
    p += fill;
    n -= fill;
  }
  // BLOCKS whole blocks from P compressed into the states: counted, and passed.
  void count_blocks(const std::uint8_t*& p, std::size_t& n, std::size_t blocks) {
    md5.count += blocks;
    sha1.count += blocks;
    sha256.count += blocks;
    p += blocks * MD5_BLOCK_SIZE;
    n -= blocks * MD5_BLOCK_SIZE;
  }
};

void update_pair(Hasher& a, std::span<const std::uint8_t> a_bytes, Hasher& b,
                 std::span<const std::uint8_t> b_bytes) {
  Hasher::State& x = *a.s_;
  Hasher::State& y = *b.s_;
  if (!x.stitched || !y.stitched || &x == &y) {
    a.update(a_bytes);
    b.update(b_bytes);
    return;
  }
  const std::uint8_t *p = a_bytes.data(), *q = b_bytes.data();
  std::size_t n = a_bytes.size(), m = b_bytes.size();
  x.fill_block(p, n);
  y.fill_block(q, m);
  const std::size_t blocks = std::min(n, m) / MD5_BLOCK_SIZE;
  if (blocks > 0 && x.md5.index == 0 && y.md5.index == 0) {
    stitched_compress_2(x.md5.state, x.sha1.state, x.sha256.state, p, y.md5.state, y.sha1.state,
                        y.sha256.state, q, blocks);
    x.count_blocks(p, n, blocks);
    y.count_blocks(q, m, blocks);
  }
  if (n > 0) x.update_stitched(p, n);
  if (m > 0) y.update_stitched(q, m);
}

Hasher::Hasher(HashSet set) : s_(std::make_unique<State>()) {
  s_->set = set;
  s_->stitched = set.bits == HashSet::all().bits && stitched_hash_available();
  s_->reset();
}
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;
Hasher::~Hasher() = default;

void Hasher::update(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return;
  if (s_->stitched)
    s_->update_stitched(bytes.data(), bytes.size());
  else
    s_->update_each(bytes.data(), bytes.size());
}

Digests Hasher::finish() {
  Digests d;
  if (s_->set.has(HashAlgorithm::kMd5)) {
    std::uint8_t b[MD5_DIGEST_SIZE];
    md5_digest(&s_->md5, sizeof b, b);
    d.md5 = to_hex(b);
  }
  if (s_->set.has(HashAlgorithm::kSha1)) {
    std::uint8_t b[SHA1_DIGEST_SIZE];
    sha1_digest(&s_->sha1, sizeof b, b);
    d.sha1 = to_hex(b);
  }
  if (s_->set.has(HashAlgorithm::kSha256)) {
    std::uint8_t b[SHA256_DIGEST_SIZE];
    sha256_digest(&s_->sha256, sizeof b, b);
    d.sha256 = to_hex(b);
  }
  s_->reset();  // nettle's *_digest already resets; explicit for clarity of the contract
  return d;
}

Digests hash_bytes(std::span<const std::uint8_t> bytes, HashSet set) {
  Hasher h(set);
  h.update(bytes);
  return h.finish();
}

std::string sha256_hex(std::string_view bytes) {
  return hash_bytes({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()},
                    HashSet::sha256_only())
      .sha256;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(bytes.size() * 2, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    s[2 * i] = kDigits[bytes[i] >> 4];
    s[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return s;
}

bool is_hex_digest(std::string_view text, std::size_t n) {
  if (text.size() != n) return false;
  for (char c : text)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::optional<Digests> hash_descriptor(int fd, HashSet set) {
  Hasher h(set);
  std::vector<std::uint8_t> buf(1 << 20);
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    h.update(buf.data(), static_cast<std::size_t>(n));
  }
  return h.finish();
}

}  // namespace kk
