// Buffered output to a file (-o PATH) or standard output ("-").
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace kk {

class Output {
 public:
  Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  ~Output();

  // "-" or empty: stdout. Returns false with *error set when PATH cannot be created.
  bool open(const std::string& path, std::string* error);
  // From now on writes go to a thread of their own (1 MiB buffers, at most 4 waiting),
  // so the kernel's copy into the page cache — a fifth of triage's time on large
  // bundles — overlaps the caller's work instead of stalling it.
  void write_in_background();
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
  bool failed() const;

 private:
  struct Background;
  std::unique_ptr<Background> bg_;
  std::FILE* f_ = nullptr;
  bool owns_ = false;
  bool failed_ = false;
};

}  // namespace kk
