// Sections 5-7: timeline of key events, findings by question, IOCs.
#include <algorithm>

#include "notice/chart.hpp"
#include "notice/compose.hpp"
#include "notice/defang.hpp"

namespace kk::notice {

Section Composer::timeline() const {
  Section s{"timeline", std::string(cat.raw("sec.timeline")), {}, true};
  ChartOptions copt;
  copt.tz = opt.tz;
  Chart chart = activity_chart(in, a.window, cat, copt);
  s.blocks.push_back(Heading{std::string(cat.raw("timeline.chart")), "activity"});
  s.blocks.push_back(std::move(chart));
  s.blocks.push_back(Heading{std::string(cat.raw("timeline.key_events")), "key-events"});
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
    what.push_back(Span{clipped(text, 400)});
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
      Rich head{severity_badge(f->severity), Span{" "}, Span{title_of(*f), "", false, true}};
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
        summary = clipped(summary, 600);
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

Section Composer::iocs() const {
  Section s{"iocs", std::string(cat.raw("sec.iocs")), {}, false};
  Table t;
  t.header = {std::string(cat.raw("col.ioc_type")), std::string(cat.raw("col.ioc_value"))};
  auto add = [&](std::string_view type, const std::vector<std::string>& values, bool defanged) {
    for (const auto& v : values)
      t.rows.push_back({plain(std::string(cat.raw("ioc." + std::string(type)))),
                        code(defanged ? defang(v) : v)});
  };
  add("files", a.iocs.files, false);
  add("paths", a.iocs.paths, false);
  add("hashes", a.iocs.hashes, false);
  add("ips", a.iocs.ips, true);
  add("domains", a.iocs.domains, true);
  add("services", a.iocs.services, false);
  add("tasks", a.iocs.tasks, false);
  add("accounts", a.iocs.accounts, false);
  if (!c.get("detection.threat_name").empty())
    t.rows.insert(t.rows.begin(), {plain(std::string(cat.raw("ioc.threat"))),
                                   code(std::string(c.get("detection.threat_name")))});
  if (t.rows.empty()) {
    s.blocks.push_back(Paragraph{plain(std::string(cat.raw("iocs.none"))), ""});
  } else {
    s.blocks.push_back(std::move(t));
    s.blocks.push_back(Paragraph{plain(std::string(cat.raw("iocs.defang_note"))), "note"});
  }
  return s;
}

}  // namespace kk::notice
