// Public API of lib/casedocs: the documents of a case as a whole (issue #19), which the
// `cases` tool calls. A case covers several PCs, each triaged into its own folder
// CASEDIR/<HOST>/ (notice.json, timeline.jsonl, records/, run.json); these documents sit
// beside them in CASEDIR:
//
//   case-notice.json|html|md   what the PCs share (suspect file, IOCs), logons from one PC
//                              to another, the order the PCs were touched; the per-PC
//                              verdicts stay per PC (a table linking to each PC's notice)
//   case-timeline.jsonl        every PC's timeline merged in time order, `host` on every event
//   completion-notice.*        the 業務完了通知書 (a model the registry fills)
//   deletion-report.html|md    the 削除報告 the operator sends after `cases purge --execute`
//
//   kk::Diagnostics diag("cases");
//   auto dir = kk::CaseDir::open(casedir, {.allow_content = true});
//   CaseNoticeRequest rq{.case_id = "KK-1", .customer = "…",
//                        .pcs = {{"PC01", casedir + "/PC01"}, {"PC02", casedir + "/PC02"}}};
//   auto r = write_case_notice(*dir, rq, diag);        // case-notice.* + case-timeline.jsonl
//   CompletionNotice cn = …;                           // from the registry
//   write_completion_notice(*dir, cn, DocOptions{});   // completion-notice.*
//   write_deletion_report(*dir, report, DocOptions{}); // deletion-report.*
//
// Every file is written through the CaseDir (AtomicFile); existing files of the same name
// are replaced (a rerun after a new PC was added renders the case again).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case_dir.hpp"
#include "core/diagnostics.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "notice/case_file.hpp"
#include "notice/catalog.hpp"

namespace kk::casedocs {

// The names of the files in CASEDIR.
inline constexpr std::string_view kCaseNoticeJson = "case-notice.json";
inline constexpr std::string_view kCaseNoticeHtml = "case-notice.html";
inline constexpr std::string_view kCaseNoticeMarkdown = "case-notice.md";
inline constexpr std::string_view kCaseTimeline = "case-timeline.jsonl";
inline constexpr std::string_view kCompletionJson = "completion-notice.json";
inline constexpr std::string_view kCompletionHtml = "completion-notice.html";
inline constexpr std::string_view kCompletionMarkdown = "completion-notice.md";
inline constexpr std::string_view kDeletionJson = "deletion-report.json";
inline constexpr std::string_view kDeletionHtml = "deletion-report.html";
inline constexpr std::string_view kDeletionMarkdown = "deletion-report.md";

enum class Format { kJson, kHtml, kMarkdown };

struct DocOptions {
  notice::Lang lang = notice::Lang::kJa;
  std::string tz = "Asia/Tokyo";  // local times shown beside UTC
};

// ---------------------------------------------------------------------------------------
// 1. The case-level notice across PCs

// One triaged PC: its folder (CASEDIR/<HOST>, as triage -o wrote it). HOST names the PC in
// the case (the registry's name); empty: the first of run.json's "hosts", else the folder name.
struct PcFolder {
  std::string host;
  std::string path;
  std::string state;  // the registry's state of the PC ("done", "failed", …), shown as is
};

struct CaseNoticeRequest {
  std::string case_id;
  std::string customer;  // company; empty: CASE.json's customer.company
  std::vector<PcFolder> pcs;
  DocOptions options;
  // The CASE.json of the case, when there is one (customer, analyst, classification).
  const notice::CaseFile* case_file = nullptr;
  UtcMicros issued_at = 0;  // --now (0: the clock)
};

// What write_case_notice found (the same facts case-notice.json holds, in numbers).
struct CaseNoticeSummary {
  std::size_t pcs = 0, pcs_unreadable = 0;  // unreadable: no notice.json (not triaged, damaged)
  std::size_t shared_files = 0;             // suspect files seen on two PCs or more
  std::size_t shared_iocs = 0;              // IOCs seen on two PCs or more
  std::size_t cross_pc_logons = 0;          // logons from one PC's address to another PC
  std::uint64_t timeline_events = 0;        // lines of case-timeline.jsonl
  std::vector<std::string> files;           // names written into CASEDIR (notice + timeline)
};

// Reads every PC folder (read-only), writes case-notice.json|html|md and case-timeline.jsonl
// into DIR. A PC folder that cannot be read is listed in the notice as such (and reported to
// DIAG), not fatal; the call fails only when nothing can be written or no PC is readable.
Result<CaseNoticeSummary> write_case_notice(const CaseDir& dir, const CaseNoticeRequest& rq,
                                            Diagnostics& diag);

// Merges the PCs' timeline.jsonl files into OUT in time order (streaming: one line per PC in
// memory), setting "host" on every event to the PC's name. Returns the lines written.
Result<std::uint64_t> merge_timelines(const std::vector<PcFolder>& pcs, const CaseDir& dir,
                                      std::string_view name, Diagnostics& diag);

// ---------------------------------------------------------------------------------------
// 2. 業務完了通知書 (completion notice)

// One document delivered to the customer (a notice version, the case notice, …).
struct Delivery {
  std::string kind;    // "notice" | "case_notice" | "completion_notice" | …
  std::string host;    // the PC it is about, "" for the whole case
  int version = 0;     // 1, 2, … (0: not versioned)
  std::string file;    // "notice.html" (as delivered)
  std::string sha256;  // of the delivered file, lower-case hex
  UtcMicros delivered_at = 0;
};

// One input received from the customer (a bundle, a network log).
struct ReceivedInput {
  std::string file;  // its name as received
  std::string host;  // the PC, "" for a network log of the whole case
  std::string kind;  // "bundle" | "netlog"
  std::string sha256;
  std::uint64_t size = 0;
  UtcMicros received_at = 0;
};

// The kinds of facts kept, anonymized, after deletion (the statistics store of `cases
// stats`): the catalog holds a line for each ("kept.<id>").
inline constexpr std::string_view kKeptFacts[] = {
    "sha256", "file_name", "threat_name", "rule_id", "attack_technique",
    "domain", "ip",        "url",         "os",      "incident_month"};

struct CompletionNotice {
  std::string case_id;
  std::string customer;            // company
  std::string customer_dept;       // optional
  std::string customer_person;     // optional: the addressee
  std::string analyst;             // who issues it (optional)
  std::vector<std::string> hosts;  // the PCs investigated
  std::vector<ReceivedInput> inputs;
  std::vector<Delivery> deliveries;
  UtcMicros received_at = 0;                 // the first input received (0: not shown)
  std::optional<UtcMicros> report_meeting;   // 報告会, when one was held
  UtcMicros completed_at = 0;                // 業務完了
  UtcMicros inquiry_until = 0;               // questions accepted until (completion + 1 month)
  UtcMicros delete_after = 0;                // data deleted on (completion + 1 month)
  std::vector<std::string> kept_anonymized;  // ids of kKeptFacts; empty: nothing kept
  UtcMicros issued_at = 0;  // when this document was produced (--now; 0: completed_at)
};

// Every field that is missing or inconsistent (empty case id, delete_after before
// completed_at, a delivery without a hash, …), one whole sentence each; empty when the
// notice can be rendered.
std::vector<std::string> check_completion_notice(const CompletionNotice& n);

std::string render_completion_notice(const CompletionNotice& n, Format f, const DocOptions& opt);
// completion-notice.json|html|md into DIR (replacing earlier ones); fails, writing nothing,
// when the check fails. Returns the names written.
Result<std::vector<std::string>> write_completion_notice(const CaseDir& dir,
                                                         const CompletionNotice& n,
                                                         const DocOptions& opt);

// ---------------------------------------------------------------------------------------
// 3. 削除報告 (deletion report)

struct DeletedFile {
  std::string path;  // relative to CASEDIR
  std::uint64_t size = 0;
  std::string sha256;
};

struct DeletionReport {
  std::string case_id;
  std::string customer;
  std::string customer_person;  // optional: the addressee
  std::string operator_name;    // who executed the deletion (optional)
  std::vector<std::string> hosts;
  UtcMicros purged_at = 0;
  std::vector<DeletedFile> files;  // every file deleted (the report shows totals per PC)
  std::uint64_t total_files = 0, total_bytes = 0;
  bool verified_empty = false;               // nothing of it was left on disk afterwards
  bool forced = false;                       // before the deletion date (--force)
  std::string reason;                        // --reason, when forced
  UtcMicros completed_at = 0;                // optional (0)
  UtcMicros delete_after = 0;                // optional (0)
  std::vector<std::string> kept_anonymized;  // ids of kKeptFacts
  std::uint64_t kept_records = 0;            // rows added to the statistics store
  std::string record_sha256;  // of deletion-record.json, so the report can be matched to it
};

std::string render_deletion_report(const DeletionReport& r, Format f, const DocOptions& opt);
// deletion-report.json|html|md into DIR (replacing earlier ones). Returns the names written.
Result<std::vector<std::string>> write_deletion_report(const CaseDir& dir, const DeletionReport& r,
                                                       const DocOptions& opt);

}  // namespace kk::casedocs
