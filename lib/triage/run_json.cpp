#include "triage/run_json.hpp"

#include "core/json_writer.hpp"
#include "core/version.hpp"

namespace kk::triage {

namespace {
void write_counts(JsonWriter& w, std::string_view key,
                  const std::map<std::string, std::uint64_t>& m) {
  w.key(key).begin_object();
  for (const auto& [k, v] : m) w.field(k, v);
  w.end_object();
}
}  // namespace

std::string render_run_json(const Options& o, const Report& r) {
  std::string s;
  JsonWriter w(s);
  w.begin_object();
  w.field("tool", "triage").field("version", version());
  w.field("status", r.status);
  w.key("error");
  if (r.error.empty())
    w.null();
  else
    w.string(r.error);
  w.key("hosts").begin_array();
  for (const auto& h : r.hosts) w.string(h);
  w.end_array();
  w.key("options").begin_object();
  w.field("bundle", o.bundle).field("out_dir", o.out_dir);
  w.key("detected_at");
  if (o.detected_at)
    w.time(*o.detected_at);
  else
    w.null();
  w.field("window_all", o.window_all);
  w.field("before_seconds", o.before / 1000000);
  w.key("after_seconds");
  if (o.after)
    w.integer(*o.after / 1000000);
  else
    w.null();
  w.key("suspects").begin_array();
  for (const auto& x : o.suspects) w.string(x);
  w.end_array();
  w.field("case", o.case_path).field("password_given", o.password.has_value());
  w.key("rules").begin_array();
  for (const auto& x : o.rule_paths) w.string(x);
  w.end_array();
  w.field("include_memory", o.include_memory).field("recover_evtx", o.recover_evtx);
  w.field("jobs", o.jobs).field("tz", o.tz);
  w.end_object();
  w.key("anchor");
  if (r.anchor)
    w.time(*r.anchor);
  else
    w.null();
  w.key("timings").begin_array();
  for (const auto& t : r.timings)
    w.begin_object()
        .field("stage", t.stage)
        .key("seconds")
        .number(t.seconds)
        .key("cpu_seconds")
        .number(t.cpu_seconds)
        .end_object();
  w.end_array();
  w.key("seconds").number(r.seconds);
  w.key("cpu_seconds").number(r.cpu_seconds);
  write_counts(w, "counts", r.counts);
  write_counts(w, "records", r.records);
  write_counts(w, "findings", r.findings);
  w.key("diagnostics").begin_object().field("warnings", r.warnings).field("errors", r.errors);
  w.field("file", "diagnostics.jsonl").end_object();
  w.end_object();
  s.push_back('\n');
  return s;
}

}  // namespace kk::triage
