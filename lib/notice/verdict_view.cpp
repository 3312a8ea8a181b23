// The verdict of each question as the notice states it, with the handful of records the
// body shows for it. The judgement is the model's (model.hpp, notice.json): this only
// picks what to print and words the short forms.
#include <algorithm>
#include <set>

#include "notice/compose.hpp"

namespace kk::notice {

namespace {
constexpr std::size_t kShownPerQuestion = 5;
}

bool is_network_ioc(std::string_view type) {
  return type == "ip" || type == "domain" || type == "url";
}

std::vector<QuestionView> Composer::questions() const {
  // The first records of LIST, each once (one record may be cited by two findings).
  auto shown = [&](const std::vector<EvidenceRef>& list) {
    std::vector<EvidenceView> views;
    std::set<std::string> seen;
    for (const auto& e : list) {
      if (views.size() >= kShownPerQuestion) break;
      std::optional<std::int64_t> located = e.offset ? e.offset : e.entry;
      if (!seen.insert(evidence_ref(e.source, e.record_id, located)).second) continue;
      EvidenceView v{e.time, e.artifact,  e.source, e.summary,  e.finding_id,
                     "",     e.record_id, located,  e.event_id, ""};
      for (const auto& f : in.findings)
        if (!e.finding_id.empty() && f.id == e.finding_id) {
          v.what = rule_title_of(f);
          v.severity = f.severity;
          break;
        }
      views.push_back(std::move(v));
    }
    return views;
  };
  std::vector<QuestionView> out;
  for (const auto& mq : model->questions) {
    QuestionView q;
    q.id = std::string(mq.id);
    q.verdict = std::string(verdict_name(mq.verdict));
    q.statement = mq.statement;
    q.evidence_total =
        std::max<std::int64_t>(mq.evidence_total, static_cast<std::int64_t>(mq.evidence.size()));
    q.findings = static_cast<std::int64_t>(mq.finding_ids.size());
    for (const auto& e : mq.evidence)
      if (e.time && (!q.first || *e.time < *q.first)) q.first = e.time;
    if (mq.verdict == Verdict::kFound)
      q.brief = cat("brief.found_short", {{"count", std::to_string(q.evidence_total)},
                                          {"time", q.first ? short_local(*q.first) : "-"}});
    else
      q.brief = cat.raw(mq.verdict == Verdict::kCannotTell ? "brief.cannot_tell_short"
                                                           : "brief.not_found_short");
    q.evidence = shown(mq.evidence);
    q.context = shown(mq.context);
    q.context_total =
        std::max<std::int64_t>(mq.context_total, static_cast<std::int64_t>(mq.context.size()));
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace kk::notice
