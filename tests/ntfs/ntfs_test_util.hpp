// Helpers for the ntfs tests: the generated volume's $MFT (gzip) and parser output as JSON.
#pragma once

#include <archive.h>

#include <simdjson.h>

#include <map>
#include <string>
#include <vector>

#include "../test_util.hpp"
#include "core/diagnostics.hpp"
#include "ntfs/mft.hpp"

namespace ntfs_test {

inline std::string data(const std::string& name) {
  return std::string(KK_TEST_DATA) + "/ntfs/" + name;
}

// Gunzips PATH (libarchive's raw format).
inline std::vector<std::uint8_t> gunzip(const std::string& path) {
  std::vector<std::uint8_t> out;
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_raw(a);
  archive_entry* e;
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) == ARCHIVE_OK &&
      archive_read_next_header(a, &e) == ARCHIVE_OK) {
    std::uint8_t buf[1 << 16];
    for (la_ssize_t n; (n = archive_read_data(a, buf, sizeof buf)) > 0;)
      out.insert(out.end(), buf, buf + n);
  }
  archive_read_free(a);
  return out;
}

inline std::vector<std::uint8_t> bytes_of(const std::string& path) {
  std::string s = kk_test::read_file(path);
  return {s.begin(), s.end()};
}

// Runs parse_mft on BYTES and returns its output text.
inline std::string run_mft(const std::vector<std::uint8_t>& bytes, kk::Diagnostics& diag,
                           unsigned jobs = 1, kk::ntfs::MftOptions opts = {}) {
  std::string out;
  opts.jobs = jobs;
  if (opts.source.empty()) opts.source = "volume.mft";
  opts.file = opts.source;
  kk::ntfs::parse_mft(kk::Bytes(bytes.data(), bytes.size()), opts, diag,
                      [&](std::string_view s) { out.append(s); });
  return out;
}

// Splits JSONL into lines.
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> v;
  std::size_t p = 0;
  while (p < text.size()) {
    auto nl = text.find('\n', p);
    if (nl == std::string::npos) nl = text.size();
    v.push_back(text.substr(p, nl - p));
    p = nl + 1;
  }
  return v;
}

}  // namespace ntfs_test
