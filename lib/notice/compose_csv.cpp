// The CSV files of the case folder, for Excel: UTF-8 with a BOM, CRLF line ends, every
// row the notice's appendix shows (and the key events the notice had no room for).
// Evidence is hostile: cells go through core/csv.hpp (formulas neutralised).
#include <algorithm>

#include "core/csv.hpp"
#include "notice/compose.hpp"
#include "notice/customer_text.hpp"
#include "notice/defang.hpp"

namespace kk::notice {

namespace {
class Csv {
 public:
  explicit Csv(const std::vector<std::string>& header) {
    out_ = "\xEF\xBB\xBF";
    row(header);
  }
  void row(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) out_ += ',';
      append_csv_field(out_, cells[i]);
    }
    out_ += "\r\n";
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string opt_num(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : std::string();
}
}  // namespace

std::vector<CsvFile> Composer::csv_files() const {
  auto h = [&](std::string_view key) { return std::string(cat.raw(key)); };
  auto when = [&](const std::optional<UtcMicros>& t, bool local_time) {
    return !t ? std::string() : local_time ? local(*t) : format_iso(*t);
  };
  std::vector<CsvFile> files;

  Csv ev({h("csv.time_local"), h("csv.time_utc"), h("col.artifact"), h("col.event"),
          h("col.source"), h("csv.record_id"), h("csv.offset"), h("col.event_id"), h("csv.finding"),
          h("col.severity")});
  for (const auto& r : a.timeline)
    ev.row({local(r.time), format_iso(r.time), artifact_label(r.artifact),
            defang_urls(r.is_detection ? std::string(cat.raw("timeline.intake")) : r.text),
            r.source, opt_num(r.record_id), opt_num(r.offset), opt_num(r.event_id), r.finding_id,
            r.severity.empty() ? "" : std::string(cat.raw("sev." + r.severity))});
  files.push_back({"key-events.csv", ev.take()});

  Csv fi({h("csv.finding"), h("col.rule_id"), h("col.severity"), h("csv.question"), h("csv.title"),
          h("csv.time_local"), h("csv.time_utc"), h("col.source"), h("csv.record_id"),
          h("csv.offset"), h("col.event_id"), h("col.summary")});
  for (const auto& f : in.findings) {
    std::string sev =
        cat.has("sev." + f.severity) ? std::string(cat.raw("sev." + f.severity)) : f.severity;
    std::string q =
        cat.has("q." + f.question) ? std::string(cat.raw("q." + f.question)) : f.question;
    if (f.evidence.empty())
      fi.row({f.id, f.rule_id, sev, q, defang_urls(title_of(f)), when(f.first, true),
              when(f.first, false), f.source, "", "", "", ""});
    for (const auto& e : f.evidence)
      fi.row({f.id, f.rule_id, sev, q, defang_urls(title_of(f)), when(e.time, true),
              when(e.time, false), e.source, opt_num(e.record_id), opt_num(e.offset),
              opt_num(e.event_id), defang_urls(e.summary)});
  }
  files.push_back({"findings.csv", fi.take()});

  Csv io({h("col.ioc_type"), h("csv.ioc_value_defanged"), h("csv.first_seen_local"),
          h("csv.evidence")});
  if (!c.get("detection.threat_name").empty())
    io.row({h("ioc.threat"), std::string(c.get("detection.threat_name")), local(c.detected_at),
            h("ioc.threat_evidence")});
  for (const auto& i : model->iocs) {
    std::string refs;
    for (const auto& e : i.evidence)
      refs += (refs.empty() ? "" : "; ") +
              evidence_ref(e.source, e.record_id, e.offset ? e.offset : e.entry);
    io.row({ioc_label(i), is_network_ioc(i.type) ? defang(i.value) : i.value,
            when(i.first_seen, true), refs});
  }
  files.push_back({"iocs.csv", io.take()});

  Csv ef({h("col.source"), h("col.kind"), h("csv.size_bytes"), "SHA-256", h("col.hash_check")});
  std::vector<const ManifestEntry*> sorted;
  for (const auto& m : in.manifest) sorted.push_back(&m);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](auto* x, auto* y) { return x->source < y->source; });
  for (const auto* m : sorted)
    ef.row({m->source, kind_label(m->kind), std::to_string(m->size), m->sha256,
            std::string(cat.raw(!m->hash_match   ? "app.hash_na"
                                : *m->hash_match ? "app.hash_ok"
                                                 : "app.hash_ng"))});
  files.push_back({"evidence-files.csv", ef.take()});
  return files;
}

}  // namespace kk::notice
