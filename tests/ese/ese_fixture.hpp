// Real ESE databases for the tests: the small SRUM database of tests/data/ese
// (gzipped) and the corpus files, decompressed in memory.
#pragma once

#include <archive.h>

#include <cstdint>
#include <string>
#include <vector>

#include "../test_util.hpp"

namespace kk_test {

// The bytes of a .gz file (empty if it cannot be read).
inline std::vector<std::uint8_t> gunzip_file(const std::string& path) {
  std::vector<std::uint8_t> out;
  archive* a = archive_read_new();
  archive_read_support_filter_gzip(a);
  archive_read_support_format_raw(a);
  archive_entry* e = nullptr;
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) == ARCHIVE_OK &&
      archive_read_next_header(a, &e) == ARCHIVE_OK) {
    std::uint8_t buf[1 << 16];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
  }
  archive_read_free(a);
  return out;
}

inline std::vector<std::uint8_t> small_srum() {
  return gunzip_file(std::string(KK_TEST_DATA) + "/ese/SRUDB.dat.gz");
}

inline std::vector<std::uint8_t> bytes_of(const std::string& path) {
  std::string s = read_file(path);
  return {s.begin(), s.end()};
}

}  // namespace kk_test
