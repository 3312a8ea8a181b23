// CPU seconds (user + system) used so far by the calling thread or by the whole process.
// Speed on a shared machine is measured in CPU time: wall time there mostly measures
// waiting for a core. triage's run.json gives both per stage.
#pragma once

#include <thread>

namespace kk {

double thread_cpu_seconds();
double process_cpu_seconds();
// Another running thread's CPU seconds so far (0 when it cannot be read): a stage that runs
// beside another leaves that thread's share out of its own process CPU time.
double thread_cpu_seconds(std::thread::native_handle_type thread);

}  // namespace kk
