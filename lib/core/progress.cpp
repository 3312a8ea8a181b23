#include "core/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace kk {

bool Progress::stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string label, std::uint64_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled && stderr_is_terminal()) {
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

void Progress::advance(std::uint64_t n) {
  done_ += n;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_, std::try_to_lock);
  if (!lock.owns_lock() || now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(false);
}

void Progress::set_label(std::string label) {
  std::lock_guard lock(mu_);
  label_ = std::move(label);
}

void Progress::draw(bool final_line) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::uint64_t d = done_.load();
  if (total_ > 0)
    std::fprintf(stderr, "\r\033[K%s %5.1f%% (%llu/%llu) %.1fs", label_.c_str(),
                 100.0 * static_cast<double>(d) / static_cast<double>(total_),
                 static_cast<unsigned long long>(d), static_cast<unsigned long long>(total_), secs);
  else
    std::fprintf(stderr, "\r\033[K%s %llu %.1fs", label_.c_str(), static_cast<unsigned long long>(d), secs);
  if (final_line) std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  if (drawn_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
  enabled_ = false;
}

}  // namespace kk
