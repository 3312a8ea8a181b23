// Sections 1-4: cover and document control, executive summary, overview from the
// intake, scope and method.
#include <algorithm>

#include "core/version.hpp"
#include "notice/compose.hpp"

namespace kk::notice {

namespace {
Table kv_table() {
  Table t;
  t.style = "kv";
  return t;
}
void kv(Table& t, std::string label, Rich value) {
  t.rows.push_back({plain(std::move(label)), std::move(value)});
}
std::string joined(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : std::string(sep)) + x;
  return s;
}
}  // namespace

Section Composer::cover() const {
  Section s{"cover", std::string(cat.raw("sec.cover")), {}, false};
  Table t = kv_table();
  kv(t, std::string(cat.raw("cover.case_id")), plain(std::string(c.get("case_id"))));
  std::string to = std::string(c.get("customer.company"));
  if (!c.get("customer.department").empty()) to += " " + std::string(c.get("customer.department"));
  if (!c.get("customer.contact_person").empty())
    to += " " + cat("cover.addressee", {{"name", c.get("customer.contact_person")}});
  kv(t, std::string(cat.raw("cover.to")), plain(to));
  kv(t, std::string(cat.raw("cover.date")), plain(date(c.completion)));
  std::string_view ver = c.get("version");
  kv(t, std::string(cat.raw("cover.version")),
     plain(ver.empty() ? std::string("1.0") : std::string(ver)));
  std::string_view cls = c.get("classification");
  kv(t, std::string(cat.raw("cover.classification")),
     plain(cls.empty() ? std::string(cat.raw("doc.classification_default")) : std::string(cls)));
  kv(t, std::string(cat.raw("cover.analyst")), plain(std::string(c.get("analyst"))));
  kv(t, std::string(cat.raw("cover.host")),
     plain(a.host.empty() ? std::string(cat.raw("value.unknown")) : a.host));
  kv(t, std::string(cat.raw("cover.tool")),
     plain(cat("cover.tool_value", {{"version", version()}})));
  s.blocks.push_back(std::move(t));
  s.blocks.push_back(
      Paragraph{plain(cat("cover.purpose", {{"company", c.get("customer.company")}})), ""});
  s.blocks.push_back(Heading{std::string(cat.raw("cover.handling")), "data-handling"});
  s.blocks.push_back(Paragraph{
      plain(cat("cover.retention",
                {{"completion", date(c.completion)}, {"deletion", date(c.deletion_date())}})),
      "", "retention"});
  s.blocks.push_back(
      Paragraph{plain(std::string(cat.raw("cover.anonymization"))), "", "anonymization-clause"});
  if (opt.anonymized)
    s.blocks.push_back(Paragraph{plain(std::string(cat.raw("cover.anonymized_variant"))), "note"});
  return s;
}

Section Composer::summary(const std::vector<QuestionView>& qs) const {
  Section s{"summary", std::string(cat.raw("sec.summary")), {}, false};
  s.blocks.push_back(Paragraph{
      plain(cat("sum.issued", {{"date", date(c.completion)},
                               {"host", a.host.empty() ? cat.raw("value.unknown") : a.host},
                               {"analyst", answer_or_unanswered("analyst")}})),
      "note"});
  std::string_view product = c.get("detection.product");
  std::string_view threat = c.get("detection.threat_name");
  std::string files = joined(c.list("detection.suspect_files"), ", ");
  s.blocks.push_back(Paragraph{
      plain(
          cat("sum.detected",
              {{"time", local(c.detected_at)},
               {"product", product.empty() ? cat.raw("sum.product_unknown") : product},
               {"threat", threat.empty() ? cat.raw("sum.threat_unknown") : threat},
               {"files", files.empty() ? cat.raw("value.unanswered") : std::string_view(files)}})),
      "lead"});
  std::string verdict_key, style;
  switch (a.judgement) {
    case Judgement::kCompromised:
      verdict_key = "sum.verdict.compromised";
      style = "verdict-compromised";
      break;
    case Judgement::kSuspicious:
      verdict_key = "sum.verdict.suspicious";
      style = "verdict-suspicious";
      break;
    case Judgement::kNoEvidence:
      verdict_key = "sum.verdict.none";
      style = "verdict-none";
      break;
  }
  std::string conf_key = a.confidence == Confidence::kHigh     ? "conf.high"
                         : a.confidence == Confidence::kMedium ? "conf.medium"
                                                               : "conf.low";
  Rich verdict{Span{std::string(cat.raw("sum.verdict_label")), "", false, true},
               Span{" " + std::string(cat.raw(verdict_key))},
               Span{" " + cat("sum.confidence", {{"level", cat.raw(conf_key)}})}};
  s.blocks.push_back(Paragraph{verdict, style, "verdict"});
  s.blocks.push_back(verdict_table(qs, true));
  s.blocks.push_back(Heading{std::string(cat.raw("sum.do_now")), "do-now"});
  List recs;
  recs.ordered = true;
  for (const auto& r : a.immediate) recs.items.push_back(plain(statement(r)));
  s.blocks.push_back(std::move(recs));
  if (!a.confidence_reasons.empty()) {
    std::string reasons;
    for (const auto& r : a.confidence_reasons)
      reasons += (reasons.empty() ? "" : std::string(cat.raw("list.separator"))) + statement(r);
    s.blocks.push_back(
        Paragraph{plain(cat("sum.confidence_reasons", {{"reasons", reasons}})), "note"});
  }
  s.blocks.push_back(Paragraph{
      plain(cat("sum.where_details", {{"appendix", std::string(kAppendixHtml)}})), "note"});
  return s;
}

Section Composer::overview() const {
  Section s{"overview", std::string(cat.raw("sec.overview")), {}, false};
  s.blocks.push_back(Paragraph{plain(std::string(cat.raw("overview.intro"))), ""});
  for (auto group : case_groups()) {
    if (group.empty()) continue;
    s.blocks.push_back(
        Heading{std::string(cat.raw("case.group." + std::string(group) + ".title")), ""});
    Table t = kv_table();
    for (const auto& f : case_fields()) {
      std::string_view path = f.path;
      if (path.substr(0, group.size()) != group || path.size() <= group.size() ||
          path[group.size()] != '.')
        continue;
      std::string label(cat.raw("case." + std::string(path)));
      std::string value;
      switch (f.type) {
        case FieldType::kFlag: {
          auto b = c.flag(path);
          value = std::string(cat.raw(!b   ? "value.unknown"
                                      : *b ? "value.available"
                                           : "value.unavailable"));
          break;
        }
        case FieldType::kTextList:
          value = joined(c.list(path), "\n");
          if (value.empty()) value = cat.raw("value.unanswered");
          break;
        case FieldType::kChoice: {
          std::string_view v = c.get(path);
          value = v.empty() ? std::string(cat.raw("value.unanswered"))
                            : std::string(cat.raw("choice." + std::string(v)));
          break;
        }
        case FieldType::kTime: {
          auto it = c.times.find(path);
          value = it == c.times.end() ? std::string(cat.raw("value.unanswered")) : both(it->second);
          break;
        }
        default:
          value = answer_or_unanswered(path);
      }
      kv(t, label, plain(value));
    }
    s.blocks.push_back(std::move(t));
  }
  return s;
}

// The device as its own registry describes it; "unknown (no SYSTEM/SOFTWARE hive)" says
// which hive would have told.
void Composer::host_facts(Table& t) const {
  const HostFacts& h = in.host_facts;
  auto fact = [&](const char* name) -> std::string {
    auto it = h.system.find(name);
    return it == h.system.end() ? std::string() : it->second;
  };
  std::string os = fact("ProductName");
  if (!os.empty()) {
    std::string version = fact("DisplayVersion");
    if (version.empty()) version = fact("ReleaseId");
    if (!version.empty()) os += " " + version;
    std::string build = fact("CurrentBuild");
    if (!build.empty()) {
      std::string ubr = fact("UBR");
      os += " (build " + build + (ubr.empty() ? "" : "." + ubr) + ")";
    }
  }
  kv(t, std::string(cat.raw("scope.os")),
     plain(os.empty() ? std::string(cat.raw("scope.unknown_software")) : os));
  std::string tz;
  if (!h.time_zone.empty() || !h.utc_offset.empty())
    tz = cat("scope.timezone_value", {{"name", h.time_zone.empty() ? "?" : h.time_zone},
                                      {"offset", h.utc_offset.empty() ? "?" : h.utc_offset}});
  kv(t, std::string(cat.raw("scope.timezone")),
     plain(tz.empty() ? std::string(cat.raw("scope.unknown_system")) : tz));
  if (std::string name = fact("ComputerName"); !name.empty())
    kv(t, std::string(cat.raw("scope.registry_name")), plain(name));
  if (std::string shutdown = fact("ShutdownTime"); !shutdown.empty()) {
    auto when = parse_user_time(shutdown, "UTC");
    kv(t, std::string(cat.raw("scope.last_shutdown")), plain(when ? both(*when) : shutdown));
  }
}

Section Composer::scope() const {
  Section s{"scope", std::string(cat.raw("sec.scope")), {}, false};
  s.blocks.push_back(Heading{std::string(cat.raw("scope.received")), "evidence-received"});
  Table t = kv_table();
  kv(t, std::string(cat.raw("scope.host")),
     plain(a.host.empty() ? std::string(cat.raw("value.unknown")) : a.host));
  host_facts(t);
  if (!in.summary.bundle.empty())
    kv(t, std::string(cat.raw("scope.bundle")), code(in.summary.bundle));
  if (!in.summary.layout.empty())
    kv(t, std::string(cat.raw("scope.layout")), plain(in.summary.layout));
  kv(t, std::string(cat.raw("scope.collection_start")),
     plain(a.collection_start ? both(*a.collection_start) : std::string(cat.raw("value.unknown"))));
  kv(t, std::string(cat.raw("scope.collection_end")),
     plain(a.collection_end ? both(*a.collection_end) : std::string(cat.raw("value.unknown"))));
  kv(t, std::string(cat.raw("scope.files")),
     plain(cat("scope.files_value", {{"count", std::to_string(in.manifest.size())}})));
  if (!in.summary.archive_truncated.empty()) {  // a cut upload (truncation.hpp)
    std::size_t partial = 0;
    for (const auto& m : in.manifest) partial += m.complete ? 0 : 1;
    Span cut;
    cut.badge = "ng";
    cut.text = cat("scope.archive_truncated_value",
                   {{"count", std::to_string(in.manifest.size() - partial)},
                    {"partial", std::to_string(partial)}});
    kv(t, std::string(cat.raw("scope.archive")), Rich{cut});
  }
  Rich hash;
  if (in.manifest.empty()) {
    hash = plain(std::string(cat.raw("scope.hash_none")));
  } else {
    Span badge;
    badge.badge = a.hashes.mismatched ? "ng" : a.hashes.matched ? "ok" : "na";
    badge.text = std::string(cat.raw(a.hashes.mismatched ? "scope.hash_ng"
                                     : a.hashes.matched  ? "scope.hash_ok"
                                                         : "scope.hash_na"));
    hash.push_back(badge);
    hash.push_back(Span{
        " " + cat("scope.hash_counts", {{"matched", std::to_string(a.hashes.matched)},
                                        {"mismatched", std::to_string(a.hashes.mismatched)},
                                        {"unverified", std::to_string(a.hashes.unverified)}})});
  }
  if (!in.summary.hash_result.empty()) {
    std::string key = "scope.hash_result." + in.summary.hash_result;
    hash.push_back(Span{
        " " + (cat.has(key) ? std::string(cat.raw(key)) : "(" + in.summary.hash_result + ")")});
  }
  if (!in.summary.not_encrypted.empty()) {  // chain of custody: outside the password's protection
    Span warn;
    warn.badge = "ng";
    warn.text =
        cat("scope.not_encrypted", {{"count", std::to_string(in.summary.not_encrypted.size())}});
    hash.push_back(Span{" "});
    hash.push_back(warn);
  }
  kv(t, std::string(cat.raw("scope.hash")), hash);
  s.blocks.push_back(std::move(t));

  s.blocks.push_back(Heading{std::string(cat.raw("scope.window")), "window"});
  Table w = kv_table();
  kv(w, std::string(cat.raw("scope.anchor")), plain(both(a.window.anchor)));
  kv(w, std::string(cat.raw("scope.window_start")), plain(both(a.window.start)));
  kv(w, std::string(cat.raw("scope.window_end")),
     plain(both(a.window.end) + " — " +
           std::string(cat.raw("scope.end_basis." + a.window.end_basis))));
  kv(w, std::string(cat.raw("scope.window_events")),
     plain(cat("scope.window_events_value", {{"inside", std::to_string(a.events_in_window)},
                                             {"before", std::to_string(a.events_before)},
                                             {"after", std::to_string(a.events_after)}})));
  s.blocks.push_back(std::move(w));
  s.blocks.push_back(Paragraph{
      plain(cat("scope.window_rule", {{"days", std::to_string(opt.before / (86400LL * 1000000))}})),
      "note"});

  s.blocks.push_back(Heading{std::string(cat.raw("scope.artifacts")), "artifacts"});
  Table e;
  e.header = {std::string(cat.raw("scope.col.artifact")),
              std::string(cat.raw("scope.col.events_window")),
              std::string(cat.raw("scope.col.range"))};
  for (const auto& [art, cov] : in.artifact_coverage) {
    auto it = a.window_events_per_artifact.find(art);
    std::int64_t n = it == a.window_events_per_artifact.end() ? 0 : it->second;
    e.rows.push_back({plain(artifact_label(art)), plain(std::to_string(n)),
                      plain(short_local(cov.oldest) + " — " + short_local(cov.newest))});
  }
  if (e.rows.empty()) {
    s.blocks.push_back(Paragraph{plain(std::string(cat.raw("scope.no_events"))), "note"});
  } else {
    s.blocks.push_back(std::move(e));
  }
  // The network logs received, each with its period and whether it covers the window.
  if (!in.netlogs.empty()) {
    s.blocks.push_back(Heading{std::string(cat.raw("scope.netlogs")), "netlogs"});
    Table n;
    n.header = {std::string(cat.raw("scope.col.netlog")), std::string(cat.raw("scope.col.product")),
                std::string(cat.raw("scope.col.range")),
                std::string(cat.raw("scope.col.covers_window")),
                std::string(cat.raw("scope.col.netlog_records"))};
    for (const auto& l : in.netlogs) {
      std::string range = l.first && l.last ? short_local(*l.first) + " — " + short_local(*l.last)
                          : l.unreadable.empty() ? std::string("-")
                                                 : std::string(cat.raw("scope.netlog_unreadable"));
      std::string covers = !l.covers_window   ? std::string("-")
                           : *l.covers_window ? std::string(cat.raw("scope.covers.yes"))
                                              : std::string(cat.raw("scope.covers.no"));
      std::string_view product = l.product_name.empty() ? l.product : l.product_name;
      if (product == "unknown") product = {};
      n.rows.push_back(
          {plain(l.source), plain(product.empty() ? std::string("-") : std::string(product)),
           plain(range), plain(covers),
           plain(cat("scope.netlog_counts", {{"lines", std::to_string(l.lines)},
                                             {"records", std::to_string(l.records)}}))});
    }
    s.blocks.push_back(std::move(n));
  }
  s.blocks.push_back(Heading{std::string(cat.raw("scope.method")), "method"});
  s.blocks.push_back(Paragraph{plain(cat("scope.method_text", {{"version", version()}})), ""});
  s.blocks.push_back(
      Paragraph{plain(cat("scope.findings_count", {{"findings", std::to_string(in.findings.size())},
                                                   {"rules", std::to_string(a.rule_hits.size())}})),
                ""});
  return s;
}

}  // namespace kk::notice
