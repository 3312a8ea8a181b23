// cases complete CASEDIR: the case is finished; questions are accepted for one month and the
// data is deleted after it. Writes the 業務完了通知書 and records it as delivered.
#include "cases/case_folder.hpp"
#include "cases/commands.hpp"
#include "cases/documents.hpp"
#include "cases/tree.hpp"
#include "core/case_dir.hpp"
#include "core/hash.hpp"

#include <unistd.h>

namespace kk::cases {

Outcome complete_case(const Context& ctx, const std::string& case_dir,
                      const CompleteOptions& options) {
  auto where = locate_case(case_dir);
  if (!where) return Outcome::failed(where.error().message, 2);
  auto registry = open_registry(ctx, where->root);
  CaseDir::Policy policy;
  policy.allow_content = true;
  auto dir = CaseDir::open(where->path, policy);
  if (!dir) return Outcome::failed(dir.error().message);
  Transaction tx(registry->db());
  registry->lock_case(where->case_id);
  auto c = registry->find_case(where->case_id);
  if (!c) return Outcome::failed(where->case_id + ": no such case in " + registry->describe());
  if (c->state != CaseState::kDelivered)
    return Outcome::failed(where->case_id + ": the case is " + std::string(state_name(c->state)) +
                           "; only a delivered case (cases run) can be completed");
  if (c->delivered_at && ctx.now < *c->delivered_at)
    return Outcome::failed("--now: " + format_iso(ctx.now) + " is before the delivery (" +
                               format_iso(*c->delivered_at) + ")",
                           2);
  if (options.meeting && c->received_at && *options.meeting < *c->received_at)
    return Outcome::failed(
        "--meeting: " + format_iso(*options.meeting) + " is before the data was received", 2);
  c->state = CaseState::kCompleted;
  c->completed_at = ctx.now;
  c->inquiry_until = add_one_month(ctx.now, ctx.tz);
  c->delete_after = c->inquiry_until;
  if (options.meeting) c->meeting_at = options.meeting;
  registry->update_case(*c);
  auto written = write_completion_notice(*dir, *registry, *c, ctx);
  if (!written) return Outcome::failed(written.error().message);
  record_documents(*registry, *dir, c->case_id, "completion_notice", *written, ctx.now);
  registry->audit(
      c->case_id, ctx.now, "complete",
      json_object({{"inquiry_until", format_iso(*c->inquiry_until)},
                   {"delete_after", format_iso(*c->delete_after)},
                   {"report_meeting", c->meeting_at ? format_iso(*c->meeting_at) : ""}}));
  tx.commit();
  Outcome o;
  o.out = "cases: " + c->case_id + " completed " + format_local(ctx.now, ctx.tz) +
          "; inquiries until and deletion after " + format_local(*c->delete_after, ctx.tz) +
          (written->empty() ? "" : "; " + written->front()) + "\n";
  return o;
}

}  // namespace kk::cases
