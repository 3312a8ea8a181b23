// Streaming JSON Lines reader on simdjson.
//
// Reads a file or standard input ("-") in blocks; each line is parsed on its
// own, so records of any size work and memory stays bounded by the longest line.
// A line that lies whole inside the block is parsed in place (the block keeps
// simdjson's padding behind its end); only a line that spans two blocks is copied.
// open_mapped() reads a mapped file instead: every line is parsed where it lies (but the
// last few, too near the end for simdjson's padding), and stays there for the caller
// (stable_line) as long as the mapping lives.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/mapped_file.hpp"

namespace kk {

class JsonlReader {
 public:
  JsonlReader() = default;
  JsonlReader(const JsonlReader&) = delete;
  JsonlReader& operator=(const JsonlReader&) = delete;
  ~JsonlReader();

  // PATH "-" means standard input. On failure returns false with *error set.
  bool open(const std::string& path, std::string* error);
  // Reads FILE's bytes, which must outlive this reader; PATH() is the file's.
  void open_mapped(const MappedFile& file);
  // The same as open(), for a reader that reads once from start to end: a regular file is
  // read through a mapping of the reader's own instead of copied block by block (the copy
  // was a twentieth of detect's time on a 1 GB input), and what lies behind the line being
  // read is given back every 32 MiB, so memory stays flat. stable_line() stays empty.
  bool open_sequential(const std::string& path, std::string* error);

  // A stage tool given an .evtx or random bytes says so once instead of warning on every
  // "line": with this set, an input whose first block holds a NUL byte or whose first
  // non-blank line is not a JSON object ends at once (next() returns false) and
  // not_json_lines() is true. Report it with not_json_lines_message().
  void stop_if_not_json_lines() { check_format_ = true; }
  bool not_json_lines() const { return not_jsonl_; }
  // Lines that parsed as JSON so far.
  std::uint64_t records() const { return records_; }

  // A line longer than this is not read whole nor parsed: next() tells it as an error (and
  // next_unparsed() as line_too_long()), and line() is empty. Evidence is hostile input: one
  // 10 GB "line" would be copied whole, and simdjson needs several times a text's size to
  // parse it. The longest lines the parsers write are a few hundred KiB.
  static constexpr std::size_t kMaxLineBytes = std::size_t{64} << 20;
  void limit_line_bytes(std::size_t n) { max_line_ = n; }  // another limit, for tests

  // Next non-empty line parsed into *doc (valid until the next call). Returns
  // false at end of input. A line that is not valid JSON (or too long) sets *error and
  // returns true with *doc untouched; check error->empty().
  bool next(simdjson::dom::element* doc, std::string* error);
  // The same without parsing: the next non-empty line's text in line(), for a caller that
  // parses it elsewhere (detect --jobs, on its matching threads). Only the first line is
  // parsed, when the format is checked; records() counts none. Check line_too_long().
  bool next_unparsed();
  // The current line is longer than the limit: skipped unread (too_long_message() says so).
  bool line_too_long() const { return too_long_; }
  std::string too_long_message() const;

  // The raw text of the current line and its 1-based number.
  std::string_view line() const { return view_; }
  // The current line with its '\n', where it lies in the mapped file (valid as long as the
  // mapping); empty when the input is a stream or the line is the last, with no '\n'.
  std::string_view stable_line() const { return stable_; }
  std::uint64_t line_number() const { return line_no_; }
  // The byte offset of the current line's first byte in the input, as a diagnostic gives it:
  // the lines before it counted whole, line ends and blank lines with them.
  std::uint64_t line_offset() const { return line_offset_; }
  const std::string& path() const { return path_; }

 private:
  bool read_line();
  bool read_mapped_line();
  bool next_nonblank();  // the next line that is not blank, its line end trimmed, in view_
  bool first_line_is_record(const simdjson::simdjson_result<simdjson::dom::element>& res);
  bool first_line_is(bool record);
  void append_capped(const char* data, std::size_t size);
  bool binary_start(const char* data, std::size_t size);
  std::FILE* f_ = nullptr;
  bool owns_ = false;
  std::string path_;
  std::unique_ptr<char[]> buf_;  // kBlock bytes + simdjson padding
  std::size_t size_ = 0, pos_ = 0;
  bool eof_ = false;
  std::string line_;       // a line that spans blocks, with padding capacity
  std::string_view view_;  // the current line (in buf_, line_ or the mapping)
  const char* map_ = nullptr;  // open_mapped's bytes (size_ of them), or null
  std::unique_ptr<MappedFile> own_map_;  // open_sequential's mapping
  std::size_t released_ = 0;             // own_map_'s bytes before this are given back
  std::string_view stable_;
  std::uint64_t line_no_ = 0;
  std::uint64_t block_start_ = 0;  // the input offset of buf_'s first byte
  std::uint64_t line_offset_ = 0;
  std::size_t max_line_ = kMaxLineBytes;
  bool too_long_ = false;  // the current line; line_ holds none of it
  std::uint64_t records_ = 0;
  bool check_format_ = false, not_jsonl_ = false, first_block_checked_ = false;
  bool format_checked_ = false;  // the first line that is not blank was checked
  simdjson::dom::parser parser_;
};

// "invalid JSON: …": what JsonlReader::next() tells of a line simdjson could not parse.
std::string invalid_json_message(simdjson::error_code error);

// "not JSON Lines — run parse-evtx on it first": what to tell a user who gave a stage tool
// PATH, an evidence file instead of a parser's records (the parser guessed from the name).
std::string not_json_lines_message(std::string_view path);

// What a stage tool's inputs held. Named files with no record at all mean a step before
// failed (an emptied redirect, a parser given nothing): report_if_empty() says so, one line
// per empty file, as unreadable, and returns true: the tool exits 1 without writing a result.
// Empty standard input is only a warning (a pipe whose upstream found nothing).
class JsonlInputTally {
 public:
  void add(const JsonlReader& r);
  // The same for a reader whose lines were parsed elsewhere (next_unparsed): RECORDS of them
  // were JSON.
  void add(const JsonlReader& r, std::uint64_t records);
  bool report_if_empty(Diagnostics& diag) const;
  std::uint64_t records() const { return records_; }

 private:
  std::uint64_t records_ = 0;
  std::vector<std::string> empty_;
};

// Convenience accessors over simdjson DOM elements; missing or mistyped fields
// yield the fallback.
std::string_view json_str(simdjson::dom::element e, std::string_view key,
                          std::string_view fallback = {});
std::int64_t json_int(simdjson::dom::element e, std::string_view key, std::int64_t fallback = 0);
bool json_bool(simdjson::dom::element e, std::string_view key, bool fallback = false);

}  // namespace kk
