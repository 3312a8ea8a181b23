// Streaming JSON Lines reader on simdjson.
//
// Reads a file or standard input ("-") in blocks; each line is parsed on its
// own, so records of any size work and memory stays bounded by the longest line.
// A line that lies whole inside the block is parsed in place (the block keeps
// simdjson's padding behind its end); only a line that spans two blocks is copied.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace kk {

class JsonlReader {
 public:
  JsonlReader() = default;
  JsonlReader(const JsonlReader&) = delete;
  JsonlReader& operator=(const JsonlReader&) = delete;
  ~JsonlReader();

  // PATH "-" means standard input. On failure returns false with *error set.
  bool open(const std::string& path, std::string* error);

  // Next non-empty line parsed into *doc (valid until the next call). Returns
  // false at end of input. A line that is not valid JSON sets *error and
  // returns true with *doc untouched; check error->empty().
  bool next(simdjson::dom::element* doc, std::string* error);

  // The raw text of the current line and its 1-based number.
  std::string_view line() const { return view_; }
  std::uint64_t line_number() const { return line_no_; }
  const std::string& path() const { return path_; }

 private:
  bool read_line();
  std::FILE* f_ = nullptr;
  bool owns_ = false;
  std::string path_;
  std::unique_ptr<char[]> buf_;  // kBlock bytes + simdjson padding
  std::size_t size_ = 0, pos_ = 0;
  bool eof_ = false;
  std::string line_;       // a line that spans blocks, with padding capacity
  std::string_view view_;  // the current line (in buf_ or line_)
  std::uint64_t line_no_ = 0;
  simdjson::dom::parser parser_;
};

// Convenience accessors over simdjson DOM elements; missing or mistyped fields
// yield the fallback.
std::string_view json_str(simdjson::dom::element e, std::string_view key,
                          std::string_view fallback = {});
std::int64_t json_int(simdjson::dom::element e, std::string_view key, std::int64_t fallback = 0);
bool json_bool(simdjson::dom::element e, std::string_view key, bool fallback = false);

}  // namespace kk
