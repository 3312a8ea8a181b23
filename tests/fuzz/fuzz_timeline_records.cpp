// libFuzzer: hostile JSONL through the timeline (every mapper, passthrough events, the
// sorter with a tiny memory budget so spilling and merging run too) and the window.
// Records files can be edited by hand or come from elsewhere: nothing may crash or hang.
// The same bytes are then read as a file (mapped, in tmpfs: scratch.hpp), events sorted where
// they lie.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/diagnostics.hpp"
#include "core/jsonl_batch.hpp"
#include "core/output.hpp"
#include "scratch.hpp"
#include "timeline/timeline_builder.hpp"
#include "timeline/window.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  kk::timeline::BuildOptions bo;
  bo.memory_budget = 64 << 10;  // spill after a few events
  bo.lang = (size & 1) ? kk::timeline::Lang::kJa : kk::timeline::Lang::kEn;
  kk::timeline::TimelineBuilder tb(bo, diag);
  kk::JsonlBatch batch;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::uint64_t n = 0;
  batch.for_each(in, [&](std::string_view line, simdjson::dom::element e, bool ok) {
    ++n;
    if (ok) tb.add_record(e, "fuzz.jsonl", n, line);
  });
  kk::timeline::WindowOptions wo;
  wo.anchor = 1563482400000000;  // 2019-07-18T20:40:00Z
  wo.match = {"mimikatz"};
  kk::timeline::WindowFilter filter(wo);
  kk::Output out;
  std::string err;
  out.open("/dev/null", &err);
  kk::JsonlBatch one;
  tb.write(out, [&](kk::UtcMicros, std::string_view line) {
    one.for_each(line, [&](std::string_view, simdjson::dom::element e, bool ok) {
      if (ok) filter.keep(e);
    });
  });
  out.close();

  const std::string path = kk_fuzz::scratch_dir() + "/records.jsonl";
  if (!kk_fuzz::write_file(path, nullptr, 0, data, size)) return 0;
  kk::timeline::TimelineBuilder mapped(kk::timeline::BuildOptions{}, diag);
  mapped.add_jsonl(path);
  kk::Output null_out;
  null_out.open("/dev/null", &err);
  mapped.write(null_out);
  null_out.close();
  return 0;
}
