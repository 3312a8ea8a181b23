// Public API of lib/notice: what render-notice and triage call.
//
//   CaseParse cp = parse_case(text, "Asia/Tokyo", Lang::kJa);      // CASE.json
//   NoticeInputs in(cp.value.list("detection.suspect_files"));
//   in.add_line(json_line, "findings.jsonl", n, diag);             // or add_file(path, diag)
//   std::string html = render_notice(cp.value, in, RenderOptions{});
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "notice/anonymize.hpp"
#include "notice/case_file.hpp"
#include "notice/catalog.hpp"
#include "notice/document.hpp"
#include "notice/inputs.hpp"
#include "notice/model.hpp"

namespace kk::notice {

enum class Format { kHtml, kMarkdown, kJson };  // kJson: notice.json (model.hpp)

// Which customer document: the notice body, the one-page 速報, or the appendix
// (notice-appendix.html) that holds everything exhaustive.
enum class Part { kNotice, kBrief, kAppendix };

// The names the case folder's files go by; the notice refers to them by these names.
inline constexpr std::string_view kAppendixHtml = "notice-appendix.html";
inline constexpr std::string_view kBriefHtml = "notice-brief.html";
inline constexpr std::string_view kBriefMarkdown = "notice-brief.md";

// A CSV file of the case folder (UTF-8 with a BOM, CRLF, for Excel).
struct CsvFile {
  std::string name;  // "key-events.csv", "findings.csv", "iocs.csv", "evidence-files.csv"
  std::string content;
};

struct RenderOptions {
  Lang lang = Lang::kJa;
  Format format = Format::kHtml;
  std::string tz = "Asia/Tokyo";                // local time shown beside UTC
  std::int64_t before = 3LL * 86400 * 1000000;  // window start = detection time - before
  bool anonymized = false;                      // says so on the cover
  Part part = Part::kNotice;
};

// The notice as a document (both formats are written from it).
Document compose_notice(const CaseFile& c, const NoticeInputs& in, const RenderOptions& opt);
// The notice as HTML, Markdown or notice.json text.
std::string render_notice(const CaseFile& c, const NoticeInputs& in, const RenderOptions& opt);
// The CSV files the notice and its appendix refer to (same content, every row).
std::vector<CsvFile> notice_csv_files(const CaseFile& c, const NoticeInputs& in,
                                      const RenderOptions& opt);

// A file of the case folder: a customer document or one of its CSV files.
struct CaseDocument {
  std::string name;  // "notice.html", "notice-brief.md", "key-events.csv", …
  std::string content;
};

// Every document triage writes for the customer — notice.html, notice.md, notice.json, the
// 速報 (notice-brief.md/.html), the appendix and its CSV files — the same bytes as
// render_notice and notice_csv_files give one by one, but each model built once (one per
// number of key events kept) and the three models on up to JOBS threads. OPT's format and
// part are not used.
std::vector<CaseDocument> render_case_documents(const CaseFile& c, const NoticeInputs& in,
                                                const RenderOptions& opt, unsigned jobs);

// Replaces identifiers in the loaded records and the case by pseudonyms (after the
// anonymizer has learned from them: NoticeInputs::set_learner and learn_case). Hashes,
// rule hits, ATT&CK ids and public IOCs are kept.
void anonymize_inputs(const Anonymizer& anon, NoticeInputs& in, CaseFile& c);

}  // namespace kk::notice

namespace kk::notice {
// Reads a small text input (CASE.json, a key file) whole; refuses files over MAX_BYTES
// so a wrong path (a disk image) cannot exhaust memory. "-" is standard input.
bool read_small_file(const std::string& path, std::size_t max_bytes, std::string* out,
                     std::string* error);
}  // namespace kk::notice
