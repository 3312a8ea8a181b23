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

}  // namespace kk_test
