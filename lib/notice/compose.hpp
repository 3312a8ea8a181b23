// Private to lib/notice: the state shared by the per-section composers.
#pragma once

#include <string>

#include "notice/analysis.hpp"
#include "notice/notice.hpp"

namespace kk::notice {

// One located record shown as evidence (from a finding's evidence or a key event).
struct EvidenceView {
  std::optional<UtcMicros> time;
  std::string artifact, source, summary, finding_id, severity;
  std::optional<std::int64_t> record_id, offset, event_id;
  std::string what;  // what the record shows, in the customer's words (the rule's title)
};

// A question the investigation answers, as the notice states it.
struct QuestionView {
  std::string id;
  std::string verdict;    // "found", "not_found", "context", "cannot_tell"
  std::string statement;  // the one-line reason
  std::string brief;      // the 速報's shorter reason
  std::int64_t findings = 0;
  std::optional<UtcMicros> first;
  std::vector<EvidenceView> evidence;  // the handful the body shows, by time
  std::int64_t evidence_total = 0;     // all of them (the appendix and CSV hold the rest)
  std::vector<EvidenceView> context;   // 参考: records shown that decide nothing
  std::int64_t context_total = 0;
};

// IOC types that resolve or connect (ip, domain, url): always printed defanged.
bool is_network_ioc(std::string_view type);

struct Composer {
  const CaseFile& c;
  const NoticeInputs& in;
  const Analysis& a;
  const RenderOptions& opt;
  Catalog cat;
  const NoticeModel* model;  // the verdicts and IOCs (model.hpp); the renderers only lay them out

  // "2024-05-01 12:04:05 JST"
  std::string local(UtcMicros t) const;
  // "2024-05-01 03:04:05 UTC"
  std::string utc(UtcMicros t) const;
  // "2024-05-01 12:04:05 JST (2024-05-01 03:04:05 UTC)"
  std::string both(UtcMicros t) const;
  std::string date(CivilDate d) const;
  std::string statement(const Statement& s) const;
  std::string title_of(const Finding& f) const;
  // The rule's part of a finding's title ("LSASS メモリへのアクセス" of "…: powershell.exe").
  std::string rule_title_of(const Finding& f) const;
  std::string description_of(const Finding& f) const;
  std::string artifact_label(std::string_view artifact) const;
  std::string kind_label(std::string_view kind) const;
  Span severity_badge(std::string_view severity) const;
  // "Evtx/Security.evtx #1234" or "…@0x1a2b".
  std::string evidence_ref(const std::string& source, std::optional<std::int64_t> record_id,
                           std::optional<std::int64_t> offset) const;
  static std::string finding_anchor(std::string_view id);
  std::string answer_or_unanswered(std::string_view path) const;
  // TEXT cut to about MAX bytes at a UTF-8 character boundary, marked as cut.
  std::string clipped(std::string_view text, std::size_t max) const;

  // Evidence text as a customer reads it (customer_text.hpp), cut to about MAX bytes.
  std::string shown(std::string_view raw, std::size_t max = 400) const;
  // The verdicts the notice states, one per question (verdict_view.cpp).
  std::vector<QuestionView> questions() const;
  std::string verdict_label(std::string_view verdict) const;
  Span verdict_badge(std::string_view verdict) const;
  // "2019-07-19 05:41 JST" (the local time to the minute, for prose).
  std::string short_local(UtcMicros t) const;
  // One sentence of prose for a key event: "05:41 JST, … (event log, Security #1234)".
  Rich event_prose(const EvidenceView& e) const;
  // SHOWN in prose, then a note pointing to the appendix for the rest of TOTAL.
  void records(Section& s, const std::vector<EvidenceView>& shown, std::int64_t total) const;
  Table verdict_table(const std::vector<QuestionView>& qs, bool links, bool brief = false) const;

  // The notice body: what a busy reader needs, in order (compose_front/evidence/back.cpp).
  Section summary(const std::vector<QuestionView>& qs) const;
  Section evidence(const std::vector<QuestionView>& qs) const;
  Section key_iocs() const;
  Section recommendations() const;
  Section scope() const;
  void host_facts(Table& t) const;  // scope's rows on the device's own registry
  Section limitations() const;
  Section cover() const;  // document control and data handling, at the end

  // The appendix (notice-appendix.html): everything exhaustive (compose_appendix.cpp).
  Section overview() const;
  Section timeline() const;
  Section findings() const;
  Section iocs() const;
  Section inventory() const;
  Section glossary() const;
  Section rule_hits() const;

  // The 速報 (compose_brief.cpp).
  Section brief(const std::vector<QuestionView>& qs) const;

  std::vector<std::pair<std::string, std::string>> ioc_rows() const;
  // An IOC's type as the customer reads it, with "(internal)" / "(shared …)" when it is one.
  std::string ioc_label(const IocModel& i) const;
  // The first MOST domains, then addresses, to block (defanged, "、"-joined, "… ほか N 件");
  // never an internal or shared address. Empty when there is none.
  std::string block_targets(std::size_t most) const;
  // The CSV files of the case folder, referred to by name from the notice.
  std::vector<CsvFile> csv_files() const;
};

// The key events the appendix lists (the notice lists ModelOptions' default, the CSV all).
inline constexpr std::size_t kAppendixTimelineRows = 2000;

// The model options of OPT's part, and those of the CSV files (every key event).
ModelOptions model_options(const RenderOptions& opt);
ModelOptions csv_model_options(const RenderOptions& opt);
// OPT's part of the notice, laid out from a model built with model_options(OPT).
Document compose_document(const CaseFile& c, const NoticeInputs& in, const NoticeModel& m,
                          const RenderOptions& opt);
// The CSV files, from a model built with csv_model_options(OPT).
std::vector<CsvFile> compose_csv_files(const CaseFile& c, const NoticeInputs& in,
                                       const NoticeModel& m, const RenderOptions& opt);

}  // namespace kk::notice
