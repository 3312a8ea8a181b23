#include "core/password_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace kk {

Result<std::string> read_password_file(const std::string& path) {
  using R = Result<std::string>;
  constexpr std::size_t kMax = 64 << 10;  // far past any password; a wrong file stops here
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return R::fail("cannot read password file " + path + ": " + std::strerror(errno));
  std::string s(kMax + 1, '\0');
  std::size_t n = std::fread(s.data(), 1, s.size(), f);
  bool err = std::ferror(f) != 0;
  std::fclose(f);
  if (err) return R::fail("cannot read password file " + path);
  s.resize(n);
  if (s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);
  std::size_t nl = s.find('\n');
  if (nl == std::string::npos && n > kMax)
    return R::fail("password file " + path + " has no line end in its first 64 KiB");
  if (nl != std::string::npos) s.resize(nl);
  if (!s.empty() && s.back() == '\r') s.pop_back();
  if (s.empty())
    return R::fail("password file " + path + " is empty (its first line is the password)");
  if (s.find('\0') != std::string::npos)
    return R::fail("password file " + path + " holds a NUL byte: not a text file");
  return s;
}

}  // namespace kk
