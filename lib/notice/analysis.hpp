// What the notice concludes, derived from the records: the investigation window, the
// answer to each question, the overall judgement and its confidence, recommendations
// and limitations. Statements are catalog keys with arguments so both languages say
// exactly the same thing.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "notice/case_file.hpp"
#include "notice/inputs.hpp"

namespace kk::notice {

inline constexpr std::array<std::string_view, 7> kQuestions{
    "file_origin", "execution",      "change_history", "other_launches",
    "intrusion",   "post_infection", "tampering"};

// The artifacts (timeline "artifact" values) that answer each question, in kQuestions order.
std::span<const std::string_view> artifacts_checked_for(std::string_view question);

struct Statement {
  std::string key;
  std::vector<std::pair<std::string, std::string>> args;    // literal values
  std::vector<std::pair<std::string, UtcMicros>> times;     // shown in local time and UTC
  std::vector<std::pair<std::string, std::string>> labels;  // values are catalog keys
  // A list shown as {items}: each a catalog key and the text to use when it has none.
  std::vector<std::pair<std::string, std::string>> items;
};

// A bundle is collected days or weeks after the detection; a collection end more than a
// year after it is a damaged or wrong time and must not stretch the window (or the chart).
inline constexpr std::int64_t kMaxCollectionDelay = 366LL * 86400 * 1000000;

struct Window {
  UtcMicros anchor = 0, start = 0, end = 0;
  std::string end_basis;  // "collection_end", "last_event", "anchor"
};

struct QuestionAnswer {
  std::string_view question;
  std::vector<const Finding*> findings;  // by time
  bool evidenced = false;  // a finding of medium severity or above, or about the suspect
};

struct TimelineRow {
  UtcMicros time = 0;
  std::string artifact, source, text, finding_id;
  std::optional<std::int64_t> record_id, offset, event_id;
  std::string severity;  // of the finding it belongs to ("" for key events)
  bool is_detection = false;
};

struct RuleHit {
  std::string id, name, source, severity;
  std::int64_t count = 0, findings = 0;
  std::vector<std::string> attack;
};

enum class Judgement { kCompromised, kSuspicious, kNoEvidence };
enum class Confidence { kHigh, kMedium, kLow };

struct HashTally {
  std::int64_t matched = 0, mismatched = 0, unverified = 0;
  std::vector<const ManifestEntry*> mismatches;
};

struct Analysis {
  Window window;
  std::vector<QuestionAnswer> answers;  // kQuestions order
  bool execution = false, persistence = false, remote_access = false, tampering = false,
       post_infection = false;
  // The questions under which persistence and remote access were found (for links).
  std::string persistence_question = "change_history", remote_question = "intrusion";
  Judgement judgement = Judgement::kNoEvidence;
  Confidence confidence = Confidence::kHigh;
  std::vector<Statement> confidence_reasons;
  std::vector<Statement> immediate, medium_term;  // recommendations
  std::vector<Statement> limitations;
  std::vector<TimelineRow> timeline;
  std::size_t timeline_omitted = 0;
  Iocs iocs;  // merged, de-duplicated
  std::vector<RuleHit> rule_hits;
  HashTally hashes;
  std::int64_t events_in_window = 0, events_before = 0, events_after = 0;
  std::map<std::string, std::int64_t> window_events_per_artifact;
  std::map<std::string, std::int64_t> window_events_per_channel;
  std::map<std::string, std::int64_t> manifest_per_kind;
  std::string host;
  std::optional<UtcMicros> collection_start, collection_end;
  // A collection end too long after the detection to be true (kMaxCollectionDelay): not
  // used as the window's end, said in the limitations.
  std::optional<UtcMicros> implausible_collection_end;
};

struct AnalysisOptions {
  std::int64_t before = 3LL * 86400 * 1000000;  // window start = anchor - before
  std::size_t max_timeline_rows = 120;
};

Analysis analyse(const CaseFile& c, const NoticeInputs& in, const AnalysisOptions& opt);

// Not a person's or a service's own account: Windows' service principals (SYSTEM, LOCAL
// SERVICE, DWM-1, UMFD-0), machine accounts (PC01$), groups (Administrators, Domain
// Admins), well-known SIDs (S-1-5-18/19/20, S-1-5-32-*, …). Never an IOC, never an account
// the customer is told to reset. The one list (the IOCs and the actions both use it).
bool is_builtin_account(std::string_view account);
// The accounts Windows makes on every machine (Administrator, Guest, DefaultAccount, …):
// worth a reset when misused, never an IOC (blocking them says nothing about the attacker).
bool is_default_account(std::string_view account);
// One account whether a record names it "PC\user" or "user" (a logon event gives the
// domain, a process record often not); "A\user" and "B\user" stay two.
bool same_account(std::string_view a, std::string_view b);

// Severity order: critical 4 … info 0; unknown -1.
int severity_rank(std::string_view s);

}  // namespace kk::notice
