#include "core/output.hpp"

#include <cerrno>
#include <cstring>

namespace kk {

Output::~Output() { close(); }

bool Output::open(const std::string& path, std::string* error) {
  if (path.empty() || path == "-") {
    f_ = stdout;
    owns_ = false;
  } else {
    f_ = std::fopen(path.c_str(), "wb");
    if (!f_) {
      if (error) *error = std::strerror(errno);
      return false;
    }
    owns_ = true;
  }
  std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
  return true;
}

void Output::write(std::string_view s) {
  if (!f_ || s.empty()) return;
  if (std::fwrite(s.data(), 1, s.size(), f_) != s.size()) failed_ = true;
}

bool Output::close() {
  if (!f_) return !failed_;
  if (std::fflush(f_) != 0) failed_ = true;
  if (owns_ && std::fclose(f_) != 0) failed_ = true;
  f_ = nullptr;
  return !failed_;
}

}  // namespace kk
