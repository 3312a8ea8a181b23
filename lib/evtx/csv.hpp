// --format csv: the JSON records re-written as CSV rows (RFC 4180 quoting), one
// column per contract field; "data" stays a JSON object text in its column.
#pragma once

#include <string_view>

#include "evtx/text_buffer.hpp"

namespace kk::evtx {

// Converts complete JSON lines (as render_record writes them) to CSV rows.
void jsonl_to_csv(std::string_view lines, bool xml, TextBuffer& out);

}  // namespace kk::evtx
