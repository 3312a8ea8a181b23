// One 64 KiB chunk: header checks, its live records, and (with --recover)
// records carved from its slack. Chunks are independent, so this runs on any
// worker thread; everything it finds goes into a ChunkOutput for in-order use.
#pragma once

#include <cstdint>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "evtx/binxml.hpp"
#include "evtx/render.hpp"
#include "evtx/text_buffer.hpp"

namespace kk::evtx {

struct ChunkNote {
  Severity severity = Severity::kWarning;
  std::uint64_t offset = 0;  // file offset
  std::string message;
};

struct CarvedRecord {
  std::uint64_t record_id = 0;
  std::uint64_t written_time = 0;  // record header FILETIME
  std::size_t begin = 0, end = 0;  // its line in ChunkOutput::text
};

struct ChunkOutput {
  TextBuffer text;           // live records' lines, then carved records' lines
  std::size_t live_end = 0;  // end of the live records' lines in text
  std::vector<CarvedRecord> carved;
  std::vector<ChunkNote> notes;
  std::uint64_t records = 0, filtered = 0, damaged = 0;
  bool parsed = false;  // a chunk with a valid header was read
  bool bad = false;     // the block holds data but no usable chunk
  void clear() {
    text.clear();
    live_end = 0;
    carved.clear();
    notes.clear();
    records = filtered = damaged = 0;
    parsed = bad = false;
  }
};

struct ChunkTask {
  std::span<const std::uint8_t> block;  // up to 64 KiB of the file
  std::uint64_t file_offset = 0;
  std::uint32_t index = 0;  // chunk number on disk
  bool check_crc = true;    // false for format 3.2 files flagged "no CRC32"
  bool recover = false;
  // Bytes of BLOCK actually read, from its start: the records end at the chunk's free
  // space offset and only those are read. BinXML is compiled over these bytes only, so a
  // reference beyond them fails and is reported; a chunk that reports anything is read
  // whole and parsed again (the caller's part), and the output is the same as from the
  // whole block.
  std::size_t loaded = SIZE_MAX;
};

void process_chunk(const ChunkTask& task, const RenderOptions& ropt, ChunkContext& ctx,
                   ChunkOutput& out);

// Live records of a file as runs of consecutive record ids with their write-time
// span: a carved record is a copy of a live one when its id falls in a run and its
// time in that run's span (ids restart after a log is cleared; times do not).
struct LiveRun {
  std::uint64_t first_id = 0, last_id = 0;
  std::uint64_t min_time = 0, max_time = 0;
};

// Appends the live records of BLOCK (a chunk) to RUNS.
void live_record_runs(std::span<const std::uint8_t> block, std::vector<LiveRun>& runs);

}  // namespace kk::evtx
