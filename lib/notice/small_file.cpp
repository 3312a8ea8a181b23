#include <cerrno>
#include <cstdio>
#include <cstring>

#include "notice/notice.hpp"

namespace kk::notice {

bool read_small_file(const std::string& path, std::size_t max_bytes, std::string* out,
                     std::string* error) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) {
    *error = std::strerror(errno);
    return false;
  }
  out->clear();
  char buf[65536];
  std::size_t n;
  bool ok = true;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if (out->size() + n > max_bytes) {
      *error = "larger than " + std::to_string(max_bytes) + " bytes; not a " +
               (max_bytes > 65536 ? "CASE.json" : "key file");
      ok = false;
      break;
    }
    out->append(buf, n);
  }
  if (ok && std::ferror(f)) {
    *error = std::strerror(errno);
    ok = false;
  }
  if (f != stdin) std::fclose(f);
  // A UTF-8 byte order mark (Windows Notepad) is not part of the JSON.
  if (ok && out->compare(0, 3, "\xEF\xBB\xBF") == 0) out->erase(0, 3);
  return ok;
}

}  // namespace kk::notice
