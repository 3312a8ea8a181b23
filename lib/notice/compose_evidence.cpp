// Sections 5-7: timeline of key events, findings by question, IOCs.
#include <algorithm>

#include "notice/chart.hpp"
#include "notice/compose.hpp"
#include "notice/customer_text.hpp"
#include "notice/defang.hpp"

namespace kk::notice {

namespace {
constexpr std::int64_t kHourUs = 3600LL * 1000000;
constexpr std::size_t kBodyIocs = 12;
}  // namespace

// A question's records in prose, and how many more the appendix holds.
void Composer::records(Section& s, const std::vector<EvidenceView>& shown,
                       std::int64_t total) const {
  if (shown.empty()) return;
  List l;
  for (const auto& e : shown) l.items.push_back(event_prose(e));
  s.blocks.push_back(std::move(l));
  if (total > static_cast<std::int64_t>(shown.size()))
    s.blocks.push_back(Paragraph{
        plain(cat("evidence.more",
                  {{"count", std::to_string(total - static_cast<std::int64_t>(shown.size()))},
                   {"appendix", std::string(kAppendixHtml)}})),
        "note"});
}

// The body's evidence: the chart of the window, then per question its verdict, the reason
// and a handful of records in prose; everything else is in the appendix and the CSV files.
Section Composer::evidence(const std::vector<QuestionView>& qs) const {
  Section s{"evidence", std::string(cat.raw("sec.evidence")), {}, false};
  ChartOptions copt;
  copt.tz = opt.tz;
  s.blocks.push_back(Heading{std::string(cat.raw("evidence.chart")), "activity"});
  s.blocks.push_back(activity_chart(in, a.window.start, a.window.end, a.window.anchor, cat, copt));
  // A window too long for hourly bars gets a second, hourly chart of the days before the
  // detection (the investigation's own 72 hours) and the day after.
  if (a.window.end - a.window.start > static_cast<std::int64_t>(copt.max_bins) * kHourUs) {
    ChartOptions detail = copt;
    detail.id = "activity-detail";
    UtcMicros from = a.window.start;
    UtcMicros to = std::min(a.window.end, a.window.anchor + 24 * kHourUs);
    Chart d = activity_chart(in, from, to, a.window.anchor, cat, detail);
    d.caption = cat("chart.detail_caption",
                    {{"start", local(from)},
                     {"end", local(to)},
                     {"total", std::to_string(d.total)},
                     {"bin", cat("chart.bin_hours", {{"n", std::to_string(d.bin_hours)}})}});
    s.blocks.push_back(std::move(d));
  }
  int n = 1;  // 2.1 is the chart
  for (const auto& q : qs) {
    ++n;
    s.blocks.push_back(Heading{
        cat("evidence.heading", {{"n", std::to_string(n)}, {"question", cat.raw("q." + q.id)}}),
        "q-" + q.id});
    s.blocks.push_back(Paragraph{Rich{verdict_badge(q.verdict), Span{" " + q.statement}}, ""});
    records(s, q.evidence, q.evidence_total);
    if (q.context.empty()) continue;
    s.blocks.push_back(Paragraph{plain(std::string(cat.raw("evidence.context"))), "note"});
    records(s, q.context, q.context_total);
  }
  return s;
}

// Appendix A.1: every key event, in a table.
Section Composer::timeline() const {
  Section s{"timeline", std::string(cat.raw("sec.timeline")), {}, false};
  s.blocks.push_back(Paragraph{plain(std::string(cat.raw("timeline.intro"))), ""});
  Table t;
  t.style = "timeline";
  t.header = {std::string(cat.raw("col.time_both")), std::string(cat.raw("col.artifact")),
              std::string(cat.raw("col.event")), std::string(cat.raw("col.evidence"))};
  // The local time with the UTC below it, so the evidence can be matched either way.
  auto when = [&](UtcMicros t0) {
    Span u{utc(t0)};
    u.line_break = true;
    u.muted = true;
    return Rich{Span{local(t0)}, u};
  };
  for (const auto& r : a.timeline) {
    if (r.is_detection) {
      std::string what = cat("timeline.detection", {{"product", c.get("detection.product")},
                                                    {"threat", c.get("detection.threat_name")}});
      t.rows.push_back({when(r.time), plain(std::string(cat.raw("timeline.intake"))),
                        Rich{Span{what, "", false, true}},
                        Rich{Span{std::string(cat.raw("timeline.intake_ref")), "#overview"}}});
      continue;
    }
    Rich what;
    if (!r.severity.empty()) {
      what.push_back(severity_badge(r.severity));
      what.push_back(Span{" "});
    }
    std::string text = r.text;
    if (r.event_id && text.find(std::to_string(*r.event_id)) == std::string::npos)
      text = "[" + std::to_string(*r.event_id) + "] " + text;
    what.push_back(Span{shown(text, 400)});
    if (r.time < a.window.start || r.time > a.window.end) {
      Span outside{"(" + std::string(cat.raw("timeline.outside_window")) + ")"};
      outside.line_break = true;
      outside.muted = true;
      what.push_back(outside);
    }
    Rich ref;
    ref.push_back(Span{evidence_ref(r.source, r.record_id, r.offset), "", true});
    if (!r.finding_id.empty()) {
      ref.push_back(Span{" "});
      ref.push_back(Span{"→ " + r.finding_id, "#" + finding_anchor(r.finding_id)});
    }
    t.rows.push_back({when(r.time), plain(artifact_label(r.artifact)), what, ref});
  }
  s.blocks.push_back(std::move(t));
  if (a.timeline_omitted)
    s.blocks.push_back(Paragraph{
        plain(cat("timeline.omitted", {{"count", std::to_string(a.timeline_omitted)}})), "note"});
  return s;
}

Section Composer::findings() const {
  Section s{"findings", std::string(cat.raw("sec.findings")), {}, true};
  s.blocks.push_back(Paragraph{plain(std::string(cat.raw("findings.intro"))), ""});
  int n = 0;
  for (const auto& ans : a.answers) {
    ++n;
    std::string q(ans.question);
    s.blocks.push_back(Heading{
        cat("findings.heading", {{"n", std::to_string(n)}, {"question", cat.raw("q." + q)}}),
        "q-" + q});
    s.blocks.push_back(Paragraph{plain(std::string(cat.raw("q." + q + ".desc"))), "note"});
    if (ans.findings.empty()) {
      s.blocks.push_back(Paragraph{
          Rich{Span{std::string(cat.raw("findings.none")), "", false, true}}, "", "none-" + q});
      s.blocks.push_back(Paragraph{plain(std::string(cat.raw("findings.checked"))), ""});
      List checked;
      for (auto art : artifacts_checked_for(q)) {
        auto it = a.window_events_per_artifact.find(std::string(art));
        std::int64_t count = it == a.window_events_per_artifact.end() ? 0 : it->second;
        std::string line =
            count ? cat("findings.checked_count",
                        {{"artifact", artifact_label(art)}, {"count", std::to_string(count)}})
                  : cat("findings.checked_absent", {{"artifact", artifact_label(art)}});
        // Event logs: which channels were there (the busiest eight).
        if (art == "evtx" && !a.window_events_per_channel.empty()) {
          std::vector<std::pair<std::int64_t, std::string>> by_count;
          for (const auto& [ch, n_ch] : a.window_events_per_channel)
            by_count.emplace_back(-n_ch, ch);
          std::sort(by_count.begin(), by_count.end());
          std::string channels;
          for (std::size_t i = 0; i < by_count.size() && i < 8; ++i)
            channels +=
                (channels.empty() ? "" : std::string(cat.raw("list.separator"))) +
                cat("findings.channel_count", {{"channel", by_count[i].second},
                                               {"count", std::to_string(-by_count[i].first)}});
          if (by_count.size() > 8) channels += std::string(cat.raw("list.separator")) + "…";
          line += cat("findings.channels", {{"channels", channels}});
        }
        checked.items.push_back(plain(line));
      }
      s.blocks.push_back(std::move(checked));
      continue;
    }
    s.blocks.push_back(
        Paragraph{plain(cat(ans.evidenced ? "findings.count_evidenced" : "findings.count_context",
                            {{"count", std::to_string(ans.findings.size())}})),
                  ""});
    for (const Finding* f : ans.findings) {
      Rich head{severity_badge(f->severity), Span{" "},
                Span{shown(title_of(*f), 300), "", false, true}};
      if (f->suspect) {
        Span sus;
        sus.text = std::string(cat.raw("findings.suspect"));
        sus.badge = "high";
        head.push_back(Span{" "});
        head.push_back(sus);
      }
      s.blocks.push_back(Paragraph{head, "", finding_anchor(f->id)});
      std::string meta = cat("findings.meta", {{"id", f->id},
                                               {"rule", f->rule_id.empty() ? f->id : f->rule_id},
                                               {"count", std::to_string(f->count)}});
      if (f->first)
        meta += " " + cat("findings.period", {{"first", local(*f->first)},
                                              {"last", local(f->last.value_or(*f->first))}});
      if (!f->attack.empty()) {
        std::string att;
        for (const auto& x : f->attack) att += (att.empty() ? "" : ", ") + x;
        meta += " " + cat("findings.attack", {{"ids", att}});
      }
      std::string desc = description_of(*f);
      if (!desc.empty()) s.blocks.push_back(Paragraph{plain(desc), ""});
      s.blocks.push_back(Paragraph{plain(meta), "note"});
      Table t;
      t.style = "evidence";
      t.header = {std::string(cat.raw("col.time_local")), std::string(cat.raw("col.source")),
                  std::string(cat.raw("col.record")), std::string(cat.raw("col.event_id")),
                  std::string(cat.raw("col.summary"))};
      for (const auto& e : f->evidence) {
        std::string rec = e.record_id ? "#" + std::to_string(*e.record_id)
                          : e.offset  ? evidence_ref("", std::nullopt, e.offset).substr(1)
                                      : "-";
        std::string summary = e.summary;
        for (const auto& [k, v] : e.fields) {
          if (summary.size() > 400) break;
          if (!v.empty() && summary.find(v) == std::string::npos)
            summary += " / " + k + "=" + clipped(v, 160);
        }
        summary = shown(summary, 600);
        t.rows.push_back({plain(e.time ? local(*e.time) : "-"), code(e.source), plain(rec),
                          plain(e.event_id ? std::to_string(*e.event_id) : "-"), plain(summary)});
      }
      if (static_cast<std::int64_t>(f->evidence.size()) < f->count)
        t.rows.push_back(
            {plain(""), plain(""), plain(""), plain(""),
             plain(cat("findings.more_evidence",
                       {{"count", std::to_string(f->count - static_cast<std::int64_t>(
                                                                f->evidence.size()))}}))});
      if (t.rows.empty()) {
        s.blocks.push_back(
            Paragraph{plain(std::string(cat.raw("findings.no_evidence_items"))), "note"});
      } else {
        s.blocks.push_back(std::move(t));
      }
    }
  }
  return s;
}

namespace {
// The order IOCs are listed in: what a customer blocks or searches for first.
int ioc_rank(std::string_view type) {
  static constexpr std::string_view order[] = {"sha256",  "sha1", "md5",          "ip",
                                               "domain",  "url",  "file_path",    "file_name",
                                               "service", "task", "registry_key", "account"};
  for (std::size_t i = 0; i < std::size(order); ++i)
    if (order[i] == type) return static_cast<int>(i);
  return static_cast<int>(std::size(order));
}
}  // namespace

std::string Composer::ioc_label(const IocModel& i) const {
  std::string key = "ioc." + i.type;
  std::string label = cat.has(key) ? std::string(cat.raw(key)) : i.type;
  if (i.scope == "internal") label += std::string(cat.raw("ioc.internal_suffix"));
  if (i.scope == "shared") label += std::string(cat.raw("ioc.shared_suffix"));
  return label;
}

std::string Composer::block_targets(std::size_t most) const {
  std::vector<std::string> all;
  for (const char* type : {"domain", "ip"})
    for (const auto& i : model->iocs)
      if (i.type == type && i.scope.empty()) all.push_back(defang(i.value));
  std::string out;
  for (std::size_t k = 0; k < all.size() && k < most; ++k)
    out += (k ? std::string(cat.raw("list.separator")) : std::string()) + all[k];
  if (all.size() > most)
    out += cat("brief.more_targets", {{"count", std::to_string(all.size() - most)}});
  return out;
}

// Every IOC of the model as (type label, value as printed): network indicators defanged.
std::vector<std::pair<std::string, std::string>> Composer::ioc_rows() const {
  std::vector<std::pair<std::string, std::string>> rows;
  std::string_view threat = c.get("detection.threat_name");
  if (!threat.empty()) rows.emplace_back(std::string(cat.raw("ioc.threat")), std::string(threat));
  std::vector<const IocModel*> sorted;
  for (const auto& i : model->iocs) sorted.push_back(&i);
  std::stable_sort(sorted.begin(), sorted.end(), [](const IocModel* x, const IocModel* y) {
    return ioc_rank(x->type) < ioc_rank(y->type);
  });
  for (const IocModel* i : sorted) {
    rows.emplace_back(ioc_label(*i),
                      is_network_ioc(i->type) ? defang(i->value) : customer_text(i->value, cat));
  }
  return rows;
}

// The body's IOC table: the first dozen (threat, hashes and network indicators lead).
Section Composer::key_iocs() const {
  Section s{"iocs", std::string(cat.raw("sec.key_iocs")), {}, false};
  auto rows = ioc_rows();
  if (rows.empty()) {
    s.blocks.push_back(Paragraph{plain(std::string(cat.raw("iocs.none"))), ""});
    return s;
  }
  Table t;
  t.style = "iocs";
  t.header = {std::string(cat.raw("col.ioc_type")), std::string(cat.raw("col.ioc_value"))};
  for (std::size_t i = 0; i < rows.size() && i < kBodyIocs; ++i)
    t.rows.push_back({plain(rows[i].first), code(rows[i].second)});
  s.blocks.push_back(std::move(t));
  std::string note(cat.raw("iocs.defang_note"));
  if (rows.size() > kBodyIocs)
    note = cat("iocs.more", {{"count", std::to_string(rows.size() - kBodyIocs)},
                             {"appendix", std::string(kAppendixHtml)}}) +
           note;
  s.blocks.push_back(Paragraph{plain(note), "note"});
  return s;
}

// Appendix: every IOC.
Section Composer::iocs() const {
  Section s{"iocs", std::string(cat.raw("sec.iocs")), {}, false};
  Table t;
  t.style = "iocs";
  t.header = {std::string(cat.raw("col.ioc_type")), std::string(cat.raw("col.ioc_value"))};
  for (const auto& [label, value] : ioc_rows()) t.rows.push_back({plain(label), code(value)});
  if (t.rows.empty()) {
    s.blocks.push_back(Paragraph{plain(std::string(cat.raw("iocs.none"))), ""});
  } else {
    s.blocks.push_back(std::move(t));
    s.blocks.push_back(Paragraph{plain(std::string(cat.raw("iocs.defang_note"))), "note"});
  }
  return s;
}

}  // namespace kk::notice
