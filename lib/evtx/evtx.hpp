// kakekomi EVTX reader: public interface.
//
// Parses Windows XML Event Log (.evtx) files into the parse-evtx JSON Lines
// records of ../shared/CONTRACT.md, chunk by chunk over a read-only memory
// mapping, in parallel but in file order, with bounded memory. Damage is
// reported through Diagnostics (file + offset) and never stops a file.
//
// In-process use (e.g. the triage tool):
//   kk::evtx::Options opt;  opt.jobs = 4;
//   auto st = kk::evtx::parse_file("Evtx/Security.evtx", opt, diag,
//       [&](std::string_view lines) { out.write(lines); });
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"

namespace kk::evtx {

// Record filters, applied before a record's EventData is rendered.
struct Filter {
  std::vector<std::uint32_t> event_ids;  // keep only these System/EventID values (empty: all)
  std::vector<std::string> channels;     // keep only these channels, case-insensitive (empty: all)
  std::optional<std::int64_t> since;     // UtcMicros, inclusive, on System/TimeCreated
  std::optional<std::int64_t> until;     // UtcMicros, inclusive
  bool empty() const { return event_ids.empty() && channels.empty() && !since && !until; }
};

enum class Format { kJsonl, kCsv };

struct Options {
  bool xml = false;      // add "xml": the record rendered as Windows renders it
  bool recover = false;  // also carve records from chunk slack and unused / damaged chunks
  Format format = Format::kJsonl;
  Filter filter;
  unsigned jobs = 1;      // worker threads (chunks of one file and across files)
  bool progress = false;  // kk::Progress on stderr (only shown on a terminal)
};

struct Input {
  std::string path;    // file to read
  std::string source;  // value of the "source" field; empty: PATH as given
};

struct Stats {
  std::uint64_t files = 0, unreadable_files = 0;
  std::uint64_t chunks = 0, bad_chunks = 0;  // chunks parsed; chunks with damage skipped
  std::uint64_t records = 0;                 // records written (live + recovered)
  std::uint64_t recovered = 0;               // of which carved with --recover
  std::uint64_t filtered = 0;                // records dropped by the filters
  std::uint64_t damaged = 0;                 // records that could not be parsed (reported)
  std::uint64_t bytes = 0;                   // input bytes
};

// Receives output: one or more complete lines (JSONL, or CSV rows), in input order, one
// call at a time but not always on the calling thread (on whichever worker has the next
// chunk in line ready; diagnostics likewise).
using LinesSink = std::function<void(std::string_view lines)>;

// Parses INPUTS in order. Unreadable inputs are reported with diag.unreadable()
// and skipped. With Format::kCsv the header row is delivered first.
Stats parse_files(const std::vector<Input>& inputs, const Options& opt, Diagnostics& diag,
                  const LinesSink& sink);

inline Stats parse_file(const std::string& path, const Options& opt, Diagnostics& diag,
                        const LinesSink& sink, std::string source = {}) {
  return parse_files({Input{path, std::move(source)}}, opt, diag, sink);
}

// The CSV header row (with newline) for OPT.
std::string csv_header(const Options& opt);

}  // namespace kk::evtx
