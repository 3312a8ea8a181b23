// LZXPRESS Huffman decoding of hand-built streams: each test states the bytes a
// stream must decode to, or the error a malformed stream must give.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "compress/xpress_huffman.hpp"
#include "xpress_test_encoder.hpp"

namespace {

using kk_test::XpressTestEncoder;

kk::Result<std::size_t> decode(const std::vector<std::uint8_t>& in,
                               std::vector<std::uint8_t>& out) {
  return kk::xpress_huffman_decompress(in, out);
}

std::string as_string(const std::vector<std::uint8_t>& v) {
  return std::string(v.begin(), v.end());
}

}  // namespace

TEST_CASE("xpress huffman: literal-only block with the uniform 9-bit code") {
  XpressTestEncoder enc;
  enc.begin_block(XpressTestEncoder::uniform());
  const std::string text = "kakekomi: prefetch of CMD.EXE";
  for (char c : text) enc.literal(static_cast<std::uint8_t>(c));
  enc.end_of_stream();
  std::vector<std::uint8_t> out(text.size());
  auto r = decode(enc.bytes(), out);
  REQUIRE(r.ok());
  CHECK(as_string(out) == text);
  CHECK(*r <= enc.bytes().size());
}

TEST_CASE("xpress huffman: overlapping match repeats a run byte by byte") {
  XpressTestEncoder enc;
  enc.begin_block(XpressTestEncoder::uniform());
  enc.literal('a');
  enc.match(5, 1);  // [MS-XCA] example: "aaaaaa" = literal a + match(distance 1, length 5)
  enc.literal('b');
  enc.literal('c');
  enc.match(4, 2);  // "bcbc"
  enc.end_of_stream();
  std::vector<std::uint8_t> out(12);
  REQUIRE(decode(enc.bytes(), out).ok());
  CHECK(as_string(out) == "aaaaaabcbcbc");
}

TEST_CASE("xpress huffman: every long-length escape (byte, 16-bit, 32-bit)") {
  // 17 fits the nibble; 18 and 272 use one escape byte; 273 and 65538 the 16-bit
  // form; 70000 exceeds 65535+3 and needs the 32-bit form.
  for (std::uint32_t length : {3u, 17u, 18u, 100u, 272u, 273u, 4000u, 65538u, 70000u}) {
    CAPTURE(length);
    XpressTestEncoder enc;
    enc.begin_block(XpressTestEncoder::uniform());
    enc.literal('x');
    enc.literal('y');
    enc.literal('z');
    enc.match(length, 3);
    // Past 65536 bytes of output the block is over, even mid-stream: '!' needs a
    // block of its own.
    if (3 + length >= 65536) enc.begin_block(XpressTestEncoder::uniform());
    enc.literal('!');
    enc.end_of_stream();
    std::vector<std::uint8_t> out(3 + length + 1);
    auto r = decode(enc.bytes(), out);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    for (std::size_t i = 0; i < 3 + length; ++i) REQUIRE(out[i] == "xyz"[i % 3]);
    CHECK(out.back() == '!');
  }
}

TEST_CASE("xpress huffman: distances of every offset bit length") {
  XpressTestEncoder enc;
  enc.begin_block(XpressTestEncoder::uniform());
  std::vector<std::uint8_t> expect;
  for (int i = 0; i < 40000; ++i) {
    auto b = static_cast<std::uint8_t>((i * 7 + i / 251) & 0xFF);
    enc.literal(b);
    expect.push_back(b);
  }
  for (std::uint32_t d :
       {1u, 2u, 3u, 4u, 7u, 8u, 255u, 256u, 1000u, 4096u, 32767u, 32768u, 39999u}) {
    enc.match(3, d);
    const std::size_t from = expect.size() - d;
    for (int k = 0; k < 3; ++k) expect.push_back(expect[from + k]);
  }
  enc.end_of_stream();
  std::vector<std::uint8_t> out(expect.size());
  auto r = decode(enc.bytes(), out);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  CHECK(out == expect);
}

TEST_CASE("xpress huffman: a canonical code of mixed lengths") {
  // 'a' and 'b' take 2 bits each (half the code space); 254 other literals, the
  // end-of-stream symbol 256 and symbol 257 (match length 4, distance 1) take 9 bits.
  XpressTestEncoder::Lengths len{};
  for (unsigned s = 0; s < 256; ++s) len[s] = 9;
  len['a'] = 2;
  len['b'] = 2;
  len[256] = 9;
  len[257] = 9;
  XpressTestEncoder enc;
  enc.begin_block(len);
  const std::string text = "abbaZZZZZab";  // "ZZZZZ" = literal Z + match(4, 1)
  enc.literal('a');
  enc.literal('b');
  enc.literal('b');
  enc.literal('a');
  enc.literal('Z');
  enc.match(4, 1);
  enc.literal('a');
  enc.literal('b');
  enc.end_of_stream();
  std::vector<std::uint8_t> out(text.size());
  auto r = decode(enc.bytes(), out);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  CHECK(as_string(out) == text);
}

TEST_CASE(
    "xpress huffman: block boundaries, a new table per block, matches into the previous block") {
  // Block 1: 65536 literals. Block 2 (a different table) starts at the next input
  // byte; its first match copies from block 1, and a long match runs 20 bytes past
  // the 65536-byte block end, so block 3 starts where that match ended.
  std::vector<std::uint8_t> expect;
  XpressTestEncoder enc;
  enc.begin_block(XpressTestEncoder::uniform());
  for (int i = 0; i < 65536; ++i) {
    auto b = static_cast<std::uint8_t>((i * 31) ^ (i >> 9));
    enc.literal(b);
    expect.push_back(b);
  }
  XpressTestEncoder::Lengths second = XpressTestEncoder::uniform();
  second['q'] = 0;  // any complete code will do; this one differs from block 1
  second['Q'] = 8;
  enc.begin_block(second);
  auto copy = [&](std::uint32_t length, std::uint32_t distance) {
    enc.match(length, distance);
    const std::size_t from = expect.size() - distance;
    for (std::uint32_t k = 0; k < length; ++k) expect.push_back(expect[from + k]);
  };
  copy(300, 65000);  // reaches back into block 1
  for (int i = 0; i < 65000; ++i) {
    enc.literal('Q');
    expect.push_back('Q');
  }
  copy(256, 1);  // 65536 + 300 + 65000 + 256 = 131092: 20 bytes past block 2's end
  REQUIRE(expect.size() == 65536 + 65536 + 20);
  enc.begin_block(XpressTestEncoder::uniform());
  for (char c : std::string("end of block three")) {
    enc.literal(static_cast<std::uint8_t>(c));
    expect.push_back(static_cast<std::uint8_t>(c));
  }
  enc.end_of_stream();
  std::vector<std::uint8_t> out(expect.size());
  auto r = decode(enc.bytes(), out);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  CHECK(out == expect);
}

TEST_CASE("xpress huffman: stops at the declared size, clipping the last match") {
  XpressTestEncoder enc;
  enc.begin_block(XpressTestEncoder::uniform());
  enc.literal('a');
  enc.match(100, 1);
  enc.end_of_stream();
  std::vector<std::uint8_t> out(10);
  REQUIRE(decode(enc.bytes(), out).ok());
  CHECK(as_string(out) == "aaaaaaaaaa");
  std::vector<std::uint8_t> none;
  CHECK(decode(enc.bytes(), none).ok());
}

TEST_CASE("xpress huffman: malformed input gives an error, never a crash") {
  XpressTestEncoder enc;
  enc.begin_block(XpressTestEncoder::uniform());
  for (int i = 0; i < 2000; ++i) enc.literal(static_cast<std::uint8_t>(i));
  enc.end_of_stream();
  const auto good = enc.bytes();

  SUBCASE("input shorter than a table") {
    std::vector<std::uint8_t> in(good.begin(), good.begin() + 100), out(2000);
    auto r = decode(in, out);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("Huffman table") != std::string::npos);
  }
  SUBCASE("truncated bit stream") {
    std::vector<std::uint8_t> in(good.begin(), good.begin() + 1000), out(2000);
    auto r = decode(in, out);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("truncated") != std::string::npos);
  }
  SUBCASE("more output declared than the stream holds") {
    std::vector<std::uint8_t> out(5000);
    CHECK_FALSE(decode(good, out).ok());
  }
  SUBCASE("over-subscribed code lengths") {
    std::vector<std::uint8_t> in(good);
    std::fill(in.begin(), in.begin() + 256, 0x11);  // 512 codes of 1 bit
    std::vector<std::uint8_t> out(10);
    auto r = decode(in, out);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().offset == 0);
  }
  SUBCASE("empty code") {
    std::vector<std::uint8_t> in(300, 0), out(10);
    auto r = decode(in, out);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("no Huffman code") != std::string::npos);
  }
  SUBCASE("match before the start of the output") {
    XpressTestEncoder bad;
    bad.begin_block(XpressTestEncoder::uniform());
    bad.literal('a');
    bad.match(3, 2);
    std::vector<std::uint8_t> out(4);
    auto r = decode(bad.bytes(), out);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("before the start") != std::string::npos);
  }
  SUBCASE("long length escape cut off") {
    XpressTestEncoder bad;
    bad.begin_block(XpressTestEncoder::uniform());
    bad.literal('a');
    bad.match(300, 1);
    std::vector<std::uint8_t> in(bad.bytes());
    in.pop_back();  // drops the 16-bit length's second byte
    std::vector<std::uint8_t> out(301);
    CHECK_FALSE(decode(in, out).ok());
  }
}
