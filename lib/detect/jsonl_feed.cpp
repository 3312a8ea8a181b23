#include "detect/jsonl_feed.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/diagnostics.hpp"
#include "core/progress.hpp"
#include "detect/detect.hpp"
#include "detect/line_batch.hpp"

namespace kk::detect {
namespace {

// A batch is a few milliseconds of matching: small enough to keep both threads busy to the
// end, large enough that handing it over costs nothing.
constexpr std::size_t kBatchLines = 2048, kBatchBytes = 1 << 20, kBatchesPerJob = 4;

// Where a line is: its byte offset and its number.
struct LineAt {
  std::uint64_t offset = 0, number = 0;
};

void warn_not_json(Diagnostics& diag, const std::string& in, LineAt at, const std::string& error) {
  diag.warning(in, at.offset,
               "line " + std::to_string(at.number) + " is not JSON (" + error + "), skipped");
}

// One input's lines, as NEXT() moves READER on (next() or next_unparsed()), in order, each
// at its place; PROGRESS advanced by its bytes.
template <typename Next, typename Fn>
void each_line(JsonlReader& reader, Next&& next, Progress* progress, Fn&& fn) {
  std::uint64_t told = 0;  // bytes told to PROGRESS: up to the end of the line before
  while (next()) {
    const std::uint64_t end = reader.line_offset() + reader.line().size() + 1;
    fn(LineAt{reader.line_offset(), reader.line_number()});
    if (progress) progress->advance(end - told);
    told = end;
  }
}

// --jobs: the lines are gathered in batches, a few per job, and matched on the threads when
// they are full or the input ends; a line that is not JSON is told from there, in order.
// (Each line was once parsed on the reading thread only to check it, and again on its
// thread: a twentieth of the CPU of two jobs.)
class Batches {
 public:
  Batches(Detector& det, unsigned jobs, Diagnostics& diag)
      : det_(det),
        jobs_(jobs),
        diag_(diag),
        batches_(jobs * kBatchesPerJob),
        where_(batches_.size()) {}

  // Adds one line; matches the batches when they are all full. Returns the lines of IN that
  // turned out not to be JSON so far.
  std::uint64_t add(const std::string& in, std::string_view line, LineAt at) {
    batches_[filling_].add(line);
    where_[filling_].push_back(at);
    if (batches_[filling_].lines() >= kBatchLines || batches_[filling_].bytes() >= kBatchBytes)
      if (++filling_ == batches_.size()) return flush(in);
    return 0;
  }
  // Matches what is gathered (of input IN); returns how many lines were not JSON.
  std::uint64_t flush(const std::string& in) {
    std::uint64_t invalid = 0;
    std::size_t n = filling_ + (filling_ < batches_.size() && batches_[filling_].lines() > 0);
    if (n == 0) return 0;
    det_.add_batches(std::span(batches_.data(), n), jobs_,
                     [&](std::size_t batch, std::size_t line, const std::string& error) {
                       warn_not_json(diag_, in, where_[batch][line], error);
                       ++invalid;
                     });
    for (std::size_t i = 0; i < n; ++i) batches_[i].clear(), where_[i].clear();
    filling_ = 0;
    return invalid;
  }

 private:
  Detector& det_;
  unsigned jobs_;
  Diagnostics& diag_;
  std::vector<LineBatch> batches_;
  std::vector<std::vector<LineAt>> where_;  // each batched line's place
  std::size_t filling_ = 0;
};

}  // namespace

JsonlInputTally feed_jsonl(Detector& det, const std::vector<std::string>& inputs, unsigned jobs,
                           Diagnostics& diag, Progress* progress) {
  JsonlInputTally tally;
  std::optional<Batches> batches;
  if (jobs > 1) batches.emplace(det, jobs, diag);
  for (const auto& in : inputs) {
    JsonlReader reader;
    std::string err;
    if (!reader.open_sequential(in, &err)) {
      diag.unreadable(in, err);
      continue;
    }
    reader.stop_if_not_json_lines();
    if (!batches) {
      simdjson::dom::element doc;
      auto next = [&] { return reader.next(&doc, &err); };
      each_line(reader, next, progress, [&](LineAt at) {
        if (!err.empty())
          warn_not_json(diag, in, at, err);
        else
          det.add(doc);
      });
      tally.add(reader);
    } else {
      std::uint64_t lines = 0, invalid = 0;
      auto next = [&] { return reader.next_unparsed(); };
      each_line(reader, next, progress, [&](LineAt at) {
        ++lines;
        if (reader.line_too_long()) {  // told after the bad lines before it, in order
          invalid += batches->flush(in) + 1;
          warn_not_json(diag, in, at, reader.too_long_message());
          return;
        }
        invalid += batches->add(in, reader.line(), at);
      });
      invalid += batches->flush(in);
      tally.add(reader, lines - invalid);
    }
    if (reader.not_json_lines()) diag.unreadable(in, not_json_lines_message(in));
  }
  return tally;
}

}  // namespace kk::detect
