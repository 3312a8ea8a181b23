// core/direct_writer and core/block_writer: the bytes on disk are exactly those appended,
// whether O_DIRECT was taken or not, from an aligned or an unaligned start, in pieces of any
// size; BlockWriter with one or two writes in flight, and a failed write reported, not
// waited on.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "../test_util.hpp"
#include "core/block_writer.hpp"
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

// PATH written with PREFIX bytes, then TOTAL bytes through a writer on its descriptor in
// pieces of 1, 2, 4, … bytes (wrapping at 64 KiB), then "END" through the descriptor:
// checks the file holds exactly those bytes and the writer left the offset at their end.
// RUN(fd, body, put) makes the writer, calls put(piece, writer) for each piece, finishes.
template <typename Run>
void check_exact_bytes(const std::string& path, std::size_t prefix, std::size_t total, Run run) {
  CAPTURE(prefix);
  CAPTURE(total);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  const std::string head = pattern(prefix, 3);
  REQUIRE(::write(fd, head.data(), head.size()) == static_cast<ssize_t>(head.size()));
  const std::string body = pattern(total, 1);
  run(fd, [&](auto&& put) {
    std::size_t at = 0, step = 1;
    while (at < body.size()) {
      std::size_t n = std::min(step, body.size() - at);
      put(std::string_view(body).substr(at, n));
      at += n;
      step = step >= 65536 ? 1 : step * 2;
    }
  });
  // The offset is where the bytes end: a caller can go on writing.
  CHECK(::lseek(fd, 0, SEEK_CUR) == static_cast<off_t>(prefix + total));
  REQUIRE(::write(fd, "END", 3) == 3);
  ::close(fd);
  CHECK(kk_test::read_file(path) == head + body + "END");
}

// O_DIRECT exactly where it can be: from an aligned start, on a file system that takes it.
bool direct_expected(const std::string& path, std::size_t prefix) {
  return prefix % kk::kDirectAlign == 0 && takes_direct(path) && kk::direct_io_allowed();
}

}  // namespace

TEST_CASE("DirectWriter: exact bytes and length, any piece sizes, any start") {
  const std::string dir = kk_test::temp_dir();
  REQUIRE(!dir.empty());
  const std::string path = dir + "/out";
  for (const std::size_t prefix : {std::size_t{0}, std::size_t{5}, kk::kDirectAlign})
    for (const bool try_direct : {true, false})
      for (const std::size_t total :
           {std::size_t{0}, std::size_t{1}, std::size_t{4096}, std::size_t{4097},
            std::size_t{3 * 8192 + 11}, std::size_t{200000}}) {
        CAPTURE(try_direct);
        check_exact_bytes(path, prefix, total, [&](int fd, auto&& each_piece) {
          kk::DirectWriter w(fd, 8192, try_direct);
          CHECK(w.direct() == (try_direct && direct_expected(path, prefix)));
          each_piece([&](std::string_view p) { REQUIRE(w.append(p.data(), p.size())); });
          CHECK(w.bytes() == total);
          REQUIRE(w.finish());
          CHECK_FALSE(w.direct());
        });
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

TEST_CASE("BlockWriter: exact bytes and length, any piece sizes, any start, 1 or 2 threads") {
  const std::string dir = kk_test::temp_dir();
  REQUIRE(!dir.empty());
  const std::string path = dir + "/out";
  for (const std::size_t prefix : {std::size_t{0}, std::size_t{5}, kk::kDirectAlign})
    for (const unsigned threads : {1u, 2u})
      for (const std::size_t total :
           {std::size_t{0}, std::size_t{1}, std::size_t{8192}, std::size_t{8193},
            std::size_t{3 * 8192 + 11}, std::size_t{1000003}}) {
        CAPTURE(threads);
        check_exact_bytes(path, prefix, total, [&](int fd, auto&& each_piece) {
          kk::BlockWriter w(fd, 8192, threads);
          CHECK(w.direct() == direct_expected(path, prefix));
          each_piece([&](std::string_view p) { w.write(p); });
          REQUIRE(w.finish());
          CHECK_FALSE(w.direct());
        });
      }
}

TEST_CASE("BlockWriter: a failed write is an error, and the writer does not wait on it") {
  const std::string dir = kk_test::temp_dir();
  REQUIRE(!dir.empty());
  const std::string path = dir + "/read-only";
  {
    int w = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(w >= 0);
    REQUIRE(::write(w, "x", 1) == 1);
    ::close(w);
  }
  int fd = ::open(path.c_str(), O_RDONLY);  // every write fails with EBADF
  REQUIRE(fd >= 0);
  kk::BlockWriter w(fd, 4096, 2);
  const std::string body = pattern(100000, 5);  // 24 blocks: more than the writer holds
  for (int i = 0; i < 10; ++i) w.write(body);
  CHECK_FALSE(w.finish());
  CHECK(w.failed());
  CHECK(w.error() == EBADF);
  ::close(fd);
  CHECK(kk_test::read_file(path) == "x");
}

TEST_CASE("BlockWriter: a device is written through, never made O_DIRECT or cut") {
  int fd = ::open("/dev/null", O_WRONLY);
  REQUIRE(fd >= 0);
  kk::BlockWriter w(fd, 4096, 2);
  CHECK_FALSE(w.direct());
  w.write(pattern(100000, 2));
  CHECK(w.finish());
  ::close(fd);
}
