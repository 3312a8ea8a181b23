// Fuzzes what the case notice (cases run, lib/casedocs) reads back from a triaged PC's
// folder: the input is written as its notice.json, findings.jsonl and records/evtx.jsonl +
// network_interface.jsonl (in tmpfs: scratch.hpp), then read as the case notice reads them.
// A damaged or edited case folder gives a reason or fewer facts, never a crash.
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "casedocs/pc_reader.hpp"
#include "scratch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string pc = [] {
    const std::string d = kk_fuzz::scratch_dir() + "/PC01";
    mkdir(d.c_str(), 0700);
    mkdir((d + "/records").c_str(), 0700);
    return d;
  }();
  for (const char* name : {"/notice.json", "/findings.jsonl", "/records/evtx.jsonl",
                           "/records/network_interface.jsonl"})
    if (!kk_fuzz::write_file(pc + name, nullptr, 0, data, size)) return 0;
  kk::casedocs::PcNotice notice;
  std::string problem;
  if (!kk::casedocs::read_pc_notice(pc, notice, &problem) && problem.empty()) std::abort();
  (void)kk::casedocs::earliest_finding_record(pc, notice.window_start, notice.window_end);
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  auto net = kk::casedocs::read_pc_network(pc, "PC01", diag);
  return net.logons.size() > 1u << 30 ? 1 : 0;
}
