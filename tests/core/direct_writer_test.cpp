// core/direct_writer: the bytes on disk are exactly those appended, whether O_DIRECT was
// taken or not, from an aligned or an unaligned start, in pieces of any size.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "../test_util.hpp"
#include "core/direct_writer.hpp"
#include "core/output.hpp"

namespace {

// Text of N bytes that shows where each byte came from (no run of zeros to hide padding).
std::string pattern(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + seed) % 26);
  return s;
}

bool takes_direct(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_DIRECT);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

}  // namespace

TEST_CASE("DirectWriter: exact bytes and length, any piece sizes, any start") {
  const std::string dir = kk_test::temp_dir();
  REQUIRE(!dir.empty());
  for (const std::size_t prefix : {std::size_t{0}, std::size_t{5}, kk::kDirectAlign})
    for (const bool try_direct : {true, false})
      for (const std::size_t total :
           {std::size_t{0}, std::size_t{1}, std::size_t{4096}, std::size_t{4097},
            std::size_t{3 * 8192 + 11}, std::size_t{200000}}) {
        CAPTURE(prefix);
        CAPTURE(try_direct);
        CAPTURE(total);
        const std::string path = dir + "/out";
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        REQUIRE(fd >= 0);
        const std::string head = pattern(prefix, 3);
        REQUIRE(::write(fd, head.data(), head.size()) == static_cast<ssize_t>(head.size()));
        const std::string body = pattern(total, 1);
        {
          kk::DirectWriter w(fd, 8192, try_direct);
          // A direct start needs an aligned offset: from 5 bytes in, the page cache.
          if (prefix % kk::kDirectAlign != 0 || !try_direct)
            CHECK_FALSE(w.direct());
          else  // aligned: O_DIRECT wherever this file system takes it
            CHECK(w.direct() == (takes_direct(path) && kk::direct_io_allowed()));
          std::size_t at = 0, step = 1;
          while (at < body.size()) {  // pieces of 1, 2, 4, … bytes, wrapping at 64 KiB
            std::size_t n = std::min(step, body.size() - at);
            REQUIRE(w.append(body.data() + at, n));
            at += n;
            step = step >= 65536 ? 1 : step * 2;
          }
          CHECK(w.bytes() == total);
          REQUIRE(w.finish());
          CHECK_FALSE(w.direct());
          // The offset is where the bytes end: a caller can go on writing.
          CHECK(::lseek(fd, 0, SEEK_CUR) == static_cast<off_t>(prefix + total));
          REQUIRE(::write(fd, "END", 3) == 3);
        }
        ::close(fd);
        CHECK(kk_test::read_file(path) == head + body + "END");
      }
}

TEST_CASE("DirectWriter: KK_DIRECT_IO=0 keeps every write in the page cache") {
  const std::string dir = kk_test::temp_dir();
  REQUIRE(!dir.empty());
  const std::string path = dir + "/out";
  const char* before = std::getenv("KK_DIRECT_IO");
  const std::string saved = before ? before : "";
  ::setenv("KK_DIRECT_IO", "0", 1);
  CHECK_FALSE(kk::direct_io_allowed());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  const std::string body = pattern(10001, 4);
  {
    kk::DirectWriter w(fd, 4096, true);
    CHECK_FALSE(w.direct());
    CHECK(w.append(body.data(), body.size()));
    CHECK(w.finish());
  }
  ::close(fd);
  if (before)
    ::setenv("KK_DIRECT_IO", saved.c_str(), 1);
  else
    ::unsetenv("KK_DIRECT_IO");
  CHECK(kk_test::read_file(path) == body);
  ::setenv("KK_DIRECT_IO", "1", 1);
  CHECK(kk::direct_io_allowed());
  if (before)
    ::setenv("KK_DIRECT_IO", saved.c_str(), 1);
  else
    ::unsetenv("KK_DIRECT_IO");
}

TEST_CASE("DirectWriter: a device is written through, never made O_DIRECT or cut") {
  int fd = ::open("/dev/null", O_WRONLY);
  REQUIRE(fd >= 0);
  kk::DirectWriter w(fd, 4096, true);
  CHECK_FALSE(w.direct());
  const std::string body = pattern(10000, 2);
  CHECK(w.append(body.data(), body.size()));
  CHECK(w.finish());
  ::close(fd);
}

TEST_CASE("Output in the background: what was written before it and after it, in order") {
  const std::string dir = kk_test::temp_dir();
  REQUIRE(!dir.empty());
  const std::string path = dir + "/big.jsonl";
  std::string expected;
  kk::Output out;
  REQUIRE(out.open(path, nullptr));
  out.write("header, written before the background thread started\n");  // unaligned start
  expected += "header, written before the background thread started\n";
  out.write_in_background();
  for (int i = 0; i < 5000; ++i) {
    std::string line =
        std::to_string(i) + ":" + pattern(static_cast<std::size_t>(i % 997), i) + "\n";
    out.write(line);
    expected += line;
  }
  REQUIRE(out.close());
  CHECK(kk_test::read_file(path) == expected);
}
