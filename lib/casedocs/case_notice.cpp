// case-notice.json|html|md and case-timeline.jsonl: the case across its PCs.
#include "casedocs/case_model.hpp"
#include "casedocs/doc_common.hpp"

namespace kk::casedocs {

Result<CaseNoticeSummary> write_case_notice(const CaseDir& dir, const CaseNoticeRequest& rq,
                                            Diagnostics& diag) {
  CaseNoticeSummary sum;
  auto lines = merge_timelines(rq.pcs, dir, kCaseTimeline, diag);
  if (!lines) return Error{lines.error().message};
  sum.timeline_events = *lines;
  CaseModel m = build_case_model(rq, diag);
  sum.pcs = m.pcs.size();
  for (const auto& pc : m.pcs)
    if (!pc.readable) ++sum.pcs_unreadable;
  if (sum.pcs == sum.pcs_unreadable)
    return Error{
        "no PC folder of the case could be read (no notice.json in any): nothing to "
        "compare"};
  sum.shared_files = m.shared_files.size();
  sum.shared_iocs = m.shared_iocs.size();
  sum.cross_pc_logons = m.logons_total;
  m.timeline_events = sum.timeline_events;
  auto names = write_three(dir, kCaseNoticeJson, kCaseNoticeHtml, kCaseNoticeMarkdown,
                           case_notice_json(m), case_notice_document(m, rq.options));
  if (!names) return Error{names.error().message};
  sum.files = *names;
  sum.files.emplace_back(kCaseTimeline);
  return sum;
}

}  // namespace kk::casedocs
