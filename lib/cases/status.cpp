// cases status CASEDIR and cases list ROOT: the case's dates and PCs on one screen, or as
// the JSON the contract defines; what is due this week and what must be deleted today.
#include "cases/case_folder.hpp"
#include "cases/commands.hpp"
#include "core/json_writer.hpp"

namespace kk::cases {
namespace {

constexpr UtcMicros kDay = 86400LL * 1000000;

struct Dates {
  std::optional<UtcMicros> due, inquiry_until, delete_after;
  bool overdue = false;       // not delivered by the due date
  bool deletion_due = false;  // completed, deletion date passed, not purged
};

Dates dates_of(const CaseRow& c, UtcMicros now) {
  Dates d;
  if (c.received_at) d.due = due_at(*c.received_at);
  d.inquiry_until = c.inquiry_until;
  d.delete_after = c.delete_after;
  bool before_delivery = c.state == CaseState::kReceived || c.state == CaseState::kAnalysing;
  d.overdue = before_delivery && d.due && now > *d.due;
  d.deletion_due = c.state == CaseState::kCompleted && d.delete_after && now >= *d.delete_after;
  return d;
}

void write_case_json(JsonWriter& w, const CaseRow& c, const Dates& d,
                     const std::vector<HostRow>* hosts, const std::vector<InputRow>* inputs,
                     const std::vector<DeliveryRow>* deliveries) {
  w.begin_object();
  w.field("case_id", c.case_id);
  w.field("state", state_name(c.state));
  w.field("customer", c.customer);
  w.field("analyst", c.analyst);
  w.field("folder", c.folder);
  w.time_or_null("created_at", c.created_at);
  w.time_or_null("received_at", c.received_at);
  w.time_or_null("due_at", d.due);
  w.time_or_null("delivered_at", c.delivered_at);
  w.time_or_null("completed_at", c.completed_at);
  w.time_or_null("inquiry_until", d.inquiry_until);
  w.time_or_null("delete_after", d.delete_after);
  w.time_or_null("purged_at", c.purged_at);
  w.time_or_null("report_meeting", c.meeting_at);
  w.field("overdue", d.overdue);
  w.field("deletion_due", d.deletion_due);
  if (hosts) {
    w.key("hosts").begin_array();
    for (const HostRow& h : *hosts) {
      w.begin_object();
      w.field("host", h.host);
      w.field("state", h.state);
      w.string_or_null("triage_status", h.triage_status);
      w.string_or_null("claimed_by", h.claimed_by);
      w.time_or_null("finished_at", h.finished_at);
      const InputRow* in = nullptr;
      if (inputs)
        for (const InputRow& r : *inputs)
          if (r.id == h.input_id) in = &r;
      w.string_or_null("input", in ? in->file : "");
      w.string_or_null("sha256", in ? in->sha256 : "");
      w.time_or_null("received_at", in ? std::optional<UtcMicros>(in->received_at) : std::nullopt);
      w.end_object();
    }
    w.end_array();
  }
  if (inputs) {
    w.key("inputs").begin_array();
    for (const InputRow& r : *inputs) {
      w.begin_object();
      w.field("file", r.file);
      w.field("stored_as", r.stored_as);
      w.field("kind", r.kind);
      w.string_or_null("host", r.host);
      w.field("sha256", r.sha256);
      w.field("size", r.size);
      w.time_or_null("received_at", r.received_at);
      w.field("state", r.state);
      w.end_object();
    }
    w.end_array();
  }
  if (deliveries) {
    w.key("deliveries").begin_array();
    for (const DeliveryRow& r : *deliveries) {
      w.begin_object();
      w.field("kind", r.kind);
      w.string_or_null("host", r.host);
      w.field("version", r.version);
      w.field("file", r.file);
      w.field("sha256", r.sha256);
      w.time_or_null("delivered_at", r.delivered_at);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
}

std::string local_or_dash(const std::optional<UtcMicros>& t, const std::string& tz) {
  return t ? format_local(*t, tz) : "—";
}

}  // namespace

Outcome status_case(const Context& ctx, const std::string& case_dir, bool json) {
  auto where = locate_case(case_dir);
  if (!where) return Outcome::failed(where.error().message, 2);
  auto registry = open_registry(ctx, where->root);
  Transaction tx(registry->db());  // one consistent view
  auto c = registry->find_case(where->case_id);
  if (!c) return Outcome::failed(where->case_id + ": no such case in " + registry->describe());
  auto hosts = registry->hosts(c->case_id);
  auto inputs = registry->inputs(c->case_id);
  auto deliveries = registry->deliveries(c->case_id);
  Dates d = dates_of(*c, ctx.now);
  Outcome o;
  if (json) {
    JsonWriter w(o.out);
    write_case_json(w, *c, d, &hosts, &inputs, &deliveries);
    w.end_line();
    return o;
  }
  std::string& s = o.out;
  s += "case " + c->case_id + " — " + c->customer + " (analyst " + c->analyst + ")\n";
  s += "state        " + std::string(state_name(c->state)) + "\n";
  s += "received     " + local_or_dash(c->received_at, ctx.tz) + "\n";
  s +=
      "due          " + local_or_dash(d.due, ctx.tz) + (d.overdue ? "   ** OVERDUE **" : "") + "\n";
  s += "delivered    " + local_or_dash(c->delivered_at, ctx.tz) + "\n";
  s += "completed    " + local_or_dash(c->completed_at, ctx.tz) + "\n";
  s += "inquiries to " + local_or_dash(d.inquiry_until, ctx.tz) + "\n";
  s += "delete after " + local_or_dash(d.delete_after, ctx.tz) +
       (d.deletion_due ? "   ** DELETION DUE: cases purge **" : "") + "\n";
  if (c->purged_at) s += "purged       " + local_or_dash(c->purged_at, ctx.tz) + "\n";
  s += "PCs (" + std::to_string(hosts.size()) + "):\n";
  for (const HostRow& h : hosts)
    s += "  " + h.host + "  " + h.state +
         (h.triage_status.empty() ? "" : " (" + h.triage_status + ")") +
         (h.state == "running" ? "  by " + h.claimed_by : "") + "\n";
  std::size_t netlogs = 0;
  for (const InputRow& in : inputs) netlogs += in.kind == "netlog";
  if (netlogs) s += "network logs: " + std::to_string(netlogs) + "\n";
  s += "deliveries: " + std::to_string(deliveries.size()) + "\n";
  return o;
}

Outcome list_root(const Context& ctx, const std::string& root, bool json) {
  auto registry = open_registry(ctx, root);
  Transaction tx(registry->db());
  auto all = registry->all_cases();
  Outcome o;
  if (json) {
    JsonWriter w(o.out);
    w.begin_object();
    w.time_or_null("now", ctx.now);
    w.key("cases").begin_array();
    for (const CaseRow& c : all) {
      Dates d = dates_of(c, ctx.now);
      write_case_json(w, c, d, nullptr, nullptr, nullptr);
    }
    w.end_array();
    w.key("due_this_week").begin_array();
    for (const CaseRow& c : all) {
      Dates d = dates_of(c, ctx.now);
      bool open = c.state == CaseState::kReceived || c.state == CaseState::kAnalysing;
      if (open && d.due && *d.due <= ctx.now + 7 * kDay) w.string(c.case_id);
    }
    w.end_array();
    w.key("delete_today").begin_array();
    for (const CaseRow& c : all)
      if (dates_of(c, ctx.now).deletion_due) w.string(c.case_id);
    w.end_array();
    w.end_object();
    w.end_line();
    return o;
  }
  std::string& s = o.out;
  std::string due, del;
  for (const CaseRow& c : all) {
    Dates d = dates_of(c, ctx.now);
    std::string mark = d.overdue ? "  ** OVERDUE **" : d.deletion_due ? "  ** DELETE **" : "";
    s += c.case_id + "  " + std::string(state_name(c.state)) + "  " + c.customer + "  due " +
         local_or_dash(d.due, ctx.tz) + "  delete " + local_or_dash(d.delete_after, ctx.tz) + mark +
         "\n";
    bool open = c.state == CaseState::kReceived || c.state == CaseState::kAnalysing;
    if (open && d.due && *d.due <= ctx.now + 7 * kDay)
      due += "  " + c.case_id + " (" + local_or_dash(d.due, ctx.tz) + ")\n";
    if (d.deletion_due) del += "  " + c.case_id + "\n";
  }
  if (all.empty()) s += "no cases under " + root + "\n";
  s += "due this week:\n" + (due.empty() ? "  none\n" : due);
  s += "to delete today:\n" + (del.empty() ? "  none\n" : del);
  return o;
}

}  // namespace kk::cases
