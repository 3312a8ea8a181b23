#include "core/small_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace kk {

Result<std::string> read_small_file(const std::string& path, std::size_t max_bytes) {
  using R = Result<std::string>;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return R::fail("cannot read " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[64 << 10];
  for (;;) {
    std::size_t n = std::fread(buf, 1, sizeof buf, f.get());
    if (n == 0) break;
    if (text.size() + n > max_bytes)
      return R::fail(path + " is larger than " + std::to_string(max_bytes) + " bytes", max_bytes);
    text.append(buf, n);
  }
  if (std::ferror(f.get())) return R::fail("cannot read " + path + ": " + std::strerror(errno));
  return text;
}

}  // namespace kk
