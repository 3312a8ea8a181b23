// Buffered output to a file (-o PATH) or standard output ("-").
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace kk {

class Output {
 public:
  Output() = default;
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  ~Output();

  // "-" or empty: stdout. Returns false with *error set when PATH cannot be created.
  bool open(const std::string& path, std::string* error);
  void write(std::string_view s);
  // Writes and clears BUF once it is large enough (batched writes in hot loops).
  void drain(std::string& buf, std::size_t threshold = 1 << 16) {
    if (buf.size() >= threshold) {
      write(buf);
      buf.clear();
    }
  }
  // Flushes; returns false if any write failed (disk full, closed pipe).
  bool close();
  bool failed() const { return failed_; }

 private:
  std::FILE* f_ = nullptr;
  bool owns_ = false;
  bool failed_ = false;
};

}  // namespace kk
