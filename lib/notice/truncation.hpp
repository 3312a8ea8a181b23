// A truncated upload (issue #20): the archive ends early, so what is absent from the bundle
// may have been lost on the way rather than never collected. The notice says what happened —
// which files arrived, which arrived only in part, which the collector log lists but never
// arrived — and no verdict rests on the absence of records that may sit in the lost part.
#pragma once

#include <vector>

#include "notice/analysis.hpp"
#include "notice/catalog.hpp"
#include "notice/inputs.hpp"
#include "notice/model.hpp"

namespace kk::notice {

inline bool archive_truncated(const NoticeInputs& in) {
  return !in.summary.archive_truncated.empty();
}

// The limitations and the confidence reason of a truncated archive (in place of "not
// collected, perhaps switched off" and "missing from the bundle").
void add_truncation_limitations(const NoticeInputs& in, Analysis& a);

// "Nothing found" becomes "cannot tell" when the archive was cut: the records that would
// have answered may be in the part that never arrived. Found verdicts stand (what arrived
// proves what it shows).
void apply_truncation(const NoticeInputs& in, Lang lang, std::vector<QuestionModel>& questions);

}  // namespace kk::notice
