// Golden tests: small real logs in tests/data/evtx, checked record by record and
// field by field against libevtx evtxexport XML kept in *.expected (generated once
// by make_reference.py), plus facts read from those logs.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "normalize.hpp"

using kk_evtx_test::normalized_lines;
using kk_evtx_test::parse;

namespace {

const std::string kData = std::string(KK_TEST_DATA) + "/evtx/";

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> v;
  // *.expected escape backslash and newline inside a line (make_reference.py).
  for (std::string l; std::getline(in, l);) {
    std::string u;
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (l[i] == '\\' && i + 1 < l.size()) {
        u.push_back(l[i + 1] == 'n' ? '\n' : l[i + 1]);
        ++i;
      } else {
        u.push_back(l[i]);
      }
    }
    v.push_back(u);
  }
  return v;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

// The JSON record with EventRecordID ID.
simdjson::dom::element record(simdjson::dom::parser& p, const std::string& jsonl, std::uint64_t id,
                              std::string& keep) {
  for (const auto& l : split_lines(jsonl)) {
    keep = l;
    simdjson::dom::element r = p.parse(keep);
    if (r["record_id"].get_uint64().value() == id) return r;
  }
  FAIL("record " << id << " not found");
  return {};
}

}  // namespace

TEST_CASE("golden: every record equals evtxexport, field by field") {
  for (const char* name : {"Security_short_selected.evtx", "Application_no_crc32.evtx",
                           "sysmon_13_keylogger_directx.evtx"}) {
    CAPTURE(name);
    auto expected = read_lines(kData + name + ".expected");
    auto p = parse(kData + name);
    auto got = normalized_lines(p.jsonl);
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == expected[i]);
    CHECK(p.stats.damaged == 0);
  }
}

TEST_CASE("golden: Security_short_selected.evtx record 319457830 (4611)") {
  auto p = parse(kData + "Security_short_selected.evtx");
  CHECK(p.stats.records == 7);
  simdjson::dom::parser jp;
  std::string keep;
  auto r = record(jp, p.jsonl, 319457830, keep);
  CHECK(r["artifact"].get_string().value() == "evtx");
  CHECK(r["event_id"].get_uint64().value() == 4611);
  CHECK(r["time"].get_string().value() == "2016-06-29T15:24:36.686000Z");
  CHECK(r["provider"].get_string().value() == "Microsoft-Windows-Security-Auditing");
  CHECK(r["channel"].get_string().value() == "Security");
  CHECK(r["computer"].get_string().value() == "temporal");
  CHECK(r["level"].get_uint64().value() == 0);
  CHECK(r["task"].get_uint64().value() == 12289);
  CHECK(r["keywords"].get_string().value() == "0x8020000000000000");
  CHECK(r["process_id"].get_uint64().value() == 768);
  CHECK(r["thread_id"].get_uint64().value() == 2764);
  CHECK(r["user_sid"].is_null());
  CHECK(r["data"]["SubjectUserSid"].get_string().value() == "S-1-5-18");
  CHECK(r["data"]["SubjectLogonId"].get_string().value() == "0x3e7");  // HexInt64
  CHECK(r["data"]["LogonProcessName"].get_string().value() == "Winlogon");
  CHECK(r["chunk"].get_uint64().value() == 0);
  CHECK(r["offset"].get_uint64().value() == 6880);
  CHECK(r["recovered"].get_bool().value() == false);
  // The field order is the contract's.
  std::string_view line = keep;
  const char* order[] = {"artifact", "source",   "record_id",  "time",      "event_id",
                         "provider", "channel",  "computer",   "level",     "task",
                         "opcode",   "keywords", "process_id", "thread_id", "user_sid",
                         "data",     "chunk",    "offset",     "recovered"};
  std::size_t at = 0;
  for (const char* f : order) {
    std::size_t k = line.find("\"" + std::string(f) + "\":", at);
    CHECK_MESSAGE(k != std::string_view::npos, f);
    at = k;
  }
}

TEST_CASE("golden: typed EventData values (numbers stay numbers)") {
  auto p = parse(kData + "Security_short_selected.evtx");
  simdjson::dom::parser jp;
  std::string keep;
  auto r = record(jp, p.jsonl, 319457771, keep);  // 5152: ProcessId UInt64, SourcePort a string
  CHECK(r["data"]["ProcessId"].get_uint64().value() == 0);
  CHECK(r["data"]["SourcePort"].get_string().value() == "59639");
  CHECK(r["data"]["FilterRTID"].get_uint64().value() == 67607);
}

TEST_CASE("golden: --xml renders the record as Windows does") {
  kk::evtx::Options opt;
  opt.xml = true;
  auto p = parse(kData + "Security_short_selected.evtx", opt);
  simdjson::dom::parser jp;
  std::string keep;
  auto r = record(jp, p.jsonl, 319457831, keep);
  std::string xml(r["xml"].get_string().value());
  CHECK(xml.rfind("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
                  "<Provider Name=\"Microsoft-Windows-Security-Auditing\" "
                  "Guid=\"{54849625-5478-4994-A5BA-3E3B0328C30D}\"/><EventID>4776</EventID>",
                  0) == 0);
  CHECK(xml.find("<TimeCreated SystemTime=\"2016-06-29T15:24:36.6860000Z\"/>") !=
        std::string::npos);
  CHECK(xml.find("<Correlation/><Execution ProcessID=\"768\" ThreadID=\"2764\"/>") !=
        std::string::npos);
  CHECK(xml.find("<Data Name=\"Status\">0xc000006a</Data></EventData></Event>") !=
        std::string::npos);
}

TEST_CASE("golden: format 3.2 with the no-CRC32 flag gives no checksum warnings") {
  auto p = parse(kData + "Application_no_crc32.evtx");
  CHECK(p.stats.records == 17);
  CHECK(p.warnings == 0);
}

TEST_CASE("golden: Windows Event Collector record without dependency ids (both references fail)") {
  auto p = parse(kData + "MSExchange_Management_wec.evtx");
  REQUIRE(p.stats.records == 1);
  simdjson::dom::parser jp;
  simdjson::dom::element r = jp.parse(p.jsonl);
  CHECK(r["record_id"].get_uint64().value() == 3229);
  CHECK(r["event_id"].get_uint64().value() == 1);
  CHECK(r["provider"].get_string().value() == "MSExchange CmdletLogs");
  CHECK(r["channel"].get_string().value() == "MSExchange Management");
  CHECK(r["computer"].get_string().value() == "WEC.ave.local");
  CHECK(r["level"].get_uint64().value() == 4);
  CHECK(r["data"]["Data"].at(0).get_string().value() == "Set-Mailbox");
  CHECK(r["data"]["Data"].at(3).get_string().value() ==
        "S-1-5-21-186559946-3925841745-111227986-500");
}

// Forwarded (WEC) records and Event Viewer exports: headers renumbered with their own times,
// the event keeps EventRecordID and TimeCreated (as text here). renumbered_export.evtx is
// MSExchange_Management_wec.evtx plus a copy of its chunk whose header time is 0
// (tests/evtx/make_renumbered.py).
TEST_CASE("golden: time is the event's TimeCreated, not the renumbered record header's") {
  auto p = parse(kData + "renumbered_export.evtx");
  CHECK(p.warnings == 0);
  auto lines = split_lines(p.jsonl);
  REQUIRE(lines.size() == 2);
  simdjson::dom::parser jp;
  simdjson::dom::element a = jp.parse(lines[0]);
  CHECK(a["record_id"].get_uint64().value() == 3229);
  CHECK(a["time"].get_string().value() == "2021-11-19T16:52:33.833733Z");
  CHECK(a["record_time"].get_string().value() == "2021-11-19T16:53:03.836551Z");
  simdjson::dom::parser jp2;
  simdjson::dom::element b = jp2.parse(lines[1]);
  CHECK(b["record_id"].get_uint64().value() == 3229);
  CHECK(b["time"].get_string().value() == "2021-11-19T16:52:33.833733Z");
  CHECK(b["record_time"].error() == simdjson::NO_SUCH_FIELD);  // header time 0: nothing to keep
  // The XML shows TimeCreated as written (9 digits here, 7 for a FILETIME); JSON has 6.
  kk::evtx::Options opt;
  opt.xml = true;
  auto x = parse(kData + "renumbered_export.evtx", opt);
  CHECK(x.jsonl.find("SystemTime=\\\"2021-11-19T16:52:33.833733500Z\\\"") != std::string::npos);
  // A live log: record_time only where the header was written later than TimeCreated.
  auto s = parse(kData + "Security_short_selected.evtx");
  std::string keep;
  simdjson::dom::parser jp3;
  CHECK(record(jp3, s.jsonl, 319457771, keep)["record_time"].error() == simdjson::NO_SUCH_FIELD);
  auto late = record(jp3, s.jsonl, 319457832, keep);
  CHECK(late["time"].get_string().value() == "2016-06-29T15:24:36.686000Z");
  CHECK(late["record_time"].get_string().value() == "2016-06-29T15:24:36.717200Z");
}

TEST_CASE("filters prune records") {
  kk::evtx::Options opt;
  opt.filter.event_ids = {4611, 4776};
  CHECK(parse(kData + "Security_short_selected.evtx", opt).stats.records == 2);
  opt = {};
  opt.filter.channels = {"SECURITY"};  // case-insensitive
  CHECK(parse(kData + "Security_short_selected.evtx", opt).stats.records == 7);
  opt.filter.channels = {"System"};
  auto p = parse(kData + "Security_short_selected.evtx", opt);
  CHECK(p.stats.records == 0);
  CHECK(p.stats.filtered == 7);
  opt = {};
  opt.filter.since = 1467213876686000LL;  // 2016-06-29T15:24:36.686Z: three records
  opt.filter.until = 1467213876686000LL;
  CHECK(parse(kData + "Security_short_selected.evtx", opt).stats.records == 3);
}

TEST_CASE("CSV output: header and one row per record") {
  kk::evtx::Options opt;
  opt.format = kk::evtx::Format::kCsv;
  auto p = parse(kData + "Security_short_selected.evtx", opt);
  auto rows = split_lines(p.jsonl);
  REQUIRE(rows.size() == 8);
  CHECK(rows[0].rfind("artifact,source,record_id,time,event_id,provider,channel,computer,", 0) ==
        0);
  CHECK(rows[2].find(
            ",319457830,2016-06-29T15:24:36.686000Z,4611,Microsoft-Windows-Security-Auditing,"
            "Security,temporal,") != std::string::npos);
}
