#include "triage/rule_loading.hpp"

#include <chrono>
#include <utility>

#include "core/cpu_time.hpp"
#include "core/thread_name.hpp"

namespace kk::triage {

RuleLoading::RuleLoading(detect::Detector& detector, Diagnostics& held)
    : detector_(detector), thread_([this, &held] { load(held); }) {}

void RuleLoading::load(Diagnostics& held) {
  name_this_thread("kk-rules");
  const auto start = std::chrono::steady_clock::now();
  const double cpu = thread_cpu_seconds();
  try {
    detector_.load_rules(held);
    detector_.prepare_matching();  // else the record stream stalls on it at its first record
  } catch (...) {
    error_ = std::current_exception();
  }
  seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  cpu_seconds_ = thread_cpu_seconds() - cpu + detector_.loading_helper_cpu_seconds();
  done_.store(true, std::memory_order_release);
}

double RuleLoading::cpu_seconds_so_far() {
  std::lock_guard<std::mutex> lock(mu_);
  if (done_.load(std::memory_order_acquire)) return cpu_seconds_;
  // Still loading: the thread lives (and is not joined) until done_ is set.
  return thread_cpu_seconds(thread_.native_handle()) + detector_.loading_helper_cpu_seconds();
}

StageTiming RuleLoading::finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) thread_.join();
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  return {"rules", seconds_, cpu_seconds_};
}

}  // namespace kk::triage
