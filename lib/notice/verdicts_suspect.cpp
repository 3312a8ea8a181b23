// Questions 1 and 2: when and how the suspect file arrived, and whether it ran. Only
// records linked to the suspect count (path, name, hash, or a command line naming it);
// everything else that ran belongs to other_launches (docs/verdicts.md).
#include <algorithm>

#include "core/ascii_case.hpp"
#include "notice/defang.hpp"
#include "notice/verdicts.hpp"

namespace kk::notice {

namespace {

using K = ObservationKind;

std::string names_text(const SuspectMatch& s) {
  std::string t;
  for (const auto& n : s.names()) t += (t.empty() ? "" : ", ") + n;
  return t;
}

// The URL a download mark names: Zone.Identifier's HostUrl (else ReferrerUrl), or the
// record's own url.
std::string download_url(const Observation& o) {
  if (!o.url.empty()) return o.url;
  for (std::string_view key : {"HostUrl=", "ReferrerUrl="}) {
    auto at = o.zone_identifier.find(key);
    if (at == std::string::npos) continue;
    auto end = o.zone_identifier.find_first_of("\r\n", at);
    return o.zone_identifier.substr(
        at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
  }
  return {};
}

// The earliest cited record (the statement names its time and source).
const EvidenceRef* earliest(const QuestionModel& q) {
  const EvidenceRef* e = nullptr;
  for (const auto& r : q.evidence)
    if (r.time && (!e || *r.time < *e->time)) e = &r;
  return e;
}

}  // namespace

QuestionModel judge_suspect_created(const JudgeContext& x) {
  QuestionModel q;
  q.id = "suspect_file_created";
  const Lang lang = x.opt.lang;
  if (x.suspect.empty()) {
    q.verdict = Verdict::kCannotTell;
    q.missing.push_back("suspect_file");
    q.statement = statement_text(lang, "created.no_suspect", {});
    return q;
  }
  assess_data(x, q, {"mft", "usnjrnl", "sysmon_file"}, true);
  // The antivirus detection shows the file was there, not when it came.
  const Observation* detected = nullptr;
  for (const auto* o : x.of(K::kAvDetection))
    if (x.suspect.is_file(*o) && (!detected || o->time < detected->time)) detected = o;
  // A file known to have been there that the $MFT holds no entry of (quarantined and its
  // record reused): the $MFT cannot say when it came.
  if (detected && x.obs.covered_from_records() && x.in.knows_suspects() &&
      !x.in.suspect_file_in.count("mft"))
    mark_missing(q, "mft", "no_entry");
  std::string url;
  for (auto kind : {K::kFileWrite, K::kDownloadMark}) {
    for (const auto* o : x.of(kind)) {
      if (!x.suspect.is_file(*o)) continue;
      add_evidence(q, cite(*o));
      if (url.empty() && kind == K::kDownloadMark) url = download_url(*o);
    }
  }
  // Findings the suspect pivot of detect filed about the file's arrival.
  // (An antivirus detection shows presence, not arrival.)
  for (const auto* f : x.findings()) {
    if (!f->suspect || f->question != "file_origin") continue;
    if (f->rule_id == "KK-SUSPECT-ORIGIN-DETECTION" || f->rule_id.rfind("KK-AV-", 0) == 0) continue;
    q.finding_ids.push_back(f->id);
    for (const auto& e : f->evidence)
      if (e.time && x.in_window(*e.time)) {
        add_evidence(q, cite(*f, e));
        for (const auto& [k, v] : e.fields)
          if (url.empty() && (k == "HostUrl" || k == "url")) url = v;
      }
  }
  if (!q.evidence.empty()) {
    q.verdict = Verdict::kFound;
    std::string how = url.empty() ? std::string() : defang(url);
    const EvidenceRef* e0 = earliest(q);
    q.statement = statement_text(lang, how.empty() ? "created.found" : "created.found_download",
                                 {{"name", names_text(x.suspect)},
                                  {"time", e0 ? x.when(*e0->time) : std::string()},
                                  {"source", e0 ? e0->source : std::string()},
                                  {"url", how}});
  } else if (q.searched.empty()) {
    q.verdict = Verdict::kCannotTell;
    q.statement = statement_text(
        lang, "created.cannot_tell",
        {{"name", names_text(x.suspect)}, {"missing", missing_text(x, q)}});
  } else {
    q.verdict = Verdict::kNotFound;
    q.statement = statement_text(
        lang, "created.not_found",
        {{"name", names_text(x.suspect)}, {"searched", searched_text(x, q)}});
  }
  if (detected) {
    add_evidence(q, cite(*detected));
    if (q.verdict != Verdict::kFound)
      q.note = statement_text(lang, "created.present_at_detection",
                              {{"time", x.when(detected->time)}});
  }
  return q;
}

QuestionModel judge_suspect_executed(const JudgeContext& x) {
  QuestionModel q;
  q.id = "suspect_file_executed";
  const Lang lang = x.opt.lang;
  if (x.suspect.empty()) {
    q.verdict = Verdict::kCannotTell;
    q.missing.push_back("suspect_file");
    q.statement = statement_text(lang, "executed.no_suspect", {});
    return q;
  }
  const bool script = x.suspect.is_script();
  std::vector<std::string_view> data =
      script ? std::vector<std::string_view>{"sysmon_process", "security_4688", "powershell"}
             : std::vector<std::string_view>{"sysmon_process", "security_4688", "prefetch", "bam",
                                             "userassist"};
  for (auto d : data) assess_data(x, q, {d});
  const Observation* first = nullptr;
  std::string how;  // "process" or "host"
  for (const auto* o : x.of(K::kProcessStart)) {
    bool image = x.suspect.is_file(*o);
    bool host = !image && x.suspect.named_by(*o);
    if (!image && !host) continue;
    add_evidence(q, cite(*o));
    if (!first || o->time < first->time) {
      first = o;
      how = image ? "process" : "host";
    }
  }
  for (const auto* o : x.of(K::kScriptBlock))
    if (x.suspect.named_by(*o) || x.suspect.is_file(*o) ||
        std::any_of(x.suspect.names().begin(), x.suspect.names().end(), [&](const std::string& n) {
          return ascii_lower(o->message).find(n) != std::string::npos;
        })) {
      add_evidence(q, cite(*o));
      if (!first) {
        first = o;
        how = "host";
      }
    }
  // Defender stopping the suspect as a running process: it ran. Another process opening
  // it (a script's host) when Defender stepped in is an attempt, said in the note.
  const Observation* attempt = nullptr;
  for (const auto* o : x.of(K::kAvDetection))
    if (!o->process.empty() && x.suspect.is_file(*o)) {
      std::string p = clean_detection_path(o->path);
      if (!p.empty() && iequals(p, o->process) && !x.suspect.is_script())
        add_evidence(q, cite(*o));
      else if (!p.empty() && !iequals(p, o->process) && (!attempt || o->time < attempt->time))
        attempt = o;
    }
  // The suspect pivot of detect (KK-SUSPECT-EXEC-*): Amcache and ShimCache excepted.
  for (const auto* f : x.findings()) {
    if (!f->suspect || f->question != "execution") continue;
    if (f->rule_id.find("AMCACHE") != std::string::npos ||
        f->rule_id.find("SHIMCACHE") != std::string::npos)
      continue;
    q.finding_ids.push_back(f->id);
    for (const auto& e : f->evidence)
      if (e.time && x.in_window(*e.time)) add_evidence(q, cite(*f, e));
  }
  // Amcache/ShimCache say the file was on the disk; alone they do not prove it ran.
  std::int64_t traces = 0;
  for (const auto* o : x.of(K::kProgramTrace))
    if (x.suspect.is_file(*o)) ++traces;
  if (!q.evidence.empty()) {
    q.verdict = Verdict::kFound;
    const EvidenceRef* e0 = earliest(q);
    q.statement =
        statement_text(lang, how == "host" ? "executed.found_host" : "executed.found",
                       {{"name", names_text(x.suspect)},
                        {"time", e0 ? x.when(*e0->time) : std::string()},
                        {"process", first ? (first->process.empty() ? first->path : first->process)
                                          : names_text(x.suspect)},
                        {"source", e0 ? e0->source : std::string()}});
  } else if (q.searched.empty()) {
    q.verdict = Verdict::kCannotTell;
    q.statement = statement_text(
        lang, "executed.cannot_tell",
        {{"name", names_text(x.suspect)}, {"missing", missing_text(x, q)}});
  } else {
    q.verdict = Verdict::kNotFound;
    q.statement = statement_text(
        lang, "executed.not_found",
        {{"name", names_text(x.suspect)}, {"searched", searched_text(x, q)}});
  }
  if (q.verdict != Verdict::kFound) {
    if (attempt) {
      add_evidence(q, cite(*attempt));
      q.note = statement_text(lang, "executed.attempt",
                              {{"time", x.when(attempt->time)}, {"process", attempt->process}});
    }
    if (traces)
      q.note += (q.note.empty() ? "" : lang == Lang::kJa ? "" : " ") +
                statement_text(lang, "executed.trace_only", {{"count", std::to_string(traces)}});
  }
  return q;
}

}  // namespace kk::notice
