#include "ntfs/path_filter.hpp"

#include <regex.h>

#include <memory>

namespace kk::ntfs {

std::function<bool(std::string_view)> make_path_filter(const std::string& pattern,
                                                       std::string* error) {
  auto compiled = std::make_unique<regex_t>();
  if (int rc = regcomp(compiled.get(), pattern.c_str(), REG_EXTENDED | REG_ICASE | REG_NOSUB);
      rc != 0) {
    char buf[256];
    regerror(rc, compiled.get(), buf, sizeof buf);
    if (error) *error = buf;
    return {};
  }
  // Shared so the std::function stays copyable; freed with the last copy.
  std::shared_ptr<regex_t> re(compiled.release(), [](regex_t* r) {
    regfree(r);
    delete r;
  });
  return [re](std::string_view s) {
    std::string copy(s);  // regexec needs a NUL-terminated string
    return regexec(re.get(), copy.c_str(), 0, nullptr, 0) == 0;
  };
}

}  // namespace kk::ntfs
