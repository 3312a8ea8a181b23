// build_model: the window, the verdict per question, the overall judgement, the IOCs and
// the counts, from the records of one case (docs/verdicts.md).
#include "notice/model.hpp"

#include <algorithm>

#include "core/ascii_case.hpp"
#include "notice/truncation.hpp"
#include "notice/verdicts.hpp"

namespace kk::notice {

namespace {

using K = ObservationKind;

// The suspects: the case's list; without one, the files the antivirus detected in the window.
std::vector<std::string> suspects_of(const CaseFile& c, const NoticeInputs& in, const Window& w) {
  std::vector<std::string> s = c.list("detection.suspect_files");
  s.erase(std::remove_if(s.begin(), s.end(), [](const std::string& x) { return x.empty(); }),
          s.end());
  if (!s.empty()) return s;
  for (const auto& o : in.observations.of(K::kAvDetection)) {
    if (o.time < w.start || o.time > w.end) continue;
    std::string p = clean_detection_path(o.path);
    if (!p.empty() && std::find(s.begin(), s.end(), p) == s.end()) s.push_back(p);
  }
  return s;
}

std::string overall_of(const std::vector<QuestionModel>& qs) {
  auto v = [&](std::string_view id) {
    for (const auto& q : qs)
      if (q.id == id) return q.verdict;
    return Verdict::kCannotTell;
  };
  for (auto id :
       {"suspect_file_executed", "intrusion", "persistence", "post_infection", "tampering"})
    if (v(id) == Verdict::kFound) return "compromised_likely";
  for (auto id : {"suspect_file_created", "file_changes", "other_launches"})
    if (v(id) == Verdict::kFound) return "suspicious";
  if (v("suspect_file_executed") == Verdict::kCannotTell) return "cannot_tell";
  return "no_trace_found";
}

// The older renderer reads Analysis: keep its flags, IOCs and counts equal to the model's.
void align_analysis(NoticeModel& m) {
  Analysis& a = m.analysis;
  auto found = [&](std::string_view id) { return m.question(id).verdict == Verdict::kFound; };
  a.execution = found("suspect_file_executed");
  a.tampering = found("tampering");
  a.post_infection = found("post_infection");
  a.persistence = found("persistence");
  a.remote_access = found("intrusion");
  a.judgement = m.overall == "compromised_likely" ? Judgement::kCompromised
                : m.overall == "suspicious"       ? Judgement::kSuspicious
                                                  : Judgement::kNoEvidence;
  Iocs iocs;
  for (const auto& i : m.iocs) {
    if (i.type == "file_name")
      iocs.files.push_back(i.value);
    else if (i.type == "file_path")
      iocs.paths.push_back(i.value);
    else if (i.type == "sha256" || i.type == "sha1" || i.type == "md5")
      iocs.hashes.push_back(i.value);
    else if (i.type == "ip" && i.scope != "internal")  // shared ones are defanged too
      iocs.ips.push_back(i.value);
    else if (i.type == "url" || i.type == "domain")
      iocs.domains.push_back(i.value);
    else if (i.type == "service")
      iocs.services.push_back(i.value);
    else if (i.type == "task")
      iocs.tasks.push_back(i.value);
    else if (i.type == "account")
      iocs.accounts.push_back(i.value);
  }
  // The accounts to reset: the attacker's (the IOCs) and the default ones the findings
  // show misused (Administrator), never a group or a service principal (one list:
  // is_builtin_account).
  std::vector<std::string> reset;
  for (const auto* list : {&iocs.accounts, &a.iocs.accounts})
    for (const auto& acct : *list) {
      if (is_builtin_account(acct)) continue;
      auto same = std::find_if(reset.begin(), reset.end(),
                               [&](const std::string& r) { return same_account(r, acct); });
      if (same == reset.end())
        reset.push_back(acct);
      else if (acct.find('\\') != std::string::npos)
        *same = acct;  // the qualified name
    }
  a.iocs = std::move(iocs);
  auto& now = a.immediate;
  auto at = std::find_if(now.begin(), now.end(),
                         [](const Statement& st) { return st.key == "rec.reset_accounts"; });
  std::string names;
  for (std::size_t i = 0; i < reset.size() && i < 8; ++i) names += (i ? ", " : "") + reset[i];
  if (reset.size() > 8) names += ", …";
  if (at != now.end() && reset.empty())
    now.erase(at);
  else if (at != now.end())
    at->args = {{"accounts", names}};
  else if (!reset.empty())
    now.insert(now.begin() + std::min<std::size_t>(1, now.size()),
               Statement{"rec.reset_accounts", {{"accounts", names}}, {}, {}, {}});
  // "Block these destinations" when the model lists one to block (the analysis saw only the
  // findings' addresses: a shared or internal one is not to block, and the records' own
  // URLs, domains and addresses count).
  const bool blockable = std::any_of(m.iocs.begin(), m.iocs.end(), [](const IocModel& i) {
    return i.type == "domain" || i.type == "url" || (i.type == "ip" && i.scope.empty());
  });
  auto block = std::find_if(now.begin(), now.end(),
                            [](const Statement& st) { return st.key == "rec.block_iocs"; });
  if (block != now.end() && !blockable) {
    now.erase(block);
  } else if (block == now.end() && blockable) {
    auto after = std::find_if(now.begin(), now.end(),
                              [](const Statement& st) { return st.key == "rec.reset_accounts"; });
    auto where =
        after != now.end() ? after + 1 : now.begin() + std::min<std::size_t>(1, now.size());
    now.insert(where, Statement{"rec.block_iocs", {}, {}, {}, {}});
  }
  a.events_in_window = m.counts["window_events"];
  a.events_before = m.counts["before_window_events"];
  a.events_after = m.counts["after_window_events"];
}

}  // namespace

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kFound:
      return "found";
    case Verdict::kNotFound:
      return "not_found";
    case Verdict::kCannotTell:
      return "cannot_tell";
  }
  return "cannot_tell";
}

const QuestionModel& NoticeModel::question(std::string_view id) const {
  for (const auto& q : questions)
    if (q.id == id) return q;
  static const QuestionModel none{};
  return none;
}

NoticeModel build_model(const CaseFile& c, const NoticeInputs& in, const ModelOptions& opt) {
  NoticeModel m;
  AnalysisOptions aopt;
  aopt.before = opt.before;
  aopt.max_timeline_rows = opt.max_timeline_rows;
  m.analysis = analyse(c, in, aopt);
  Window& w = m.analysis.window;
  // One window: the bounds the timeline was cut with, when the caller cut it.
  if (in.window_cut) {
    if (in.window_cut->from) w.start = *in.window_cut->from;
    if (in.window_cut->to && *in.window_cut->to <= w.anchor + kMaxCollectionDelay) {
      w.end = *in.window_cut->to;
      w.end_basis = "collection_end";
    }
  }
  m.window = w;
  m.case_id = std::string(c.get("case_id"));
  m.host = m.analysis.host;
  m.lang = std::string(lang_code(opt.lang));
  m.suspects = suspects_of(c, in, w);

  SuspectMatch suspect(m.suspects);
  // Hashes of the suspect file itself link records that name it differently.
  for (auto kind : {K::kFileWrite, K::kProcessStart, K::kProgramTrace})
    for (const auto& o : in.observations.of(kind))
      if (o.time >= w.start && o.time <= w.end && suspect.is_file(o)) suspect.learn_hashes(o);
  JudgeContext x{c, in, in.observations, w, suspect, opt};
  for (auto kind : {K::kProcessStart, K::kAvDetection})
    for (const auto& o : in.observations.of(kind))
      if (x.in_window(o.time) && (suspect.is_file(o) || suspect.named_by(o)) &&
          (!x.suspect_present || o.time < *x.suspect_present))
        x.suspect_present = o.time;
  m.questions = {judge_suspect_created(x), judge_suspect_executed(x), QuestionModel{},
                 judge_other_launches(x),  judge_intrusion(x),        judge_persistence(x),
                 judge_post_infection(x),  judge_tampering(x)};
  // Files written by the processes the other answers cite (the attacker's programs): the
  // process starts an answer cites, found by time (a large bundle has thousands of both).
  const std::vector<Observation>& starts = in.observations.of(K::kProcessStart);
  std::vector<std::size_t> by_time(starts.size());
  for (std::size_t i = 0; i < by_time.size(); ++i) by_time[i] = i;
  std::stable_sort(by_time.begin(), by_time.end(),
                   [&](std::size_t a, std::size_t b) { return starts[a].time < starts[b].time; });
  std::vector<std::string> actors;
  for (const auto& q : m.questions)
    if (q.verdict == Verdict::kFound && q.id != "suspect_file_created")
      for (const auto& e : q.evidence) {
        if (!e.finding_id.empty() || !e.time) continue;
        auto at = std::lower_bound(by_time.begin(), by_time.end(), *e.time,
                                   [&](std::size_t i, UtcMicros t) { return starts[i].time < t; });
        for (; at != by_time.end() && starts[*at].time == *e.time; ++at) {
          const Observation& o = starts[*at];
          if (e.source == o.source && e.record_id == o.record_id && !o.process.empty() &&
              !is_stock_windows_binary(o.process))
            actors.push_back(o.process);
        }
      }
  m.questions[2] = judge_file_changes(x, actors, m.questions[5].verdict == Verdict::kFound);
  m.iocs = derive_iocs(x, m.questions);
  for (auto& q : m.questions) finish_evidence(q, opt.max_evidence);
  apply_truncation(in, opt.lang, m.questions);
  m.overall = overall_of(m.questions);

  // Counts: the window's from the cut when there is one (window-stats.json), else counted.
  if (in.window_cut) {
    m.counts["window_events"] = in.window_cut->kept;
    m.counts["before_window_events"] = in.window_cut->before;
    m.counts["after_window_events"] = in.window_cut->after;
    for (const auto& [a, n] : in.window_cut->per_artifact) m.counts["window_events." + a] = n;
  } else {
    std::int64_t kept = 0, before = 0, after = 0;
    for (const auto& [t, idx] : in.event_times) {
      if (t < w.start)
        ++before;
      else if (t > w.end)
        ++after;
      else {
        ++kept;
        ++m.counts["window_events." + in.artifacts[idx]];
      }
    }
    m.counts["window_events"] = kept;
    m.counts["before_window_events"] = before;
    m.counts["after_window_events"] = after;
  }
  m.counts["findings"] = static_cast<std::int64_t>(in.findings.size());
  m.counts["findings_in_window"] = static_cast<std::int64_t>(x.findings().size());
  m.counts["iocs"] = static_cast<std::int64_t>(m.iocs.size());
  m.counts["observations_dropped"] = in.observations.dropped();
  std::int64_t out_of_range = 0;
  for (const auto& [key, r] : in.out_of_range) {
    TimeAnomaly t;
    t.artifact = std::get<0>(key);
    t.source = std::get<1>(key);
    t.reason = std::get<2>(key);
    t.count = r.count;
    t.earliest = r.earliest;
    t.latest = r.latest;
    out_of_range += r.count;
    m.time_anomalies.push_back(std::move(t));
  }
  m.counts["out_of_range_events"] = out_of_range;

  // The rule sets actually used, and what each produced.
  std::map<std::string, std::int64_t> findings_by_set;
  for (const auto& f : in.findings)
    ++findings_by_set[f.rule_source.empty() ? std::string("builtin") : f.rule_source];
  for (const auto& [name, n] : in.rules_loaded)
    m.rule_sets.push_back({name, n, findings_by_set[name]});
  if (in.rules_loaded.empty())
    for (const auto& [name, n] : findings_by_set) m.rule_sets.push_back({name, 0, n});
  align_analysis(m);
  return m;
}

}  // namespace kk::notice
