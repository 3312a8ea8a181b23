// Timeline events as CSV for spreadsheets: UTF-8 with a BOM (so Japanese Excel opens it
// as UTF-8), CRLF line ends, one fixed column per vocabulary key, "details" as JSON text.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "core/csv.hpp"  // append_csv_field: every cell, formulas neutralised

namespace kk::timeline {

class CsvEventWriter {
 public:
  // TZ names the zone of the local_time column (e.g. Asia/Tokyo).
  explicit CsvEventWriter(std::string tz);
  // BOM and the header row.
  void header(std::string& out) const;
  // One row from one rendered event line; false if the line is not a JSON object.
  bool row(std::string_view json_line, std::string& out);

 private:
  std::string tz_;
  simdjson::dom::parser parser_;
  std::string scratch_;
};

}  // namespace kk::timeline
