// Parses the JSON lines of an in-memory batch, for records handed over in-process
// (triage gives each parser's output to the timeline and the detector this way,
// without writing and reading a file). The batch is copied once into a padded
// buffer, then every line is parsed in place: nothing is allocated per line.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace kk {

// Calls FN(line) for every non-blank line of TEXT, without its line end ("\n" or "\r\n").
template <typename Fn>
void for_each_jsonl_line(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    fn(line);
  }
}

class JsonlBatch {
 public:
  // Calls FN(line, element, ok) for every non-blank line of LINES in order; LINE
  // excludes the line end, and OK is false (ELEMENT unusable) when the line is not
  // valid JSON. The element is valid during the call only.
  template <typename Fn>
  void for_each(std::string_view lines, Fn&& fn) {
    buf_.assign(lines);
    buf_.reserve(buf_.size() + simdjson::SIMDJSON_PADDING);
    for_each_jsonl_line(buf_, [&](std::string_view line) {
      simdjson::dom::element e;
      bool ok = parser_.parse(line.data(), line.size(), false).get(e) == simdjson::SUCCESS;
      fn(line, e, ok);
    });
  }

 private:
  simdjson::dom::parser parser_;
  std::string buf_;
};

}  // namespace kk
