// detect's input: JSON Lines files read into a Detector, each record parsed and matched in
// turn with one job, or gathered into batches matched on JOBS threads. Here rather than in
// the tool, so that what is told of a run's inputs (unreadable ones, bad lines with their
// offsets, a file that is not JSON Lines) and in which order is tested with the matching:
// the same with any number of jobs.
#pragma once

#include <string>
#include <vector>

#include "core/jsonl_reader.hpp"

namespace kk {
class Diagnostics;
class Progress;
}  // namespace kk

namespace kk::detect {

class Detector;

// Reads INPUTS ("-" is standard input) in order into DET, on JOBS threads when JOBS > 1.
// Into DIAG: an input that cannot be opened, or whose first line shows it is not JSON Lines
// (unreadable); a line that is not JSON (a warning at its byte offset, "line N is not JSON
// (…), skipped"). An input's lines are all matched before the next input is opened, so the
// reports come in input order whatever JOBS is. PROGRESS (may be null) advances by the bytes
// of each line. Returns the tally of records read, for JsonlInputTally::report_if_empty().
JsonlInputTally feed_jsonl(Detector& det, const std::vector<std::string>& inputs, unsigned jobs,
                           Diagnostics& diag, Progress* progress = nullptr);

}  // namespace kk::detect
