// notice.json: the model as ../shared/CONTRACT.md "notice.json" specifies it.
#include "core/json_writer.hpp"
#include "notice/model.hpp"

namespace kk::notice {

namespace {

void opt_int(JsonWriter& w, std::string_view k, const std::optional<std::int64_t>& v) {
  if (v) w.key(k).integer(*v);
}

void evidence(JsonWriter& w, const std::vector<EvidenceRef>& list) {
  w.begin_array();
  for (const auto& e : list) {
    w.begin_object();
    w.field("artifact", e.artifact).field("source", e.source);
    opt_int(w, "record_id", e.record_id);
    opt_int(w, "offset", e.offset);
    opt_int(w, "entry", e.entry);
    opt_int(w, "event_id", e.event_id);
    w.key("time");
    if (e.time)
      w.time(*e.time);
    else
      w.null();
    w.field("summary", e.summary);
    if (!e.finding_id.empty()) w.field("finding", e.finding_id);
    w.end_object();
  }
  w.end_array();
}

void strings(JsonWriter& w, std::string_view k, const std::vector<std::string>& v) {
  w.key(k).begin_array();
  for (const auto& s : v) w.string(s);
  w.end_array();
}

}  // namespace

std::string notice_json(const NoticeModel& m) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("case_id", m.case_id).field("host", m.host).field("lang", m.lang);
  w.key("window").begin_object();
  w.key("anchor").time(m.window.anchor);
  w.key("start").time(m.window.start);
  w.key("end").time(m.window.end);
  w.field("end_basis", m.window.end_basis);
  w.end_object();
  w.field("overall", m.overall);
  strings(w, "suspects", m.suspects);
  w.key("questions").begin_array();
  for (const auto& q : m.questions) {
    w.begin_object();
    w.field("id", q.id).field("verdict", verdict_name(q.verdict)).field("statement", q.statement);
    if (!q.note.empty()) w.field("note", q.note);
    w.key("evidence");
    evidence(w, q.evidence);
    w.field("evidence_total", q.evidence_total);
    if (!q.context.empty()) {
      w.key("context");
      evidence(w, q.context);
      w.field("context_total", q.context_total);
    }
    strings(w, "searched", q.searched);
    strings(w, "missing", q.missing);
    w.key("coverage").begin_array();
    for (const auto& d : q.coverage) {
      w.begin_object().field("data", d.data).field("reach", d.reach);
      w.key("first").time_or_null(d.first);
      w.end_object();
    }
    w.end_array();
    strings(w, "findings", q.finding_ids);
    w.end_object();
  }
  w.end_array();
  w.key("iocs").begin_array();
  for (const auto& i : m.iocs) {
    w.begin_object();
    w.field("type", i.type).field("value", i.value);
    w.key("first_seen");
    if (i.first_seen)
      w.time(*i.first_seen);
    else
      w.null();
    if (!i.scope.empty()) w.field("scope", i.scope);
    w.key("evidence");
    evidence(w, i.evidence);
    w.end_object();
  }
  w.end_array();
  w.key("counts").begin_object();
  for (const auto& [k, v] : m.counts) w.field(k, v);
  w.end_object();
  w.key("time_anomalies").begin_array();
  for (const auto& t : m.time_anomalies) {
    w.begin_object();
    w.field("artifact", t.artifact).field("source", t.source).field("reason", t.reason);
    w.field("count", t.count);
    w.key("earliest").time(t.earliest);
    w.key("latest").time(t.latest);
    w.end_object();
  }
  w.end_array();
  w.key("rule_sets").begin_array();
  for (const auto& r : m.rule_sets) {
    w.begin_object();
    w.field("name", r.name).field("rules", r.rules).field("findings", r.findings);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.end_line();
  return out;
}

}  // namespace kk::notice
