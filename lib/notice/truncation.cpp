#include "notice/truncation.hpp"

#include "notice/verdicts.hpp"

namespace kk::notice {

namespace {

constexpr std::size_t kNamesListed = 20;

std::string names_of(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < kNamesListed; ++i)
    s += (s.empty() ? "" : ", ") + v[i];
  if (v.size() > kNamesListed) s += ", …";
  return s;
}

}  // namespace

void add_truncation_limitations(const NoticeInputs& in, Analysis& a) {
  std::vector<std::string> arrived, partial;
  for (const auto& m : in.manifest) (m.complete ? arrived : partial).push_back(m.source);
  auto& L = a.limitations;
  L.push_back({"lim.archive_truncated",
               {{"count", std::to_string(arrived.size())}, {"names", names_of(arrived)}}});
  if (!partial.empty())
    L.push_back({"lim.archive_truncated_partial",
                 {{"count", std::to_string(partial.size())}, {"names", names_of(partial)}}});
  if (in.summary.hash_result == "no_log") {
    L.push_back({"lim.archive_truncated_no_log", {}});
  } else if (!in.summary.missing_from_bundle.empty()) {
    L.push_back({"lim.archive_truncated_never_arrived",
                 {{"count", std::to_string(in.summary.missing_from_bundle.size())},
                  {"names", names_of(in.summary.missing_from_bundle)}}});
  }
  Statement absent{"lim.archive_truncated_absent", {}, {}, {}, {}};
  for (const auto& k : in.summary.categories_absent)
    if (k != "memory" && k != "collector_log") absent.items.emplace_back("kind." + k, k);
  if (!absent.items.empty()) L.push_back(std::move(absent));
  a.confidence_reasons.push_back({"conf.archive_truncated", {}});
}

void apply_truncation(const NoticeInputs& in, Lang lang, std::vector<QuestionModel>& questions) {
  if (!archive_truncated(in)) return;
  auto labels = [&](const std::vector<std::string>& data) {
    std::string t;
    for (const auto& d : data)
      t += (t.empty() ? "" : lang == Lang::kJa ? "、" : ", ") + data_label(lang, d);
    return t;
  };
  for (auto& q : questions) {
    if (q.verdict == Verdict::kFound) continue;
    // A question that lacks the suspect's name is not answered by more data either.
    if (q.verdict == Verdict::kCannotTell && q.missing.size() == 1 &&
        q.missing[0] == "suspect_file")
      continue;
    const bool searched = q.verdict == Verdict::kNotFound;
    q.verdict = Verdict::kCannotTell;
    if (lang == Lang::kJa)
      q.statement = searched ? labels(q.searched) +
                                   " を調べましたが、受領したアーカイブが途中で切れており、"
                                   "届かなかった部分に記録があった可能性があるため、"
                                   "判断できません。"
                             : "判断に必要なデータ（" + labels(q.missing) +
                                   "）は、受領したアーカイブが途中で切れていたため届いていない"
                                   "可能性があり、判断できません。";
    else
      q.statement = searched ? labels(q.searched) +
                                   " were searched, but the archive received ends early and the "
                                   "records may be in the part that never arrived, so this "
                                   "cannot be judged."
                             : "The data that would answer this (" + labels(q.missing) +
                                   ") may have been lost: the archive received ends early. "
                                   "This cannot be judged.";
    q.missing.push_back("archive_truncated");
  }
}

}  // namespace kk::notice
