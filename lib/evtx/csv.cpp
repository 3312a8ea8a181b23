#include "evtx/csv.hpp"

#include <simdjson.h>

#include <string>

#include "core/csv.hpp"

namespace kk::evtx {
namespace {

// Computer names, provider names and event data are the attacker's text: one CSV cell
// writer for every tool (formulas neutralised).
void cell(TextBuffer& out, std::string_view s) {
  append_csv_field(out, s);
}

}  // namespace

void jsonl_to_csv(std::string_view lines, bool xml, TextBuffer& out) {
  static constexpr const char* kFields[] = {
      "artifact", "source", "record_id", "time",   "event_id",  "provider",   "channel",
      "computer", "level",  "task",      "opcode", "keywords",  "process_id", "thread_id",
      "user_sid", "data",   "chunk",     "offset", "recovered", "xml"};
  simdjson::dom::parser parser;
  std::size_t pos = 0;
  std::string scratch;
  while (pos < lines.size()) {
    std::size_t nl = lines.find('\n', pos);
    if (nl == std::string_view::npos) nl = lines.size();
    std::string_view line = lines.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) continue;
    simdjson::dom::element doc;
    if (parser.parse(line.data(), line.size()).get(doc)) continue;  // our own output: always valid
    bool first = true;
    for (const char* f : kFields) {
      if (std::string_view(f) == "xml" && !xml) break;
      if (!first) out.push(',');
      first = false;
      simdjson::dom::element v;
      if (doc[f].get(v)) continue;
      switch (v.type()) {
        case simdjson::dom::element_type::NULL_VALUE:
          break;
        case simdjson::dom::element_type::STRING:
          cell(out, std::string_view(v.get_string().value_unsafe()));
          break;
        default:
          scratch = simdjson::minify(v);
          cell(out, scratch);
          break;
      }
    }
    out.append("\r\n");
  }
}

}  // namespace kk::evtx
