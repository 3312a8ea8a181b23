#include <doctest/doctest.h>

#include <vector>

#include "core/byte_reader.hpp"
#include "core/mapped_file.hpp"

using kk::ByteCursor;
using kk::ByteReader;

TEST_CASE("ByteReader reads little-endian values and refuses reads past the end") {
  const std::uint8_t buf[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
  ByteReader r(buf, sizeof buf);
  CHECK(*r.u16(0) == 0x0201);
  CHECK(*r.u32(1) == 0x05040302u);
  CHECK(*r.u64(1) == 0x0908070605040302ull);
  CHECK_FALSE(r.u64(2).has_value());
  CHECK_FALSE(r.u8(9).has_value());
  CHECK_FALSE(r.u32(SIZE_MAX - 1).has_value());  // offset + size overflow must not wrap
  CHECK_FALSE(r.span(5, SIZE_MAX).has_value());
  CHECK(r.clamp(7, 100).size() == 2);
  CHECK(r.clamp(100, 1).size() == 0);
  CHECK(r.starts_with(0, "\x01\x02"));
  CHECK_FALSE(r.starts_with(8, "\x09\x0a"));
}

TEST_CASE("ByteCursor error is sticky") {
  const std::uint8_t buf[] = {0xff, 0xff, 0x10};
  ByteCursor c(ByteReader(buf, sizeof buf));
  CHECK(c.u16() == 0xffff);
  CHECK(c.ok());
  CHECK(c.u16() == 0);  // only one byte left
  CHECK_FALSE(c.ok());
  CHECK(c.u8() == 0);  // stays failed even though a byte would fit
  CHECK(c.take(1).empty());
}

TEST_CASE("empty input") {
  ByteReader r;
  CHECK(r.size() == 0);
  CHECK_FALSE(r.u8(0).has_value());
  CHECK(r.span(0, 0).has_value());
}

TEST_CASE("MappedFile maps read-only and reports missing files") {
  kk::MappedFile f;
  std::string err;
  CHECK_FALSE(f.open("/nonexistent/kakekomi", &err));
  CHECK(err.find("No such file") != std::string::npos);
  CHECK_FALSE(f.open("/", &err));
  REQUIRE(f.open(KK_SOURCE_DIR "/CMakeLists.txt", &err));
  CHECK(f.size() > 100);
  CHECK(ByteReader(f.bytes()).starts_with(0, "cmake_minimum_required"));
}

#include "core/windows_types.hpp"

TEST_CASE("GUID, SID and hex renderings match Windows") {
  const std::uint8_t guid[] = {0x67, 0x45, 0x23, 0x01, 0xAB, 0x89, 0xEF, 0xCD,
                               0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF};
  CHECK(kk::format_guid(guid) == "{01234567-89AB-CDEF-0123-456789ABCDEF}");
  CHECK(kk::format_guid(std::span(guid, 15)).empty());
  const std::uint8_t sid[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0};
  CHECK(kk::format_sid(sid) == "S-1-5-32-544");
  CHECK(
      kk::format_sid(std::span(sid, 12)).empty());  // count says 2 sub-authorities, only 1 present
  CHECK(kk::format_hex(0x1a2b) == "0x1A2B");
  CHECK(kk::format_hex(0x1a, 8) == "0x0000001A");
  CHECK(kk::hex_bytes(std::span(guid, 2)) == "6745");
}

#include "core/crc32.hpp"

TEST_CASE("CRC-32 check value and chunked updates agree") {
  const std::string s = "123456789";
  auto p = reinterpret_cast<const std::uint8_t*>(s.data());
  CHECK(kk::crc32(0, p, s.size()) == 0xCBF43926u);
  CHECK(kk::crc32(kk::crc32(0, p, 4), p + 4, 5) == 0xCBF43926u);
  std::vector<std::uint8_t> big(100000);  // long enough for the folding path
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
  std::uint32_t whole = kk::crc32(0, big);
  std::uint32_t parts =
      kk::crc32(kk::crc32(0, big.data(), 777), big.data() + 777, big.size() - 777);
  CHECK(whole == parts);
}
