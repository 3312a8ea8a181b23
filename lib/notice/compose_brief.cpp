// The 速報 (quick first report): one A4 page the customer can act on before the full
// notice — the detection, the verdicts so far, what to do now, what is still being
// examined and when the notice follows.
#include "notice/compose.hpp"

namespace kk::notice {

namespace {
constexpr std::size_t kBriefActions = 4;
constexpr std::size_t kBriefTargets = 4;  // destinations named in the brief's blocking action
}  // namespace

Section Composer::brief(const std::vector<QuestionView>& qs) const {
  Section s{"brief", std::string(cat.raw("brief.heading")), {}, false};
  Table t;
  t.style = "kv";
  auto kv = [&](std::string_view key, std::string value) {
    t.rows.push_back({plain(std::string(cat.raw(key))), plain(std::move(value))});
  };
  kv("cover.host", a.host.empty() ? std::string(cat.raw("value.unknown")) : a.host);
  std::string_view product = c.get("detection.product"), threat = c.get("detection.threat_name");
  kv("brief.detection",
     cat("brief.detection_value",
         {{"time", local(c.detected_at)},
          {"product", product.empty() ? cat.raw("sum.product_unknown") : product},
          {"threat", threat.empty() ? cat.raw("sum.threat_unknown") : threat}}));
  std::string files;
  for (const auto& f : c.list("detection.suspect_files")) files += (files.empty() ? "" : ", ") + f;
  kv("brief.suspect", files.empty() ? std::string(cat.raw("value.unanswered")) : files);
  kv("brief.as_of", cat("brief.as_of_value", {{"date", date(c.completion)},
                                              {"analyst", answer_or_unanswered("analyst")}}));
  s.blocks.push_back(std::move(t));

  std::string verdict_key = a.judgement == Judgement::kCompromised  ? "sum.verdict.compromised"
                            : a.judgement == Judgement::kSuspicious ? "sum.verdict.suspicious"
                                                                    : "sum.verdict.none";
  std::string style = a.judgement == Judgement::kCompromised  ? "verdict-compromised"
                      : a.judgement == Judgement::kSuspicious ? "verdict-suspicious"
                                                              : "verdict-none";
  s.blocks.push_back(Paragraph{Rich{Span{std::string(cat.raw("brief.so_far")), "", false, true},
                                    Span{" " + std::string(cat.raw(verdict_key))}},
                               style, "verdict"});
  s.blocks.push_back(verdict_table(qs, false, true));

  s.blocks.push_back(Heading{std::string(cat.raw("brief.do_now")), "do-now"});
  List now;
  now.ordered = true;
  for (std::size_t i = 0; i < a.immediate.size() && i < kBriefActions; ++i) {
    // The brief goes out before the notice: the destinations to block are named here, not
    // left in a chapter the customer does not have yet.
    const bool block = a.immediate[i].key == "rec.block_iocs";
    std::string targets = block ? block_targets(kBriefTargets) : std::string();
    now.items.push_back(plain(targets.empty() ? statement(a.immediate[i])
                                              : cat("brief.block_iocs", {{"targets", targets}})));
  }
  s.blocks.push_back(std::move(now));

  s.blocks.push_back(Heading{std::string(cat.raw("brief.ongoing")), "ongoing"});
  List ongoing;
  std::string found;
  for (const auto& q : qs)
    if (q.verdict == "found") found += cat("brief.quoted", {{"question", cat.raw("q." + q.id)}});
  if (!found.empty())
    ongoing.items.push_back(plain(cat("brief.ongoing_found", {{"questions", found}})));
  // (The questions that cannot be told say so in the table, with the ask for more data:
  // the page stays one page.)
  ongoing.items.push_back(plain(std::string(cat.raw("brief.ongoing_always"))));
  s.blocks.push_back(std::move(ongoing));

  s.blocks.push_back(Paragraph{plain(cat("brief.next", {{"date", date(c.completion)}})), "lead"});
  s.blocks.push_back(Paragraph{plain(std::string(cat.raw("brief.caveat"))), "note"});
  return s;
}

}  // namespace kk::notice
