// The 業務完了通知書: tells the customer the engagement is complete, what was received and
// delivered (with hashes they can check their copies against), until when questions are
// accepted, when their data will be deleted and what is kept in anonymized form. Laid out
// from the model alone; every sentence is a catalog entry ("completion.*", "kept.*").
#include <algorithm>

#include "casedocs/doc_common.hpp"
#include "core/json_writer.hpp"
#include "core/version.hpp"

namespace kk::casedocs {

using notice::plain;

namespace {
bool is_hex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}
}  // namespace

bool known_kept_fact(std::string_view id) {
  return std::find(std::begin(kKeptFacts), std::end(kKeptFacts), id) != std::end(kKeptFacts);
}

std::vector<std::string> check_completion_notice(const CompletionNotice& n) {
  std::vector<std::string> out;
  auto iso = [](UtcMicros t) { return format_iso(t); };
  if (n.case_id.empty()) out.push_back("case_id is empty.");
  if (n.customer.empty()) out.push_back("customer (the company) is empty.");
  if (n.completed_at == 0) out.push_back("completed_at (the completion time) is not set.");
  if (n.inquiry_until == 0) out.push_back("inquiry_until is not set.");
  if (n.delete_after == 0) out.push_back("delete_after is not set.");
  if (n.completed_at != 0) {
    if (n.delete_after != 0 && n.delete_after < n.completed_at)
      out.push_back("delete_after " + iso(n.delete_after) + " is before the completion " +
                    iso(n.completed_at) + ".");
    if (n.inquiry_until != 0 && n.inquiry_until < n.completed_at)
      out.push_back("inquiry_until " + iso(n.inquiry_until) + " is before the completion " +
                    iso(n.completed_at) + ".");
    if (n.received_at != 0 && n.completed_at < n.received_at)
      out.push_back("the completion " + iso(n.completed_at) +
                    " is before the first input was "
                    "received (" +
                    iso(n.received_at) + ").");
    if (n.report_meeting && *n.report_meeting > n.completed_at)
      out.push_back("report_meeting " + iso(*n.report_meeting) + " is after the completion " +
                    iso(n.completed_at) + ".");
  }
  for (std::size_t i = 0; i < n.deliveries.size(); ++i) {
    const auto& d = n.deliveries[i];
    const std::string at = "deliveries[" + std::to_string(i) + "]";
    if (d.file.empty()) out.push_back(at + ".file is empty.");
    if (!is_hex64(d.sha256))
      out.push_back(at + ".sha256 \"" + d.sha256 + "\" is not 64 lower-case hex digits.");
    if (d.delivered_at == 0) out.push_back(at + ".delivered_at is not set.");
  }
  for (const auto& k : n.kept_anonymized)
    if (!known_kept_fact(k)) out.push_back("kept_anonymized: unknown kind \"" + k + "\".");
  return out;
}

namespace {

std::string completion_json(const CompletionNotice& n, const DocOptions& opt) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("document", "completion_notice");
  w.field("case_id", n.case_id);
  w.field("lang", notice::lang_code(opt.lang));
  w.key("customer").begin_object();
  w.field("company", n.customer);
  w.string_or_null("department", n.customer_dept);
  w.string_or_null("person", n.customer_person);
  w.end_object();
  w.string_or_null("analyst", n.analyst);
  w.key("hosts").begin_array();
  for (const auto& h : n.hosts) w.string(h);
  w.end_array();
  w.key("inputs").begin_array();
  for (const auto& i : n.inputs) {
    w.begin_object();
    w.field("file", i.file);
    w.string_or_null("host", i.host);
    w.field("kind", i.kind);
    w.field("sha256", i.sha256);
    w.field("size", i.size);
    w.key("received_at").time(i.received_at);
    w.end_object();
  }
  w.end_array();
  w.key("deliveries").begin_array();
  for (const auto& d : n.deliveries) {
    w.begin_object();
    w.field("kind", d.kind);
    w.string_or_null("host", d.host);
    w.integer_or_null("version", d.version ? std::optional<std::int64_t>(d.version) : std::nullopt);
    w.field("file", d.file);
    w.field("sha256", d.sha256);
    w.key("delivered_at").time(d.delivered_at);
    w.end_object();
  }
  w.end_array();
  time_or_null_if_unset(w, "received_at", n.received_at);
  w.time_or_null("report_meeting", n.report_meeting);
  time_or_null_if_unset(w, "completed_at", n.completed_at);
  time_or_null_if_unset(w, "inquiry_until", n.inquiry_until);
  time_or_null_if_unset(w, "delete_after", n.delete_after);
  w.key("kept_anonymized").begin_array();
  for (const auto& k : n.kept_anonymized) w.string(k);
  w.end_array();
  time_or_null_if_unset(w, "issued_at", n.issued_at ? n.issued_at : n.completed_at);
  w.field("tool_version", version());
  w.end_object();
  w.end_line();
  return out;
}

// TEXT with NOTE on a muted line below (the PC a row is about), so tables keep few columns.
notice::Rich with_note(notice::Rich text, std::string note) {
  notice::Span n{std::move(note)};
  n.muted = true;
  n.line_break = true;
  text.push_back(std::move(n));
  return text;
}

std::string delivery_label(const DocText& t, const Delivery& d) {
  const std::string key = "completion.kind." + d.kind;
  std::string label = t.cat.has(key) ? t.raw(key) : d.kind;
  if (d.version > 0) label += " " + t.cat("completion.version", {{"n", std::to_string(d.version)}});
  return label;
}

notice::Document completion_document(const CompletionNotice& n, const DocOptions& opt) {
  const DocText t(opt);
  notice::Document doc;
  doc.lang = opt.lang;
  doc.title = t.raw("completion.title");
  doc.subtitle = t.cat("completion.subtitle", {{"case_id", n.case_id}});
  doc.classification = t.raw("doc.classification_default");
  doc.footer = t.cat("completion.footer", {{"case_id", n.case_id}, {"version", version()}});
  doc.compact = true;

  notice::Section head{"completion", t.raw("completion.sec.head"), {}, false};
  notice::Table kvt = kv_table();
  kv(kvt, t.raw("cover.to"), plain(t.addressee(n.customer, n.customer_dept, n.customer_person)));
  kv(kvt, t.raw("cover.case_id"), plain(n.case_id));
  kv(kvt, t.raw("completion.issued"),
     plain(t.date(t.local_date(n.issued_at ? n.issued_at : n.completed_at))));
  if (!n.analyst.empty()) kv(kvt, t.raw("cover.analyst"), plain(n.analyst));
  if (!n.hosts.empty()) kv(kvt, t.raw("completion.hosts"), plain(t.hosts(n.hosts)));
  head.blocks.push_back(std::move(kvt));
  head.blocks.push_back(notice::Paragraph{
      plain(t.cat("completion.body",
                  {{"company", n.customer}, {"date", t.date(t.local_date(n.completed_at))}})),
      "lead"});
  doc.sections.push_back(std::move(head));

  notice::Section sched{"schedule", t.raw("completion.sec.schedule"), {}, false};
  notice::Table st = kv_table();
  if (n.received_at != 0)
    kv(st, t.raw("completion.received"), plain(t.date(t.local_date(n.received_at))));
  kv(st, t.raw("completion.report_meeting"),
     plain(n.report_meeting ? t.date(t.local_date(*n.report_meeting))
                            : t.raw("completion.no_meeting")));
  kv(st, t.raw("completion.completed"), plain(t.date(t.local_date(n.completed_at))));
  kv(st, t.raw("completion.inquiry_until"), plain(t.date(t.local_date(n.inquiry_until))));
  kv(st, t.raw("completion.delete_after"), plain(t.date(t.local_date(n.delete_after))));
  sched.blocks.push_back(std::move(st));
  doc.sections.push_back(std::move(sched));

  notice::Section recv{"received", t.raw("completion.sec.received"), {}, false};
  if (n.inputs.empty()) {
    recv.blocks.push_back(notice::Paragraph{plain(t.raw("completion.no_inputs")), "note"});
  } else {
    notice::Table rt;
    rt.style = "hashes";  // the SHA-256 column wide enough for 32 digits a line
    rt.header = {t.raw("completion.col.file"), t.raw("completion.col.received"),
                 t.raw("completion.col.sha256")};
    for (const auto& i : n.inputs)
      rt.rows.push_back({with_note(notice::code(i.file),
                                   (i.host.empty() ? t.raw("completion.whole_case") : i.host) +
                                       " ・ " + t.size_short(i.size)),
                         plain(t.local_minute(i.received_at)), hash_cell(i.sha256)});
    recv.blocks.push_back(std::move(rt));
  }
  doc.sections.push_back(std::move(recv));

  notice::Section del{"deliveries", t.raw("completion.sec.deliveries"), {}, false};
  if (n.deliveries.empty()) {
    del.blocks.push_back(notice::Paragraph{plain(t.raw("completion.no_deliveries")), "note"});
  } else {
    notice::Table dt;
    dt.style = "hashes";
    dt.header = {t.raw("completion.col.document"), t.raw("completion.col.file"),
                 t.raw("completion.col.delivered"), t.raw("completion.col.sha256")};
    for (const auto& d : n.deliveries)
      dt.rows.push_back({with_note(plain(delivery_label(t, d)),
                                   d.host.empty() ? t.raw("completion.whole_case") : d.host),
                         notice::code(d.file), plain(t.local_minute(d.delivered_at)),
                         hash_cell(d.sha256)});
    del.blocks.push_back(std::move(dt));
  }
  del.blocks.push_back(notice::Paragraph{plain(t.raw("completion.sha256_note")), "note"});
  doc.sections.push_back(std::move(del));

  notice::Section data{"data-handling", t.raw("completion.sec.data"), {}, false};
  data.blocks.push_back(notice::Paragraph{
      plain(t.cat("completion.inquiry", {{"date", t.date(t.local_date(n.inquiry_until))}})), ""});
  data.blocks.push_back(notice::Paragraph{
      plain(t.cat("completion.deletion", {{"date", t.date(t.local_date(n.delete_after))}})), ""});
  append_kept(t, data, n.kept_anonymized, t.raw("completion.kept_lead"));
  doc.sections.push_back(std::move(data));
  return doc;
}

}  // namespace

std::string render_completion_notice(const CompletionNotice& n, Format f, const DocOptions& opt) {
  if (f == Format::kJson) return completion_json(n, opt);
  return render_as(f, {}, completion_document(n, opt));
}

Result<std::vector<std::string>> write_completion_notice(const CaseDir& dir,
                                                         const CompletionNotice& n,
                                                         const DocOptions& opt) {
  auto problems = check_completion_notice(n);
  if (!problems.empty()) {
    std::string msg = "the completion notice cannot be written:";
    for (const auto& p : problems) msg += " " + p;
    return Error{msg};
  }
  return write_three(dir, kCompletionJson, kCompletionHtml, kCompletionMarkdown,
                     completion_json(n, opt), completion_document(n, opt));
}

}  // namespace kk::casedocs
