// Streaming message digests for chain of custody: MD5, SHA-1 and SHA-256.
//
// Backed by Nettle (the library libarchive already uses; its x86-64 code uses
// the SHA extensions when the CPU has them). All three at once, on a CPU with
// the SHA extensions, are computed in one pass per block (core/hash_stitched.hpp:
// about twice as fast as one after the other). Feed bytes in any chunking with
// update(); finish() gives lowercase hex, the form collector logs and
// sha256sum print.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kk {

enum class HashAlgorithm : unsigned { kMd5 = 1, kSha1 = 2, kSha256 = 4 };

// A set of algorithms, e.g. HashSet::all() or HashSet{}.with(HashAlgorithm::kSha256).
struct HashSet {
  unsigned bits = 0;
  static HashSet all() { return HashSet{7}; }
  static HashSet sha256_only() { return HashSet{4}; }
  HashSet with(HashAlgorithm a) const { return HashSet{bits | static_cast<unsigned>(a)}; }
  bool has(HashAlgorithm a) const { return (bits & static_cast<unsigned>(a)) != 0; }
};

// Lowercase hex digests; an algorithm that was not computed is empty.
struct Digests {
  std::string md5, sha1, sha256;
};

class Hasher {
 public:
  explicit Hasher(HashSet set = HashSet::all());
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  ~Hasher();

  void update(std::span<const std::uint8_t> bytes);
  void update(const void* data, std::size_t size) {
    update({static_cast<const std::uint8_t*>(data), size});
  }
  // Returns the digests and resets the state for a new message.
  Digests finish();
  // A.update(A_BYTES) and B.update(B_BYTES) at once: when both compute all three digests
  // on a CPU with the SHA extensions, their whole blocks in common go through
  // stitched_compress_2 (two files hashed side by side: 1.85x the rate of one).
  friend void update_pair(Hasher& a, std::span<const std::uint8_t> a_bytes, Hasher& b,
                          std::span<const std::uint8_t> b_bytes);

 private:
  struct State;
  std::unique_ptr<State> s_;
};
void update_pair(Hasher& a, std::span<const std::uint8_t> a_bytes, Hasher& b,
                 std::span<const std::uint8_t> b_bytes);

// One-shot helpers.
Digests hash_bytes(std::span<const std::uint8_t> bytes, HashSet set = HashSet::all());
std::string sha256_hex(std::string_view bytes);
// Digests of everything readable from FD (from its current position); nullopt on a read error.
std::optional<Digests> hash_descriptor(int fd, HashSet set = HashSet::all());

// Lowercase hex of BYTES.
std::string to_hex(std::span<const std::uint8_t> bytes);

// True when TEXT is exactly N hex digits (either case).
bool is_hex_digest(std::string_view text, std::size_t n);

}  // namespace kk
