// Builder behaviour: host resolution, dedupe, pass-through of timeline events, CSV.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "timeline/csv_writer.hpp"
#include "timeline/record_fields.hpp"
#include "timeline_test_util.hpp"

using kk::timeline::str;
using simdjson::dom::element;

namespace {
std::string write_temp(const std::string& text) {
  std::string p = kk_test::temp_file();
  std::ofstream(p, std::ios::binary) << text;
  return p;
}
}  // namespace

TEST_CASE("host: the record's own, else --host, else the bundle manifest's") {
  // A manifest record that comes after the records it describes still applies.
  std::string prefetch = kk_test::data_path("prefetch_records.jsonl");
  std::string manifest = write_temp(
      "{\"artifact\":\"manifest\",\"source\":\"Prefetch/CMD.EXE-D269B812.pf\",\"path\":\"/x\","
      "\"kind\":\"prefetch\",\"host\":\"WS-042\"}\n");
  kk_test::ParsedEvents ev(kk_test::build_lines({prefetch, manifest}));
  for (element e : ev.events) CHECK(str(e, "host") == "WS-042");
  kk::timeline::BuildOptions opt;
  opt.host = "FORCED";
  kk_test::ParsedEvents forced(kk_test::build_lines({prefetch, manifest}, opt));
  CHECK(str(forced.events[0], "host") == "FORCED");
  kk_test::ParsedEvents none(kk_test::build_lines({prefetch}));
  CHECK(none.events[0]["host"].is_null());
  // EVTX records name their computer; that wins.
  kk_test::ParsedEvents evtx(kk_test::build_lines({kk_test::data_path("evtx_records.jsonl")}, opt));
  CHECK(str(evtx.events[0], "host") != "FORCED");
  std::remove(manifest.c_str());
}

TEST_CASE("--dedupe drops identical events of the same source, nothing else") {
  std::string usn = kk_test::data_path("usnjrnl_records.jsonl");
  kk::timeline::BuildOptions opt;
  opt.dedupe = true;
  kk::timeline::BuildStats stats;
  auto twice = kk_test::build_lines({usn, usn}, opt, &stats);
  CHECK(twice.size() == 6);
  CHECK(stats.duplicates == 6);
  auto kept = kk_test::build_lines({usn, usn});
  CHECK(kept.size() == 12);
}

TEST_CASE("timeline events given back as input are re-sorted unchanged") {
  std::string usn = kk_test::data_path("usnjrnl_records.jsonl");
  std::string pf = kk_test::data_path("prefetch_records.jsonl");
  std::string a = write_temp(kk_test::build_text({usn}));
  std::string b = write_temp(kk_test::build_text({pf}));
  CHECK(kk_test::build_text({b, a}) == kk_test::build_text({pf, usn}));
  std::remove(a.c_str());
  std::remove(b.c_str());
}

TEST_CASE("timeline events sorted where they lie in a mapped input give the streamed bytes") {
  // CRLF and trailing blanks are trimmed, a last line without '\n' gets one: those lines
  // are copied, the rest referenced in the mapping; a tiny budget reads the file as a stream.
  std::string usn = kk_test::data_path("usnjrnl_records.jsonl");
  auto lines = kk_test::build_lines({usn});
  REQUIRE(lines.size() == 6);
  std::string text = lines[5] + "\r\n" + lines[4] + "  \n" + lines[3] + "\n\n" + lines[2] + "\n" +
                     lines[1] + "\n" + lines[0];
  std::string path = write_temp(text);
  kk::timeline::BuildOptions tiny;
  tiny.memory_budget = 4 << 10;  // less than twice the file: not mapped
  REQUIRE(text.size() > tiny.memory_budget / 2);
  kk::timeline::BuildStats mapped_stats, stream_stats;
  std::string mapped = kk_test::build_text({path}, {}, &mapped_stats);
  std::string streamed = kk_test::build_text({path}, tiny, &stream_stats);
  CHECK(mapped_stats.passthrough == 6);
  CHECK(stream_stats.passthrough == 6);
  CHECK(mapped == streamed);
  auto sorted = kk_test::split_lines(mapped);  // the same events (equal times: input order)
  std::sort(sorted.begin(), sorted.end());
  std::sort(lines.begin(), lines.end());
  CHECK(sorted == lines);
  std::remove(path.c_str());
}

TEST_CASE("a mapped file of parser records is unmapped once read; a timeline stays mapped") {
  std::string pf = kk_test::data_path("prefetch_records.jsonl");
  std::string timeline =
      write_temp(kk_test::build_text({kk_test::data_path("usnjrnl_records.jsonl")}));
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  kk::timeline::BuildOptions opt;
  opt.memory_budget = 20 << 10;  // each file fits in half of it, not both at once
  const auto records_size = std::filesystem::file_size(pf);
  const auto timeline_size = std::filesystem::file_size(timeline);
  REQUIRE(records_size <= opt.memory_budget / 2);
  REQUIRE(records_size + timeline_size > opt.memory_budget / 2);
  REQUIRE(2 * timeline_size <= opt.memory_budget / 2);
  kk::timeline::TimelineBuilder b(opt, diag);
  b.add_jsonl(pf);
  CHECK(b.mapped_bytes() == 0);  // its events are new text: nothing refers to the file
  b.add_jsonl(timeline);         // mapped: the budget the records file took was given back
  CHECK(b.mapped_bytes() == timeline_size);
  b.add_jsonl(timeline);
  CHECK(b.mapped_bytes() == 2 * timeline_size);
  std::string out_path = kk_test::temp_file();
  kk::Output out;
  std::string err;
  REQUIRE(out.open(out_path, &err));
  REQUIRE(b.write(out));
  REQUIRE(out.close());
  const std::string expected = kk_test::build_text({pf, timeline, timeline});
  CHECK(b.stats().events == kk_test::split_lines(expected).size());
  CHECK(kk_test::read_file(out_path) == expected);
  std::remove(out_path.c_str());
  std::remove(timeline.c_str());
}

TEST_CASE("CSV: BOM, header, CRLF rows, formula-safe cells") {
  kk::timeline::BuildOptions opt;
  opt.format = kk::timeline::OutputFormat::kCsv;
  std::string csv = kk_test::build_text({kk_test::data_path("usnjrnl_records.jsonl")}, opt);
  REQUIRE(csv.size() > 3);
  CHECK(csv.substr(0, 3) == "\xEF\xBB\xBF");
  CHECK(csv.substr(3, 32) == "datetime,local_time,timestamp,ti");
  CHECK(csv.find("2015-12-01 06:15:27.203125 JST") != std::string::npos);  // +09:00
  std::size_t rows = 0;
  for (std::size_t p = csv.find("\r\n"); p != std::string::npos; p = csv.find("\r\n", p + 2))
    ++rows;
  CHECK(rows == 7);  // header + 6 events
  std::string cell;
  kk::append_csv_field(cell, "=cmd|' /C calc'!A0");
  CHECK(cell == "\"'=cmd|' /C calc'!A0\"");
  cell.clear();
  kk::append_csv_field(cell, "a,\"b\"");
  CHECK(cell == "\"a,\"\"b\"\"\"");
}

TEST_CASE("damaged input lines are counted and reported, the rest is kept") {
  // (The damage follows a good line: an input whose first line is not a JSON object is not
  // JSON Lines at all, reported once, see stage_inputs_test.cpp.)
  std::string p = write_temp(
      "{\"artifact\":\"usnjrnl\",\"source\":\"J\",\"time\":\"2020-01-01T00:00:00Z\",\"name\":\"a\"}"
      "\n"
      "not json\n"
      "[1,2]\n"
      "{\"artifact\":\"usnjrnl\",\"source\":\"J\",\"time\":\"garbage\",\"name\":\"b\"}\n");
  kk::timeline::BuildStats stats;
  auto lines = kk_test::build_lines({p}, {}, &stats);
  CHECK(lines.size() == 1);
  CHECK(stats.invalid_lines == 2);
  CHECK(stats.untimed == 1);
  std::remove(p.c_str());
}

TEST_CASE("--details text: one string field holding the details object") {
  kk::timeline::BuildOptions opt;
  opt.details_as_text = true;
  kk_test::ParsedEvents ev(kk_test::build_lines({kk_test::data_path("evtx_records.jsonl")}, opt));
  element e = ev.find([](element x) { return kk::timeline::integer(x, "record_id") == 227762; });
  REQUIRE(e["details"].is_string());
  simdjson::dom::parser p;
  element d = p.parse(std::string(std::string_view(e["details"]))).value();
  CHECK(str(d, "TargetUserName") == "admin01");
}
