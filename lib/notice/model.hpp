// The notice as facts: the verdict per question with the records that prove it, the IOCs,
// the window and its counts. notice.json is this model written out (../shared/CONTRACT.md
// "notice.json"); the HTML and Markdown notices are laid out from it, so every verdict,
// count and IOC the customer reads is here and traceable to a record.
//
// The judgement that fills it is written down in docs/verdicts.md.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notice/analysis.hpp"
#include "notice/case_file.hpp"
#include "notice/catalog.hpp"
#include "notice/inputs.hpp"

namespace kk::notice {

// The questions, fixed ids in the order the notice answers them (CONTRACT.md).
inline constexpr std::array<std::string_view, 8> kQuestionIds{
    "suspect_file_created", "suspect_file_executed", "file_changes", "other_launches", "intrusion",
    "persistence",          "post_infection",        "tampering"};

enum class Verdict { kFound, kNotFound, kCannotTell };
std::string_view verdict_name(Verdict v);  // "found" | "not_found" | "cannot_tell"

// One record that supports a verdict or an IOC, located in its source file.
struct EvidenceRef {
  std::string artifact, source;  // source: bundle-relative ("Evtx/Security.evtx")
  std::optional<std::int64_t> record_id, offset, entry, event_id;
  std::optional<UtcMicros> time;
  std::string summary;
  std::string finding_id;  // the finding it came through, if any
};

// How far one kind of data reaches for a question (docs/verdicts.md, "cannot_tell"):
// "covers" (from FIRST when its log begins inside the window), "absent" (not in the data),
// "not_recorded" (its log is there, this kind of event never is: auditing off),
// "starts_after_detection" (its log's first record is after the detection: cleared, rolled
// over or started later), "no_entry" (the $MFT holds no entry of a file known to have been there).
struct DataCoverage {
  std::string data, reach;
  std::optional<UtcMicros> first;
};

struct QuestionModel {
  std::string_view id;
  Verdict verdict = Verdict::kNotFound;
  std::string statement;              // the sentence the notice prints
  std::vector<EvidenceRef> evidence;  // what proves it (capped, strongest first)
  std::int64_t evidence_total = 0;    // before the cap
  // Records that bear on the question but do not decide it (a medium network-log finding
  // with nothing on the PC behind it): printed apart as 参考, never counted as evidence.
  std::vector<EvidenceRef> context;
  std::int64_t context_total = 0;
  std::vector<std::string> searched;     // data examined ("Sysmon 1", "Prefetch", …)
  std::vector<std::string> missing;      // data that would answer but was absent
  std::vector<DataCoverage> coverage;    // per kind of data: how far it reaches
  std::vector<std::string> finding_ids;  // findings filed under this question
  std::string note;                      // contradictions and how they were weighed
};

struct IocModel {
  std::string
      type;  // sha256|sha1|md5|file_path|file_name|url|domain|ip|account|service|task|registry_key
  std::string value;  // raw, not defanged
  std::optional<UtcMicros> first_seen;
  // "" , "internal" (an internal host) or "shared" (a cloud/CDN address many sites share):
  // both listed apart, never in the addresses to block.
  std::string scope;
  std::vector<EvidenceRef> evidence;
};

// A time outside the plausible range: kept in the records, out of the window and verdicts.
struct TimeAnomaly {
  std::string artifact, source;
  std::int64_t count = 0;
  UtcMicros earliest = 0, latest = 0;
  std::string reason;  // "after_collection" | "before_floor"
};

struct RuleSetUse {
  std::string name;  // "builtin", "sigma"
  std::int64_t rules = 0, findings = 0;
};

struct NoticeModel {
  std::string case_id, host, lang;
  Window window;
  std::string overall;  // compromised_likely | suspicious | no_trace_found | cannot_tell
  std::vector<QuestionModel> questions;  // kQuestionIds order
  std::vector<IocModel> iocs;
  std::map<std::string, std::int64_t> counts;
  std::vector<TimeAnomaly> time_anomalies;
  std::vector<RuleSetUse> rule_sets;
  std::vector<std::string> suspects;  // the suspect files judged (case, else AV detections)
  Analysis analysis;                  // window, timeline rows, limitations, recommendations
  const QuestionModel& question(std::string_view id) const;
};

struct ModelOptions {
  Lang lang = Lang::kJa;
  std::string tz = "Asia/Tokyo";  // the statements' times (the notice's local time)
  std::int64_t before = 3LL * 86400 * 1000000;
  std::size_t max_evidence = 20;        // per question
  std::size_t max_timeline_rows = 120;  // key events kept (the appendix and its CSV take more)
};

// Judges the case from the inputs (docs/verdicts.md).
NoticeModel build_model(const CaseFile& c, const NoticeInputs& in, const ModelOptions& opt);

// notice.json (one JSON object and a newline).
std::string notice_json(const NoticeModel& m);

// True for a program Windows ships, in the place Windows keeps it (System32\cmd.exe, but
// not Users\x\cmd.exe): never an IOC.
bool is_stock_windows_binary(std::string_view path);
// Defender's "file:_C:\x.exe", "containerfile:_…", "…->(SCRIPT0005)" → "C:\x.exe".
std::string clean_detection_path(std::string_view path);

}  // namespace kk::notice
