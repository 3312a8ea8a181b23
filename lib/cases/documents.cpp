// The registry's rows turned into lib/casedocs' requests.
#include "cases/documents.hpp"

#include "casedocs/casedocs.hpp"
#include "core/diagnostics.hpp"
#include "notice/case_file.hpp"

namespace kk::cases {
namespace {

casedocs::DocOptions doc_options(const Context& ctx) {
  casedocs::DocOptions o;
  notice::parse_lang(ctx.lang, &o.lang);
  o.tz = ctx.tz;
  return o;
}

std::vector<std::string> host_names(const std::vector<HostRow>& hosts) {
  std::vector<std::string> out;
  for (const HostRow& h : hosts) out.push_back(h.host);
  return out;
}

}  // namespace

const std::vector<std::string>& kept_fact_kinds() {
  static const std::vector<std::string> kinds(std::begin(casedocs::kKeptFacts),
                                              std::end(casedocs::kKeptFacts));
  return kinds;
}

Result<std::vector<std::string>> write_case_notice(const CaseDir& dir, const CaseRow& c,
                                                   const std::vector<HostRow>& hosts,
                                                   const Context& ctx) {
  notice::CaseFile intake = notice::parse_case(c.case_json, ctx.tz, notice::Lang::kEn).value;
  casedocs::CaseNoticeRequest rq;
  rq.case_id = c.case_id;
  rq.customer = c.customer;
  for (const HostRow& h : hosts) rq.pcs.push_back({h.host, dir.path_of(h.host), h.state});
  rq.options = doc_options(ctx);
  rq.case_file = &intake;
  rq.issued_at = ctx.now;
  Diagnostics diag("cases");
  auto r = casedocs::write_case_notice(dir, rq, diag);
  if (!r) return Result<std::vector<std::string>>::fail(r.error().message);
  return r->files;
}

namespace {
casedocs::CompletionNotice completion_of(Registry& registry, const CaseRow& c, const Context& ctx) {
  notice::CaseFile intake = notice::parse_case(c.case_json, ctx.tz, notice::Lang::kEn).value;
  casedocs::CompletionNotice n;
  n.case_id = c.case_id;
  n.customer = c.customer;
  n.customer_dept = std::string(intake.get("customer.department"));
  n.customer_person = std::string(intake.get("customer.contact_person"));
  n.analyst = c.analyst;
  n.hosts = host_names(registry.hosts(c.case_id));
  for (const InputRow& in : registry.inputs(c.case_id))
    n.inputs.push_back({in.file, in.host, in.kind, in.sha256, static_cast<std::uint64_t>(in.size),
                        in.received_at});
  for (const DeliveryRow& d : registry.deliveries(c.case_id))
    n.deliveries.push_back(
        {d.kind, d.host, static_cast<int>(d.version), d.file, d.sha256, d.delivered_at});
  n.received_at = c.received_at.value_or(0);
  n.report_meeting = c.meeting_at;
  n.completed_at = c.completed_at.value_or(ctx.now);
  n.inquiry_until = c.inquiry_until.value_or(0);
  n.delete_after = c.delete_after.value_or(0);
  n.kept_anonymized = kept_fact_kinds();
  n.issued_at = ctx.now;
  return n;
}
}  // namespace

Result<std::vector<std::string>> write_completion_notice(const CaseDir& dir, Registry& registry,
                                                         const CaseRow& c, const Context& ctx) {
  casedocs::CompletionNotice n = completion_of(registry, c, ctx);
  auto problems = casedocs::check_completion_notice(n);
  if (!problems.empty()) {
    std::string msg = "the 業務完了通知書 cannot be written:";
    for (const auto& p : problems) msg += "\n  " + p;
    return Result<std::vector<std::string>>::fail(msg);
  }
  return casedocs::write_completion_notice(dir, n, doc_options(ctx));
}

Result<std::vector<std::string>> write_deletion_report(const CaseDir& dir, Registry& registry,
                                                       const CaseRow& c, const PurgeSummary& p,
                                                       const Context& ctx) {
  notice::CaseFile intake = notice::parse_case(c.case_json, ctx.tz, notice::Lang::kEn).value;
  casedocs::DeletionReport r;
  r.case_id = c.case_id;
  r.customer = c.customer;
  r.customer_person = std::string(intake.get("customer.contact_person"));
  r.operator_name = current_actor().who;
  r.hosts = host_names(registry.hosts(c.case_id));
  r.purged_at = p.purged_at;
  for (const DeletedEntry& f : p.files) r.files.push_back({f.path, f.size, f.sha256});
  r.total_files = p.files.size();
  r.total_bytes = p.bytes;
  r.verified_empty = p.verified_empty;
  r.forced = p.forced;
  r.reason = p.reason;
  r.completed_at = c.completed_at.value_or(0);
  r.delete_after = c.delete_after.value_or(0);
  r.kept_anonymized = kept_fact_kinds();
  r.kept_records = p.kept_records;
  r.record_sha256 = p.record_sha256;
  return casedocs::write_deletion_report(dir, r, doc_options(ctx));
}

}  // namespace kk::cases
