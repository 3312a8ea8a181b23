// Shared helpers of the section composers, and the entry points of the public API.
#include "notice/compose.hpp"

#include <cstdio>
#include <limits>
#include <set>

#include "core/version.hpp"
#include "notice/customer_text.hpp"
#include "notice/defang.hpp"
#include "notice/rule_text.hpp"

namespace kk::notice {

std::string Composer::local(UtcMicros t) const {
  return format_local(t, opt.tz);
}

std::string Composer::utc(UtcMicros t) const {
  std::string iso = format_iso(t);
  return iso.substr(0, 10) + " " + iso.substr(11, 8) + " UTC";
}

std::string Composer::both(UtcMicros t) const {
  return local(t) + " (" + utc(t) + ")";
}

std::string Composer::date(CivilDate d) const {
  return cat("date.long", {{"y", std::to_string(d.year)},
                           {"m", std::to_string(d.month)},
                           {"d", std::to_string(d.day)},
                           {"month", cat.raw("month." + std::to_string(d.month))}});
}

std::string Composer::statement(const Statement& s) const {
  std::vector<std::pair<std::string, std::string>> values = s.args;
  for (const auto& [k, t] : s.times) values.emplace_back(k, both(t));
  for (const auto& [k, key] : s.labels) values.emplace_back(k, std::string(cat.raw(key)));
  if (!s.items.empty()) {
    std::string joined;
    for (const auto& [key, fallback] : s.items)
      joined += (joined.empty() ? "" : std::string(cat.raw("list.separator"))) +
                (cat.has(key) ? std::string(cat.raw(key)) : fallback);
    values.emplace_back("items", joined);
  }
  // Catalog::operator() takes an initializer list; substitute one name at a time.
  std::string text(cat.raw(s.key));
  for (const auto& [k, v] : values) text = substitute(text, {{k, v}});
  return text;
}

std::string Composer::title_of(const Finding& f) const {
  if (opt.lang == Lang::kJa && !f.title_ja.empty()) return f.title_ja;
  return f.title.empty() ? f.title_ja : f.title;
}

// The rule's name without the finding's own detail ("TITLE: what it grouped by"). A Sigma
// rule with no Japanese title comes as "Sigma ルール該当: TITLE: detail": its TITLE is the
// only name the reader gets, so it is kept.
std::string Composer::rule_title_of(const Finding& f) const {
  std::string t = title_of(f);
  constexpr std::string_view kSigma = "Sigma ルール該当: ";
  if (t.starts_with(kSigma) && t.size() > kSigma.size()) {
    std::string rule = t.substr(kSigma.size());
    rule = rule.substr(0, rule.find(": "));
    return shown("Sigma ルール該当（" + rule + "）", 120);
  }
  auto colon = t.find(": ");
  return shown(colon == std::string::npos ? t : t.substr(0, colon), 120);
}

std::string Composer::description_of(const Finding& f) const {
  std::string_view customer =
      customer_rule_description(f.rule_id.empty() ? f.id : f.rule_id, opt.lang);
  if (!customer.empty()) return std::string(customer);
  if (opt.lang == Lang::kJa && !f.description_ja.empty()) return f.description_ja;
  return f.description.empty() ? f.description_ja : f.description;
}

std::string Composer::artifact_label(std::string_view artifact) const {
  std::string key = "artifact." + std::string(artifact);
  return cat.has(key) ? std::string(cat.raw(key)) : std::string(artifact);
}

std::string Composer::kind_label(std::string_view kind) const {
  std::string key = "kind." + std::string(kind);
  return cat.has(key) ? std::string(cat.raw(key)) : std::string(kind);
}

Span Composer::severity_badge(std::string_view severity) const {
  Span s;
  std::string key = "sev." + std::string(severity);
  s.text = cat.has(key) ? std::string(cat.raw(key)) : std::string(severity);
  s.badge = severity_rank(severity) >= 0 ? std::string(severity) : "info";
  return s;
}

std::string Composer::evidence_ref(const std::string& source, std::optional<std::int64_t> record_id,
                                   std::optional<std::int64_t> offset) const {
  std::string ref = source;
  if (record_id) {
    ref += " #" + std::to_string(*record_id);
  } else if (offset) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " @0x%llx", static_cast<unsigned long long>(*offset));
    ref += buf;
  }
  return ref;
}

std::string Composer::finding_anchor(std::string_view id) {
  std::string a = "f-";
  for (char c : id)
    a.push_back((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c
                                                                                           : '-');
  return a;
}

std::string Composer::clipped(std::string_view text, std::size_t max) const {
  if (text.size() <= max) return std::string(text);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;  // not inside a character
  return std::string(text.substr(0, cut)) + std::string(cat.raw("text.truncated"));
}

std::string Composer::answer_or_unanswered(std::string_view path) const {
  std::string_view v = c.get(path);
  return v.empty() ? std::string(cat.raw("value.unanswered")) : std::string(v);
}

std::string Composer::shown(std::string_view raw, std::size_t max) const {
  std::string text = customer_text(raw, cat);
  // The IOCs the notice lists are defanged wherever a record's text names them.
  for (const auto* list : {&a.iocs.ips, &a.iocs.domains})
    for (const auto& v : *list) {
      if (v.size() < 4) continue;
      std::string safe = defang(v);
      for (auto at = text.find(v); at != std::string::npos; at = text.find(v, at + safe.size()))
        text.replace(at, v.size(), safe);
    }
  return clipped(text, max);
}

std::string Composer::short_local(UtcMicros t) const {
  std::string s = local(t);  // "2019-07-19 05:40:00 JST"
  return s.size() > 19 ? s.substr(0, 16) + s.substr(19) : s;
}

std::string Composer::verdict_label(std::string_view verdict) const {
  return std::string(cat.raw("verdict." + std::string(verdict)));
}

Span Composer::verdict_badge(std::string_view verdict) const {
  Span s;
  s.text = verdict_label(verdict);
  s.badge = verdict == "found"       ? "yes"
            : verdict == "context"   ? "medium"
            : verdict == "not_found" ? "no"
                                     : "na";
  return s;
}

Rich Composer::event_prose(const EvidenceView& e) const {
  Rich r;
  if (e.time) r.push_back(Span{short_local(*e.time) + std::string(cat.raw("prose.time_sep"))});
  if (!e.what.empty())
    r.push_back(Span{e.what + std::string(cat.raw("prose.what_sep")), "", false, true});
  r.push_back(Span{shown(e.summary, 220)});
  std::string where = artifact_label(e.artifact.empty() ? "other" : e.artifact);
  Span ref{" " + cat("prose.where", {{"artifact", where},
                                     {"ref", evidence_ref(e.source, e.record_id, e.offset)}})};
  ref.muted = true;
  r.push_back(ref);
  return r;
}

Table Composer::verdict_table(const std::vector<QuestionView>& qs, bool links, bool brief) const {
  Table t;
  t.style = "verdicts";
  t.header = {std::string(cat.raw("sum.col.point")), std::string(cat.raw("sum.col.result")),
              std::string(cat.raw("sum.col.basis"))};
  for (const auto& q : qs) {
    Rich point;
    if (links)
      point.push_back(Span{std::string(cat.raw("q." + q.id)), "#q-" + q.id});
    else
      point = plain(std::string(cat.raw("q." + q.id)));
    t.rows.push_back({point, Rich{verdict_badge(q.verdict)}, plain(brief ? q.brief : q.statement)});
  }
  return t;
}

ModelOptions model_options(const RenderOptions& opt) {
  ModelOptions mopt;
  mopt.lang = opt.lang;
  mopt.tz = opt.tz;
  mopt.before = opt.before;
  if (opt.part == Part::kAppendix) mopt.max_timeline_rows = kAppendixTimelineRows;
  return mopt;
}

Document compose_document(const CaseFile& c, const NoticeInputs& in, const NoticeModel& m,
                          const RenderOptions& opt) {
  Composer k{c, in, m.analysis, opt, Catalog(opt.lang), &m};
  Document doc;
  doc.lang = opt.lang;
  std::string_view cls = c.get("classification");
  doc.classification =
      cls.empty() ? std::string(k.cat.raw("doc.classification_default")) : std::string(cls);
  doc.footer = k.cat("doc.footer", {{"version", version()}, {"case_id", c.get("case_id")}});
  std::vector<QuestionView> qs = k.questions();
  switch (opt.part) {
    case Part::kNotice:
      doc.title = k.cat.raw("doc.title");
      doc.subtitle = k.cat("doc.subtitle",
                           {{"case_id", c.get("case_id")}, {"company", c.get("customer.company")}});
      doc.sections = {k.summary(qs), k.evidence(qs),  k.key_iocs(), k.recommendations(),
                      k.scope(),     k.limitations(), k.cover()};
      break;
    case Part::kBrief:
      doc.title = k.cat.raw("brief.title");
      doc.subtitle = k.cat("doc.subtitle",
                           {{"case_id", c.get("case_id")}, {"company", c.get("customer.company")}});
      doc.sections = {k.brief(qs)};
      doc.compact = true;
      break;
    case Part::kAppendix:
      doc.title = k.cat.raw("app.title");
      doc.subtitle = k.cat("doc.subtitle",
                           {{"case_id", c.get("case_id")}, {"company", c.get("customer.company")}});
      doc.sections = {k.timeline(),  k.findings(), k.iocs(),     k.overview(),
                      k.inventory(), k.glossary(), k.rule_hits()};
      break;
  }
  return doc;
}

std::vector<CsvFile> compose_csv_files(const CaseFile& c, const NoticeInputs& in,
                                       const NoticeModel& m, const RenderOptions& opt) {
  Composer k{c, in, m.analysis, opt, Catalog(opt.lang), &m};
  return k.csv_files();
}

ModelOptions csv_model_options(const RenderOptions& opt) {
  ModelOptions mopt = model_options(opt);
  mopt.max_timeline_rows = std::numeric_limits<std::size_t>::max();
  return mopt;
}

Document compose_notice(const CaseFile& c, const NoticeInputs& in, const RenderOptions& opt) {
  return compose_document(c, in, build_model(c, in, model_options(opt)), opt);
}

std::string render_notice(const CaseFile& c, const NoticeInputs& in, const RenderOptions& opt) {
  if (opt.format == Format::kJson) {
    RenderOptions o = opt;
    o.part = Part::kNotice;  // notice.json is the notice's model, whatever the part
    return notice_json(build_model(c, in, model_options(o)));
  }
  Document doc = compose_notice(c, in, opt);
  return opt.format == Format::kHtml ? render_html(doc) : render_markdown(doc);
}

std::vector<CsvFile> notice_csv_files(const CaseFile& c, const NoticeInputs& in,
                                      const RenderOptions& opt) {
  return compose_csv_files(c, in, build_model(c, in, csv_model_options(opt)), opt);
}

void anonymize_inputs(const Anonymizer& anon, NoticeInputs& in, CaseFile& c) {
  auto fix = [&](std::string& s) { s = anon.text(s); };
  auto fix_all = [&](std::vector<std::string>& v) {
    for (auto& s : v) fix(s);
  };
  for (auto& [path, v] : c.text)
    if (path != "completion_date" && path.find("_at") == std::string::npos) fix(v);
  for (auto& [path, v] : c.lists) fix_all(v);
  std::set<std::string> sources;
  for (const auto& s : in.event_sources) sources.insert(anon.text(s));
  in.event_sources = std::move(sources);
  for (auto& f : in.findings) {
    fix(f.source);
    fix(f.title);
    fix(f.title_ja);
    fix(f.description);
    fix(f.description_ja);
    for (auto& e : f.evidence) {
      fix(e.source);
      fix(e.summary);
      for (auto& [k, v] : e.fields) fix(v);
    }
    // Hashes, public addresses and domains are malware facts and stay; text() keeps
    // public addresses and replaces internal ones.
    fix_all(f.iocs.files);
    fix_all(f.iocs.paths);
    fix_all(f.iocs.ips);
    fix_all(f.iocs.services);
    fix_all(f.iocs.tasks);
    fix_all(f.iocs.accounts);
  }
  for (auto& m : in.manifest) {
    fix(m.source);
    fix(m.path);
    fix(m.host);
  }
  fix(in.summary.host);
  fix(in.summary.bundle);
  for (auto& d : in.diagnostics) {
    fix(d.file);
    fix(d.message);
  }
  for (auto& k : in.key_events) {
    fix(k.source);
    fix(k.host);
    fix(k.message);
  }
  for (auto& ch : in.channel_names) fix(ch);
  std::map<std::string, Coverage> channels;
  for (auto& [ch, cov] : in.channels) channels[anon.text(ch)] = cov;
  in.channels = std::move(channels);
  std::map<std::string, std::map<std::int64_t, std::int64_t>> ids;
  for (auto& [ch, m] : in.event_ids) ids[anon.text(ch)] = m;
  in.event_ids = std::move(ids);
  std::set<std::string> hosts;
  for (const auto& h : in.hosts) hosts.insert(anon.text(h));
  in.hosts = std::move(hosts);
}

}  // namespace kk::notice
