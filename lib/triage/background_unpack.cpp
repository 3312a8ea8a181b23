#include "triage/background_unpack.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <utility>

#include "core/cpu_time.hpp"
#include "core/thread_name.hpp"

namespace kk::triage {

BackgroundUnpack::BackgroundUnpack(std::string input, std::string out_dir,
                                   cdir::UnpackOptions options, Diagnostics& diag)
    : diag_(diag), held_(diag.tool(), Diagnostics::Hold{}) {
  diag_.close_gate(kMaxKept, [this] { finish(); });
  thread_ = std::jthread([this, input = std::move(input), out_dir = std::move(out_dir),
                          options = std::move(options)] { run(input, out_dir, options); });
}

void BackgroundUnpack::run(const std::string& input, const std::string& out_dir,
                           const cdir::UnpackOptions& options) {
  // The lowest priority, for this thread and the reading threads it starts (Linux keeps a
  // nice value per thread, and a new thread inherits it): the hashing takes the time the
  // parse stage leaves idle, not the parsers' (with an equal share, the parse stage took
  // 1.5 s longer on the bench bundle). Once the parse stage waits for it, it runs alone.
  // Never raised back: an unprivileged process cannot.
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 19);
  name_this_thread("kk-hash");  // and its reading threads
  const auto start = std::chrono::steady_clock::now();
  const double cpu = thread_cpu_seconds();
  try {
    cdir::unpack(input, out_dir, options, held_, result_);
  } catch (...) {
    error_ = std::current_exception();
  }
  seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  cpu_seconds_ = thread_cpu_seconds() - cpu + result_.read_cpu_seconds;
}

void BackgroundUnpack::finish() {
  std::lock_guard lock(mu_);
  if (finished_) return;
  finished_ = true;
  if (thread_.joinable()) thread_.join();
  diag_.open_gate(held_.take_notes());
}

cdir::UnpackResult& BackgroundUnpack::result() {
  finish();
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  return result_;
}

}  // namespace kk::triage
