#include "triage/record_stream.hpp"

#include <chrono>

namespace kk::triage {

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point& t) {
  Clock::time_point now = Clock::now();
  double s = std::chrono::duration<double>(now - t).count();
  t = now;
  return s;
}
}  // namespace

void RecordStream::write(std::string_view lines) {
  Clock::time_point t = Clock::now();
  batch_.for_each(lines, [&](std::string_view line, simdjson::dom::element rec, bool ok) {
    RecordFiles::Written w = files_.write_line(line);
    json_s_ += since(t);
    if (!ok) {  // parsers write valid JSON; a bad line is a defect, reported not hidden
      diag_.warning(
          w.path, std::nullopt,
          "line " + std::to_string(w.line) + ": not valid JSON, not used by timeline or detect");
      return;
    }
    timeline_.add_record(rec, w.path, w.line, line);
    timeline_s_ += since(t);
    detector_.add(rec);
    detect_s_ += since(t);
  });
}

}  // namespace kk::triage
