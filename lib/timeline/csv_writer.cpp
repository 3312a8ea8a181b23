#include "timeline/csv_writer.hpp"

#include "core/time.hpp"
#include "timeline/record_fields.hpp"
#include "timeline/vocabulary.hpp"

namespace kk::timeline {

CsvEventWriter::CsvEventWriter(std::string tz) : tz_(std::move(tz)) {}

void CsvEventWriter::header(std::string& out) const {
  out += "\xEF\xBB\xBF";
  bool first = true;
  auto col = [&](std::string_view name) {
    if (!first) out.push_back(',');
    first = false;
    out += name;
  };
  for (const auto& h : head_keys()) {
    col(h.name);
    if (h.name == "datetime") col("local_time");
  }
  for (std::size_t i = 0; i < kFieldCount; ++i) col(field_info(static_cast<Field>(i)).name);
  col(kDetailsKey);
  out += "\r\n";
}

namespace {
// A cell's text: strings as they are, numbers in decimal, arrays joined with "; ".
void cell(std::string& out, simdjson::dom::element v) {
  if (v.is_array()) {
    std::string joined;
    for (simdjson::dom::element x : simdjson::dom::array(v)) {
      if (!joined.empty()) joined += "; ";
      joined += scalar_text(x);
    }
    append_csv_field(out, joined);
  } else if (v.is_object()) {
    append_csv_field(out, simdjson::minify(v));
  } else if (!v.is_null()) {
    append_csv_field(out, scalar_text(v));
  }
}
}  // namespace

bool CsvEventWriter::row(std::string_view json_line, std::string& out) {
  while (!json_line.empty() && (json_line.back() == '\n' || json_line.back() == '\r'))
    json_line.remove_suffix(1);
  simdjson::dom::element doc;
  if (parser_.parse(json_line.data(), json_line.size(), true).get(doc) != simdjson::SUCCESS ||
      !doc.is_object())
    return false;
  bool first = true;
  auto next = [&] {
    if (!first) out.push_back(',');
    first = false;
  };
  for (const auto& h : head_keys()) {
    next();
    if (auto v = member(doc, h.name)) cell(out, *v);
    if (h.name == "datetime") {
      next();
      std::int64_t ts;
      if (doc["timestamp"].get(ts) == simdjson::SUCCESS)
        append_csv_field(out, format_local(ts, tz_, true));
    }
  }
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    next();
    if (auto v = member(doc, field_info(static_cast<Field>(i)).name)) cell(out, *v);
  }
  next();
  if (auto v = member(doc, kDetailsKey)) cell(out, *v);
  out += "\r\n";
  return true;
}

}  // namespace kk::timeline
