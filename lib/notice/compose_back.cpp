// Sections 8-10: recommendations, limitations, appendix.
#include <algorithm>
#include <set>

#include "core/ascii_case.hpp"
#include "notice/compose.hpp"

namespace kk::notice {

namespace {
// The event-id glossary family of a channel or an EVTX file name.
// "15798272" -> "15,798,272".
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string family_of(std::string_view channel_or_source) {
  std::string f = ascii_lower(channel_or_source);
  for (std::string_view fam : {"sysmon", "powershell", "defender", "taskscheduler", "wmi"})
    if (f.find(fam) != std::string::npos) return std::string(fam);
  if (f.find("terminalservices") != std::string::npos || f.find("rdp") != std::string::npos)
    return "rdp";
  if (f.find("security") != std::string::npos) return "security";
  if (f.find("system") != std::string::npos) return "system";
  return "";
}
}  // namespace

Section Composer::recommendations() const {
  Section s{"recommendations", std::string(cat.raw("sec.recommendations")), {}, false};
  s.blocks.push_back(
      Paragraph{Rich{Span{std::string(cat.raw("rec.immediate_see")), "#do-now"}}, "note"});
  s.blocks.push_back(Heading{std::string(cat.raw("rec.medium")), "rec-medium"});
  List later;
  later.ordered = true;
  for (const auto& r : a.medium_term) later.items.push_back(plain(statement(r)));
  if (later.items.empty()) later.items.push_back(plain(std::string(cat.raw("rec.none_medium"))));
  s.blocks.push_back(std::move(later));
  return s;
}

Section Composer::limitations() const {
  Section s{"limitations", std::string(cat.raw("sec.limitations")), {}, false};
  s.blocks.push_back(Paragraph{plain(std::string(cat.raw("lim.intro"))), ""});
  List l;
  for (const auto& st : a.limitations) l.items.push_back(plain(statement(st)));
  s.blocks.push_back(std::move(l));
  return s;
}

Section Composer::inventory() const {
  Section s{"inventory", std::string(cat.raw("app.inventory")), {}, false};
  if (!a.manifest_per_kind.empty()) {
    Table k;
    k.header = {std::string(cat.raw("scope.col.kind")), std::string(cat.raw("scope.col.files"))};
    for (const auto& [kind, n] : a.manifest_per_kind)
      k.rows.push_back({plain(kind_label(kind)), plain(std::to_string(n))});
    s.blocks.push_back(std::move(k));
  }
  if (in.manifest.empty()) {
    s.blocks.push_back(Paragraph{plain(std::string(cat.raw("app.inventory_none"))), "note"});
  } else {
    Table t;
    t.style = "inventory";
    t.header = {"#",
                std::string(cat.raw("col.source")),
                std::string(cat.raw("col.kind")),
                std::string(cat.raw("col.size")),
                "SHA-256",
                std::string(cat.raw("col.hash_check"))};
    std::vector<const ManifestEntry*> sorted;
    for (const auto& m : in.manifest) sorted.push_back(&m);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](auto* x, auto* y) { return x->source < y->source; });
    // A bundle padded with 70,000 junk files (issue #22) must not make a 70 MB notice: the
    // inventory lists the first files, manifest.jsonl has them all.
    constexpr std::size_t kInventoryRows = 2000;
    const std::size_t more = sorted.size() > kInventoryRows ? sorted.size() - kInventoryRows : 0;
    sorted.resize(sorted.size() - more);
    int n = 0;
    for (const auto* m : sorted) {
      Span check;
      check.badge = !m->hash_match ? "na" : *m->hash_match ? "ok" : "ng";
      check.text = std::string(cat.raw(!m->hash_match   ? "app.hash_na"
                                       : *m->hash_match ? "app.hash_ok"
                                                        : "app.hash_ng"));
      t.rows.push_back({plain(std::to_string(++n)), code(m->source), plain(kind_label(m->kind)),
                        plain(grouped(m->size)), code(m->sha256.empty() ? "-" : m->sha256),
                        Rich{check}});
    }
    s.blocks.push_back(std::move(t));
    if (more > 0)
      s.blocks.push_back(
          Paragraph{plain(cat("app.inventory_more", {{"count", grouped(more)}})), "note"});
  }
  return s;
}

Section Composer::glossary() const {
  Section s{"glossary", std::string(cat.raw("app.glossary")), {}, false};
  std::set<std::pair<std::string, std::int64_t>> ids;
  for (const auto& f : in.findings)
    for (const auto& e : f.evidence)
      if (e.event_id) ids.insert({family_of(e.source), *e.event_id});
  for (const auto& k : in.key_events)
    if (k.event_id) ids.insert({family_of(k.channel.empty() ? k.source : k.channel), *k.event_id});
  Table g;
  g.header = {std::string(cat.raw("col.log")), std::string(cat.raw("col.event_id")),
              std::string(cat.raw("col.meaning"))};
  for (const auto& [fam, id] : ids) {
    std::string key = "eid." + fam + "." + std::to_string(id);
    if (fam.empty() || !cat.has(key)) continue;
    g.rows.push_back({plain(std::string(cat.raw("log." + fam))), plain(std::to_string(id)),
                      plain(std::string(cat.raw(key)))});
  }
  if (g.rows.empty()) {
    s.blocks.push_back(Paragraph{plain(std::string(cat.raw("app.glossary_none"))), "note"});
  } else {
    s.blocks.push_back(std::move(g));
  }
  return s;
}

Section Composer::rule_hits() const {
  Section s{"rule-hits", std::string(cat.raw("app.rule_hits")), {}, false};
  if (a.rule_hits.empty()) {
    s.blocks.push_back(Paragraph{plain(std::string(cat.raw("app.rule_hits_none"))), "note"});
  } else {
    Table r;
    r.style = "compact";
    r.header = {std::string(cat.raw("col.rule_id")),     std::string(cat.raw("col.rule_name")),
                std::string(cat.raw("col.rule_source")), std::string(cat.raw("col.severity")),
                std::string(cat.raw("col.hits")),        "ATT&CK"};
    for (const auto& h : a.rule_hits) {
      std::string att;
      for (const auto& x : h.attack) att += (att.empty() ? "" : ", ") + x;
      r.rows.push_back({code(h.id), plain(shown(h.name, 200)),
                        plain(h.source.empty() ? "-" : h.source), Rich{severity_badge(h.severity)},
                        plain(std::to_string(h.count)), plain(att.empty() ? "-" : att)});
    }
    s.blocks.push_back(std::move(r));
  }
  return s;
}

}  // namespace kk::notice
