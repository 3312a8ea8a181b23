// CPU seconds (user + system) used so far by the calling thread or by the whole process.
// Speed on a shared machine is measured in CPU time: wall time there mostly measures
// waiting for a core. triage's run.json gives both per stage.
#pragma once

namespace kk {

double thread_cpu_seconds();
double process_cpu_seconds();

}  // namespace kk
