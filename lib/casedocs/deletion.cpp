// The 削除報告: tells the customer their data was deleted — when, how much, per PC, that
// nothing was left, and what was kept in anonymized form. The registry's deletion record
// (deletion-record.json) is the evidence; this is its letter, and names that record's
// SHA-256. Every sentence is a catalog entry ("deletion.*", "kept.*").
#include <map>

#include "casedocs/doc_common.hpp"
#include "core/json_writer.hpp"
#include "core/version.hpp"

namespace kk::casedocs {

using notice::plain;

namespace {

struct Totals {
  std::uint64_t files = 0, bytes = 0;
};

// Files and bytes per first path component (CASEDIR/<HOST>/…: the PC); files directly in
// CASEDIR under "".
std::map<std::string, Totals> per_folder(const std::vector<DeletedFile>& files) {
  std::map<std::string, Totals> out;
  for (const auto& f : files) {
    const std::size_t slash = f.path.find('/');
    auto& t = out[slash == std::string::npos ? std::string() : f.path.substr(0, slash)];
    ++t.files;
    t.bytes += f.size;
  }
  return out;
}

std::string deletion_json(const DeletionReport& r, const DocOptions& opt) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("document", "deletion_report");
  w.field("case_id", r.case_id);
  w.field("lang", notice::lang_code(opt.lang));
  w.key("customer").begin_object();
  w.field("company", r.customer);
  w.string_or_null("person", r.customer_person);
  w.end_object();
  w.string_or_null("operator", r.operator_name);
  w.key("hosts").begin_array();
  for (const auto& h : r.hosts) w.string(h);
  w.end_array();
  w.key("purged_at").time(r.purged_at);
  w.field("total_files", r.total_files);
  w.field("total_bytes", r.total_bytes);
  w.key("per_folder").begin_array();
  for (const auto& [folder, t] : per_folder(r.files)) {
    w.begin_object();
    w.field("folder", folder);
    w.field("files", t.files);
    w.field("bytes", t.bytes);
    w.end_object();
  }
  w.end_array();
  w.field("verified_empty", r.verified_empty);
  w.field("forced", r.forced);
  w.string_or_null("reason", r.reason);
  time_or_null_if_unset(w, "completed_at", r.completed_at);
  time_or_null_if_unset(w, "delete_after", r.delete_after);
  w.key("kept_anonymized").begin_array();
  for (const auto& k : r.kept_anonymized) w.string(k);
  w.end_array();
  w.field("kept_records", r.kept_records);
  w.string_or_null("record_sha256", r.record_sha256);
  w.field("tool_version", version());
  w.end_object();
  w.end_line();
  return out;
}

notice::Document deletion_document(const DeletionReport& r, const DocOptions& opt) {
  const DocText t(opt);
  notice::Document doc;
  doc.lang = opt.lang;
  doc.title = t.raw("deletion.title");
  doc.subtitle = t.cat("completion.subtitle", {{"case_id", r.case_id}});
  doc.classification = t.raw("doc.classification_default");
  doc.footer = t.cat("completion.footer", {{"case_id", r.case_id}, {"version", version()}});
  doc.compact = true;

  notice::Section head{"deletion", t.raw("deletion.sec.head"), {}, false};
  notice::Table kvt = kv_table();
  kv(kvt, t.raw("cover.to"), plain(t.addressee(r.customer, {}, r.customer_person)));
  kv(kvt, t.raw("cover.case_id"), plain(r.case_id));
  kv(kvt, t.raw("completion.issued"), plain(t.date(t.local_date(r.purged_at))));
  if (!r.hosts.empty()) kv(kvt, t.raw("completion.hosts"), plain(t.hosts(r.hosts)));
  head.blocks.push_back(std::move(kvt));
  head.blocks.push_back(notice::Paragraph{
      plain(t.cat("deletion.body", {{"company", r.customer}, {"time", t.local(r.purged_at)}})),
      "lead"});
  doc.sections.push_back(std::move(head));

  notice::Section what{"deleted", t.raw("deletion.sec.what"), {}, false};
  notice::Table wt = kv_table();
  kv(wt, t.raw("deletion.time"), plain(t.both(r.purged_at)));
  if (!r.operator_name.empty()) kv(wt, t.raw("deletion.operator"), plain(r.operator_name));
  kv(wt, t.raw("deletion.files"),
     plain(t.cat("deletion.files_value", {{"n", DocText::count(r.total_files)}})));
  kv(wt, t.raw("deletion.bytes"), plain(t.size(r.total_bytes)));
  kv(wt, t.raw("deletion.verified"),
     plain(t.raw(r.verified_empty ? "deletion.verified_yes" : "deletion.verified_no")));
  if (r.completed_at != 0)
    kv(wt, t.raw("completion.completed"), plain(t.date(t.local_date(r.completed_at))));
  if (r.delete_after != 0)
    kv(wt, t.raw("completion.delete_after"), plain(t.date(t.local_date(r.delete_after))));
  if (!r.record_sha256.empty()) kv(wt, t.raw("deletion.record"), notice::code(r.record_sha256));
  what.blocks.push_back(std::move(wt));
  const auto folders = per_folder(r.files);
  if (!folders.empty()) {
    notice::Table ft;
    ft.style = "compact";
    ft.header = {t.raw("deletion.col.folder"), t.raw("deletion.col.files"),
                 t.raw("deletion.col.bytes")};
    for (const auto& [folder, tot] : folders)
      ft.rows.push_back(
          {folder.empty() ? plain(t.raw("deletion.case_folder")) : notice::code(folder),
           plain(DocText::count(tot.files)), plain(t.size_short(tot.bytes))});
    what.blocks.push_back(std::move(ft));
  }
  what.blocks.push_back(notice::Paragraph{plain(t.raw("deletion.scope")), ""});
  if (r.forced)
    what.blocks.push_back(notice::Paragraph{
        plain(t.cat("deletion.forced",
                    {{"reason", r.reason.empty() ? t.raw("value.unknown") : r.reason}})),
        "note"});
  if (!r.verified_empty)
    what.blocks.push_back(notice::Paragraph{plain(t.raw("deletion.not_verified")), "note"});
  doc.sections.push_back(std::move(what));

  notice::Section kept{"kept", t.raw("deletion.sec.kept"), {}, false};
  append_kept(t, kept, r.kept_anonymized,
              t.cat("deletion.kept_lead", {{"n", DocText::count(r.kept_records)}}));
  doc.sections.push_back(std::move(kept));
  return doc;
}

}  // namespace

std::string render_deletion_report(const DeletionReport& r, Format f, const DocOptions& opt) {
  if (f == Format::kJson) return deletion_json(r, opt);
  return render_as(f, {}, deletion_document(r, opt));
}

Result<std::vector<std::string>> write_deletion_report(const CaseDir& dir, const DeletionReport& r,
                                                       const DocOptions& opt) {
  if (r.case_id.empty() || r.purged_at == 0)
    return Error{"the deletion report needs the case id and the deletion time (purged_at)"};
  return write_three(dir, kDeletionJson, kDeletionHtml, kDeletionMarkdown, deletion_json(r, opt),
                     deletion_document(r, opt));
}

}  // namespace kk::casedocs
