// Private to lib/notice: what the per-question judges share (docs/verdicts.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "notice/model.hpp"
#include "notice/observations.hpp"

namespace kk::notice {

// The suspect files: how an observation is linked to them (path, name, hash, command line).
class SuspectMatch {
 public:
  explicit SuspectMatch(const std::vector<std::string>& suspects);
  bool empty() const { return names_.empty(); }
  // The observation's own file (path/process/target) is a suspect.
  bool is_file(const Observation& o) const;
  // A command line or script text names a suspect (a script's host process, a loader).
  bool named_by(const Observation& o) const;
  void learn_hashes(const Observation& o);  // hashes of an observation of the suspect file
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<std::string>& paths() const { return paths_; }
  bool is_script() const;  // every suspect is a script (.ps1, .js, .vbs, .hta, …)
  bool path_is(std::string_view path) const;  // PATH (or a bare name) is a suspect file

 private:
  std::vector<std::string> names_, paths_;  // lower-case base names; paths without drive
  std::vector<std::string> hashes_;
};

// The context every judge reads.
struct JudgeContext {
  const CaseFile& c;
  const NoticeInputs& in;
  const ObservationLog& obs;
  const Window& window;
  const SuspectMatch& suspect;
  const ModelOptions& opt;
  // The suspect's first sign of life in the window (its first run, its detection): a log
  // that begins later cannot show how it arrived.
  std::optional<UtcMicros> suspect_present = std::nullopt;
  bool in_window(UtcMicros t) const { return t >= window.start && t <= window.end; }
  // A time as the customer reads it (the notice's local time, "2019-07-19 05:40:00 JST").
  std::string when(UtcMicros t) const;
  // Observations of KIND inside the window.
  std::vector<const Observation*> of(ObservationKind kind) const;
  // Findings with at least one evidence record inside the window.
  std::vector<const Finding*> findings() const;
};

EvidenceRef cite(const Observation& o);
EvidenceRef cite(const Finding& f, const EvidenceItem& e);
// Whether LIST already cites E's record (same source, record id, offset, entry and time).
bool cited_in(const std::vector<EvidenceRef>& list, const EvidenceRef& e);
// Adds E unless the same record is already cited.
void add_evidence(QuestionModel& q, EvidenceRef e);
// Adds E to the question's context (参考) unless it is already cited there or as evidence.
void add_context(QuestionModel& q, EvidenceRef e);
// Sorts by time and keeps the first MAX (evidence_total keeps the full count).
void finish_evidence(QuestionModel& q, std::size_t max);

QuestionModel judge_suspect_created(const JudgeContext& x);
QuestionModel judge_suspect_executed(const JudgeContext& x);
// ACTORS: images of the processes cited for the other questions (their writes count).
QuestionModel judge_file_changes(const JudgeContext& x, const std::vector<std::string>& actors,
                                 bool persistence_found);
QuestionModel judge_other_launches(const JudgeContext& x);
QuestionModel judge_intrusion(const JudgeContext& x);
QuestionModel judge_persistence(const JudgeContext& x);
QuestionModel judge_post_infection(const JudgeContext& x);
QuestionModel judge_tampering(const JudgeContext& x);

// Command lines that delete backups, clear logs or switch protection off (T1490, T1070,
// T1562); returns a short label ("shadow copies deleted") or "".
std::string_view tampering_command(std::string_view command_line);
// Paths a user (or malware running as one) can write: Users, ProgramData, Temp, …
bool is_user_writable(std::string_view path);
// A private or loopback address (not an external IOC).
bool is_internal_ip(std::string_view ip);
bool is_remote_address(std::string_view ip);  // not empty, "-", loopback or "LOCAL"

// Files each kind of DATA under q.searched (it reaches back to the detection) or q.missing
// (absent, not recorded, or its log begins after the detection), with q.coverage saying why.
// ARRIVAL: the question is how the suspect came, so a log that begins only when the suspect
// was already there ("starts_after_presence") cannot answer either.
void assess_data(const JudgeContext& x, QuestionModel& q,
                 std::initializer_list<std::string_view> data, bool arrival = false);
// Moves DATA from searched to missing with REACH (a finer judgement than the log's span).
void mark_missing(QuestionModel& q, std::string_view data, std::string_view reach);
// "Sysmon process starts (1), Prefetch": the data searched, with "(from …)" where its log
// begins inside the window.
std::string searched_text(const JudgeContext& x, const QuestionModel& q);
// One sentence per kind of data that could not answer, saying why.
std::string missing_text(const JudgeContext& x, const QuestionModel& q);

// Statements: the sentence per verdict, in the notice's language (verdict_text.cpp).
std::string statement_text(Lang lang, std::string_view key,
                           const std::vector<std::pair<std::string, std::string>>& args);
// "Sysmon 1" etc. in the notice's language.
std::string data_label(Lang lang, std::string_view data);

std::vector<IocModel> derive_iocs(const JudgeContext& x, const std::vector<QuestionModel>& qs);

}  // namespace kk::notice
