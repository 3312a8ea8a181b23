// The rules loaded on a thread of their own while the bundle is unpacked and parsed: the
// default Sigma set took half a second with yaml-cpp (0.2 s with libyaml now), which the
// whole run used to wait for (on the bundled sample, two thirds of the run). Only matching
// needs them: the
// record stream's detector thread waits for them before its first record. Reports go to a
// holding Diagnostics that triage tells after the parse stage, so their place in
// diagnostics.jsonl does not depend on when loading ended.
#pragma once

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "core/diagnostics.hpp"
#include "detect/detect.hpp"
#include "triage/triage.hpp"

namespace kk::triage {

class RuleLoading {
 public:
  // Starts loading DETECTOR's rules, reporting into HELD (a holding Diagnostics). Both
  // outlive this object; its destructor waits for the thread.
  RuleLoading(detect::Detector& detector, Diagnostics& held);
  RuleLoading(const RuleLoading&) = delete;
  RuleLoading& operator=(const RuleLoading&) = delete;

  // The loading thread's CPU seconds so far: a stage run beside it leaves them out of its
  // own. Any thread.
  double cpu_seconds_so_far();
  // Waits until the rules are loaded; the first call rethrows what loading threw. The
  // "rules" timing is the loading thread's own wall and CPU time. Any thread.
  StageTiming finish();

 private:
  void load(Diagnostics& held);

  detect::Detector& detector_;
  double seconds_ = 0, cpu_seconds_ = 0;
  std::exception_ptr error_;
  std::atomic<bool> done_{false};  // seconds_, cpu_seconds_ and error_ are set
  std::mutex mu_;                  // thread_: joined by one caller while another reads it
  std::jthread thread_;            // last: starts once the members above exist
};

}  // namespace kk::triage
