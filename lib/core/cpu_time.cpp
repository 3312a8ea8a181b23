#include "core/cpu_time.hpp"

#include <pthread.h>
#include <time.h>

namespace kk {

namespace {
double clock_seconds(clockid_t id) {
  timespec ts{};
  if (clock_gettime(id, &ts) != 0) return 0;
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
}  // namespace

double thread_cpu_seconds() {
  return clock_seconds(CLOCK_THREAD_CPUTIME_ID);
}
double process_cpu_seconds() {
  return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}
double thread_cpu_seconds(std::thread::native_handle_type thread) {
  clockid_t id{};
  return pthread_getcpuclockid(thread, &id) == 0 ? clock_seconds(id) : 0;
}

}  // namespace kk
