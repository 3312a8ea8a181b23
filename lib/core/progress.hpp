// A one-line progress display on stderr, shown only when stderr is a terminal
// (and not --quiet), redrawn at most ten times a second. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace kk {

class Progress {
 public:
  // TOTAL is in the caller's units (bytes, files); 0 when unknown.
  Progress(std::string label, std::uint64_t total, bool enabled);
  ~Progress() { finish(); }
  void advance(std::uint64_t n);
  void set_label(std::string label);
  void finish();
  static bool stderr_is_terminal();

 private:
  void draw(bool final_line);
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  std::atomic<std::uint64_t> done_{0};
  std::mutex mu_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false;
};

}  // namespace kk
