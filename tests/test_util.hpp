// Small helpers shared by test binaries.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace kk_test {

// A fresh, empty temporary file path (the file exists, so no other process takes the name).
inline std::string temp_file() {
  char tmpl[] = "/tmp/kakekomi-test-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd >= 0) close(fd);
  return tmpl;
}

// A fresh temporary directory.
inline std::string temp_dir() {
  char tmpl[] = "/tmp/kakekomi-test-XXXXXX";
  const char* p = mkdtemp(tmpl);
  return p ? p : "";
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// COMMAND as a shell command line whose memory is capped at MB megabytes and whose run time
// at SECONDS (then it is killed: exit status 137), for regression tests of inputs that once
// allocated without bound or hung. Under AddressSanitizer, which reserves terabytes of
// address space, the cap is its hard_rss_limit_mb instead of ulimit -v.
inline std::string bounded(const std::string& command, int mb, int seconds) {
  std::string cap = "ulimit -v " + std::to_string(mb * 1024) + "; ";
#if defined(__SANITIZE_ADDRESS__)
  cap = "ASAN_OPTIONS=\"$ASAN_OPTIONS:hard_rss_limit_mb=" + std::to_string(mb) +
        "\"; export ASAN_OPTIONS; ";
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  cap = "ASAN_OPTIONS=\"$ASAN_OPTIONS:hard_rss_limit_mb=" + std::to_string(mb) +
        "\"; export ASAN_OPTIONS; ";
#endif
#endif
  return "(" + cap + "exec timeout -s KILL " + std::to_string(seconds) + " " + command + ")";
}

}  // namespace kk_test
