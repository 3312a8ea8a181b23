// The MAM container: header forms, the CRC32 variant ("MAM\x84") and its checks.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/crc32.hpp"
#include "compress/mam.hpp"
#include "core/mapped_file.hpp"
#include "xpress_test_encoder.hpp"

namespace {

std::vector<std::uint8_t> compressed(const std::string& text) {
  kk_test::XpressTestEncoder enc;
  enc.begin_block(kk_test::XpressTestEncoder::uniform());
  for (char c : text) enc.literal(static_cast<std::uint8_t>(c));
  enc.end_of_stream();
  return enc.bytes();
}

void put32(std::vector<std::uint8_t>& v, std::uint32_t x) {
  for (int i = 0; i < 4; ++i) v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}

std::vector<std::uint8_t> mam(std::uint8_t flags, const std::string& text, bool with_crc) {
  std::vector<std::uint8_t> f{'M', 'A', 'M', flags};
  put32(f, static_cast<std::uint32_t>(text.size()));
  auto body = compressed(text);
  if (with_crc) {
    std::vector<std::uint8_t> head(f);
    put32(head, 0);
    std::uint32_t crc = kk::crc32(0, head);
    crc = kk::crc32(crc, body);
    put32(f, crc);
  }
  f.insert(f.end(), body.begin(), body.end());
  return f;
}

}  // namespace

TEST_CASE("mam: MAM\\x04 without checksum") {
  auto f = mam(0x04, "SCCA payload", false);
  auto r = kk::mam_decompress(f);
  REQUIRE(r.ok());
  CHECK(std::string(r->data.begin(), r->data.end()) == "SCCA payload");
  CHECK_FALSE(r->crc_ok.has_value());
  CHECK(r->header.data_offset == 8);
}

TEST_CASE("mam: MAM\\x84 carries a CRC32 over the zeroed header and the data") {
  auto f = mam(0x84, "checked payload", true);
  auto r = kk::mam_decompress(f);
  REQUIRE(r.ok());
  CHECK(r->header.has_crc);
  CHECK(r->header.data_offset == 12);
  REQUIRE(r->crc_ok.has_value());
  CHECK(*r->crc_ok);
  CHECK(std::string(r->data.begin(), r->data.end()) == "checked payload");

  // A changed byte after the end-of-stream symbol still decodes, but the CRC says so.
  f.push_back(0);
  auto altered = kk::mam_decompress(f);
  REQUIRE(altered.ok());
  CHECK_FALSE(*altered->crc_ok);
  CHECK(altered->computed_crc != altered->header.stored_crc);
}

TEST_CASE("mam: malformed headers are errors with offsets") {
  std::vector<std::uint8_t> shortf{'M', 'A', 'M', 0x04, 1, 0};
  CHECK_FALSE(kk::mam_decompress(shortf).ok());
  std::vector<std::uint8_t> short_crc{'M', 'A', 'M', 0x84, 1, 0, 0, 0, 9};
  CHECK_FALSE(kk::mam_decompress(short_crc).ok());

  auto lznt1 = mam(0x02, "x", false);
  auto r = kk::mam_decompress(lznt1);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("format 2") != std::string::npos);

  // A forged size is refused before any allocation.
  std::vector<std::uint8_t> huge{'M', 'A', 'M', 0x04, 0xFF, 0xFF, 0xFF, 0xFF};
  auto h = kk::mam_decompress(huge);
  REQUIRE_FALSE(h.ok());
  CHECK(h.error().offset == 4);

  // A declared size the data cannot hold (each 64 KiB block needs a 256-byte
  // table) is refused before allocating it.
  auto small = mam(0x04, "x", false);
  small[4] = 0x00, small[5] = 0x00, small[6] = 0x10, small[7] = 0x00;  // 1 MiB
  auto s = kk::mam_decompress(small);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("can hold") != std::string::npos);

  // Decoding errors report file offsets (past the header).
  auto cut = mam(0x04, std::string(3000, 'z'), false);
  cut.resize(400);
  auto c = kk::mam_decompress(cut);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().offset >= 8);
}

TEST_CASE("mam: a real six-block Windows 10 prefetch file decompresses to its declared SCCA data") {
  const std::string path =
      std::string(KK_CORPUS) + "/prefetch/ez-prefetch/Win10/DEVENV.EXE-854D7862.pf";
  kk::MappedFile mf;
  std::string err;
  if (!mf.open(path, &err)) {
    MESSAGE("corpus file not found (" << err << "); skipped");
    return;
  }
  auto r = kk::mam_decompress(mf.bytes());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
  // 380690 bytes = 6 blocks of up to 64 KiB; the SCCA header's own file size field
  // (offset 12) must repeat the container's declared size.
  CHECK(r->header.uncompressed_size == 380690);
  CHECK(std::string(r->data.begin() + 4, r->data.begin() + 8) == "SCCA");
  CHECK(kk::ByteReader(r->data).u32(0) == 30u);
  CHECK(kk::ByteReader(r->data).u32(12) == 380690u);
  CHECK(r->header.data_offset + r->compressed_consumed <= mf.size());
  CHECK(mf.size() - r->header.data_offset - r->compressed_consumed <= 8);
}
