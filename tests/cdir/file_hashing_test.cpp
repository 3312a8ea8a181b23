// A folder's files read two at a time per thread: every outcome handed on in file order,
// each file's digests its own (whatever file it was read beside), errors kept per file.
#include <doctest/doctest.h>

#include <fcntl.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "../test_util.hpp"
#include "cdir/file_hashing.hpp"

namespace {
std::string file_bytes(std::size_t n, std::uint32_t seed) {
  std::string s(n, '\0');
  for (auto& c : s) {
    seed = seed * 1664525u + 1013904223u;
    c = static_cast<char>(seed >> 24);
  }
  return s;
}
}  // namespace

TEST_CASE("hash_files: outcomes in order, each file's own digests, on any number of threads") {
  const std::string dir = kk_test::temp_dir();
  // Sizes around the blocks and the 1 MiB reads; a large file among small ones.
  const std::vector<std::size_t> sizes{0,       1,   63,   64,      65, (1 << 20) + 3,
                                       3 << 20, 100, 5000, 2 << 20, 7};
  std::vector<std::string> contents;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    contents.push_back(file_bytes(sizes[i], static_cast<std::uint32_t>(i + 1)));
    std::ofstream(dir + "/f" + std::to_string(i), std::ios::binary) << contents.back();
  }
  for (unsigned threads : {1u, 2u, 3u}) {
    CAPTURE(threads);
    std::vector<std::size_t> order;
    kk::cdir::hash_files(
        sizes.size() + 2, threads,
        [&](std::size_t i, kk::cdir::FileToHash& f, kk::cdir::HashOutcome& listed) {
          if (i == sizes.size()) {  // listed only: its outcome as given
            listed.bytes = 42;
            return false;
          }
          f.path = i < sizes.size() ? dir + "/f" + std::to_string(i) : dir + "/missing";
          f.hashes = kk::HashSet::all();
          return true;
        },
        [&](std::size_t i, kk::cdir::HashOutcome&& out) {
          order.push_back(i);
          if (i < sizes.size()) {
            CAPTURE(i);
            const kk::Digests want = kk::hash_bytes(
                {reinterpret_cast<const std::uint8_t*>(contents[i].data()), contents[i].size()});
            CHECK(out.error.empty());
            CHECK(out.bytes == sizes[i]);
            CHECK(out.digests.md5 == want.md5);
            CHECK(out.digests.sha1 == want.sha1);
            CHECK(out.digests.sha256 == want.sha256);
          } else if (i == sizes.size()) {
            CHECK(out.bytes == 42);
          } else {
            CHECK(out.error.find("cannot open") == 0);
          }
        });
    REQUIRE(order.size() == sizes.size() + 2);
    for (std::size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
  }
  // What DONE throws stops the reading and reaches the caller.
  CHECK_THROWS_AS(kk::cdir::hash_files(
                      sizes.size(), 2,
                      [&](std::size_t i, kk::cdir::FileToHash& f, kk::cdir::HashOutcome&) {
                        f.path = dir + "/f" + std::to_string(i);
                        f.hashes = kk::HashSet::all();
                        return true;
                      },
                      [](std::size_t i, kk::cdir::HashOutcome&&) {
                        if (i == 3) throw std::runtime_error("stop");
                      }),
                  std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "hash_files: each file's bytes copied where asked; a copy that fails is that file's error") {
  const std::string dir = kk_test::temp_dir();
  const std::string body = file_bytes((1 << 20) + 17, 9);
  std::ofstream(dir + "/in", std::ios::binary) << body;
  std::vector<std::string> errors(2);
  kk::cdir::hash_files(
      2, 1,
      [&](std::size_t i, kk::cdir::FileToHash& f, kk::cdir::HashOutcome&) {
        f.path = dir + "/in";
        f.hashes = kk::HashSet::all();
        // File 0 is copied; file 1's descriptor is read-only, so its copy fails.
        f.copy_fd = i == 0 ? ::open((dir + "/copy").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600)
                           : ::open((dir + "/in").c_str(), O_RDONLY);
        return true;
      },
      [&](std::size_t i, kk::cdir::HashOutcome&& out) { errors[i] = out.error; });
  CHECK(errors[0].empty());
  CHECK(errors[1].find("copy failed: ") == 0);
  std::ifstream copy(dir + "/copy", std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(copy), {}) == body);
  std::filesystem::remove_all(dir);
}
