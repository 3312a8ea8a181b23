#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "core/hash.hpp"
#include "core/hash_stitched.hpp"

namespace {
kk::Digests digests(const std::string& s) {
  return kk::hash_bytes({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}
}  // namespace

TEST_CASE("hash: FIPS 180 / RFC 1321 test vectors") {
  auto abc = digests("abc");
  CHECK(abc.md5 == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(abc.sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(abc.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto empty = digests("");
  CHECK(empty.md5 == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(empty.sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(empty.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // Two-block message from FIPS 180-2 appendix B.2.
  CHECK(digests("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").sha256 ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("hash: streaming in odd chunks equals one shot, and finish() resets") {
  std::string data(1000000, 'a');  // FIPS 180-2: one million 'a'
  kk::Hasher h;
  for (std::size_t i = 0; i < data.size();) {
    std::size_t n = std::min<std::size_t>(data.size() - i, 1 + (i % 997));
    h.update(data.data() + i, n);
    i += n;
  }
  auto d = h.finish();
  CHECK(d.sha256 == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(d.sha1 == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  CHECK(d.md5 == "7707d6ae4e027c70eea2a935c2296f21");
  h.update("abc", 3);
  CHECK(h.finish().sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("hash: subsets and hex helpers") {
  auto d = kk::hash_bytes({}, kk::HashSet::sha256_only());
  CHECK(d.md5.empty());
  CHECK(d.sha1.empty());
  CHECK(d.sha256.size() == 64);
  CHECK(kk::is_hex_digest("ABCDEF0123456789abcdef0123456789", 32));
  CHECK_FALSE(kk::is_hex_digest("xbcdef0123456789abcdef0123456789", 32));
  CHECK(kk::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// All three at once take the stitched path on a CPU with the SHA extensions; one alone
// always takes Nettle's. They must agree for every length (around the 64-byte blocks and
// Nettle's 56-byte padding edge) and every way of cutting the bytes into updates.
TEST_CASE("hash: all three at once equal each alone, for any length and chunking") {
  MESSAGE("stitched MD5/SHA-1/SHA-256 on this CPU: " << kk::stitched_hash_available());
  std::string data(9000, '\0');
  std::uint32_t x = 2463534242u;  // xorshift32: the same bytes every run
  for (auto& c : data) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  auto alone = [](const std::string& s, kk::HashAlgorithm a) {
    kk::Hasher h(kk::HashSet{}.with(a));
    h.update(s.data(), s.size());
    return h.finish();
  };
  for (std::size_t len : {0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 9000}) {
    const std::string s = data.substr(0, len);
    const std::string md5 = alone(s, kk::HashAlgorithm::kMd5).md5;
    const std::string sha1 = alone(s, kk::HashAlgorithm::kSha1).sha1;
    const std::string sha256 = alone(s, kk::HashAlgorithm::kSha256).sha256;
    for (std::size_t step : {1, 3, 63, 64, 65, 200, 9000}) {
      CAPTURE(len);
      CAPTURE(step);
      kk::Hasher h;
      for (std::size_t i = 0; i < s.size(); i += step)
        h.update(s.data() + i, std::min(step, s.size() - i));
      const kk::Digests d = h.finish();
      CHECK(d.md5 == md5);
      CHECK(d.sha1 == sha1);
      CHECK(d.sha256 == sha256);
    }
  }
}

namespace {
void check_same(const kk::Digests& got, const kk::Digests& want) {
  CHECK(got.md5 == want.md5);
  CHECK(got.sha1 == want.sha1);
  CHECK(got.sha256 == want.sha256);
}
}  // namespace

// Two messages hashed side by side (update_pair: two lanes of the stitched code) must give
// what each gives alone, whatever their lengths and however each is cut: the lanes meet
// with partial blocks held, one message ends first, the two updates differ in size.
TEST_CASE("hash: two messages side by side equal each hashed alone") {
  std::string data(9000, '\0');
  std::uint32_t x = 88172645u;
  for (auto& c : data) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  auto bytes = [](const std::string& s, std::size_t at, std::size_t n) {
    return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()) + at,
                                         std::min(n, s.size() - std::min(at, s.size())));
  };
  for (std::size_t len_a : {0, 63, 64, 65, 1000, 9000})
    for (std::size_t len_b : {1, 64, 129, 4096, 8999})
      for (std::size_t step_a : {1, 64, 200, 9000})
        for (std::size_t step_b : {3, 64, 4096}) {
          CAPTURE(len_a);
          CAPTURE(len_b);
          CAPTURE(step_a);
          CAPTURE(step_b);
          const std::string a = data.substr(0, len_a), b = data.substr(data.size() - len_b);
          kk::Hasher ha, hb;
          for (std::size_t i = 0, j = 0; i < a.size() || j < b.size(); i += step_a, j += step_b)
            kk::update_pair(ha, bytes(a, i, step_a), hb, bytes(b, j, step_b));
          check_same(ha.finish(), digests(a));
          check_same(hb.finish(), digests(b));
        }
  // A lane of one algorithm only (Nettle's code) beside a stitched lane.
  kk::Hasher one(kk::HashSet::sha256_only()), all;
  kk::update_pair(one, bytes(data, 0, 5000), all, bytes(data, 100, 5000));
  CHECK(one.finish().sha256 == digests(data.substr(0, 5000)).sha256);
  CHECK(all.finish().md5 == digests(data.substr(100, 5000)).md5);
}
