// Golden facts about prefetch, MFT, USN and registry events mapped from real parser
// records (tests/data/timeline/*_records.jsonl; origins in README.md).
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "timeline/record_fields.hpp"
#include "timeline_test_util.hpp"

using kk::timeline::integer;
using kk::timeline::str;
using simdjson::dom::element;

namespace {
bool has_tag(element e, std::string_view tag) {
  for (element t : simdjson::dom::array(e["tags"]))
    if (std::string_view(t) == tag) return true;
  return false;
}
}  // namespace

TEST_CASE("prefetch: one Last Time Executed event per run time, numbered from run_count") {
  kk_test::ParsedEvents ev(kk_test::build_lines({kk_test::data_path("prefetch_records.jsonl")}));
  // Win10 CMD.EXE-D269B812.pf: run_count 55, eight run times; Win8 _CMD.EXE: run_count 2.
  auto win10 = ev.all([](element e) { return str(e, "prefetch_hash") == "D269B812"; });
  REQUIRE(win10.size() == 8);
  element last = win10.back();
  CHECK(str(last, "datetime") == "2016-01-12T20:07:03.981069Z");
  CHECK(str(last, "message") == "CMD.EXE executed (run 55 of 55)");
  CHECK(integer(last, "run_index") == 55);
  CHECK(str(last, "timestamp_desc") == "Last Time Executed");
  CHECK(str(last, "path") == "\\VOLUME{01d1217a9c4c6779-8c9f49ec}\\WINDOWS\\SYSTEM32\\CMD.EXE");
  CHECK(has_tag(last, "execution"));
  std::int64_t min_run = 100;
  for (element e : win10) min_run = std::min(min_run, *integer(e, "run_index"));
  CHECK(min_run == 48);
  CHECK(ev.all([](element e) { return str(e, "prefetch_hash") == "4A81B364"; }).size() == 2);
}

TEST_CASE("MFT: MACB times that coincide merge into one event per timestamp set") {
  kk_test::ParsedEvents ev(kk_test::build_lines({kk_test::data_path("mft_records.jsonl")}));
  // entry_102130_fixup_issue… test_cfuncs.py (entry 26370): $SI M and B coincide.
  auto cfuncs = ev.all([](element e) { return integer(e, "entry") == 26370; });
  REQUIRE(cfuncs.size() == 3);
  element born = cfuncs[0];
  CHECK(str(born, "datetime") == "2008-02-29T04:12:36.000000Z");
  CHECK(str(born, "macb") == "M..B");
  CHECK(str(born, "timestamp_desc") == "Content Modification Time; Creation Time");
  CHECK(str(born, "time_source") == "$STANDARD_INFORMATION");
  CHECK(str(born, "message") == "\\$OrphanFiles\\test_cfuncs.py created, modified ($SI)");
  CHECK(has_tag(born, "file_created"));
  CHECK(has_tag(born, "timestomp"));  // parse-mft: $SI created before $FN created
  element fn = ev.find([](element e) {
    return integer(e, "entry") == 26370 && str(e, "time_source") == "$FILE_NAME";
  });
  CHECK(str(fn, "macb") == "MACB");
  CHECK(str(fn, "datetime") == "2009-11-13T01:56:44.000000Z");
}

TEST_CASE("USN: one event per record, tagged by reason") {
  kk::timeline::BuildStats stats;
  kk_test::ParsedEvents ev(
      kk_test::build_lines({kk_test::data_path("usnjrnl_records.jsonl")}, {}, &stats));
  CHECK(stats.events == 6);
  element create = ev.events[0];
  CHECK(str(create, "message") == "\\Nieuw - Tekstdocument.txt: FILE_CREATE");
  CHECK(str(create, "timestamp_desc") == "Entry Modification Time");
  CHECK(integer(create, "entry") == 30);
  CHECK(has_tag(create, "file_created"));
  element renamed = ev.find([](element e) { return str(e, "path") == "\\first.txt"; });
  CHECK(has_tag(renamed, "file_renamed"));
}

TEST_CASE("registry: plugin times are events; a key write repeating one is not") {
  kk_test::ParsedEvents ev(kk_test::build_lines({kk_test::data_path("registry_records.jsonl")}));
  element ua = ev.find([](element e) { return str(e, "artifact") == "userassist"; });
  CHECK(str(ua, "timestamp_desc") == "Last Time Executed");
  CHECK(str(ua, "datetime") == "2010-11-10T07:49:37.078067Z");
  CHECK(integer(ua, "run_count") == 14);
  CHECK(has_tag(ua, "execution"));
  // UserAssist keys hold every program of a user: their write time is no event per entry.
  CHECK(ev.all([](element e) { return str(e, "artifact") == "userassist"; }).size() == 1);
  // Amcache first_seen equals the key's last write: one event, not two.
  auto am = ev.all([](element e) { return str(e, "artifact") == "amcache_file"; });
  REQUIRE(am.size() == 1);
  CHECK(str(am[0], "timestamp_desc") == "First Seen Time");
  CHECK(str(am[0], "sha1") == "186fef64c415af7d11986c7254db81ef65549ebc");
  element run = ev.find([](element e) { return str(e, "artifact") == "autorun"; });
  CHECK(str(run, "command_line") ==
        "\"C:\\Users\\nfury\\AppData\\Local\\Google\\Update\\GoogleUpdate.exe\" /c");
  CHECK(has_tag(run, "persistence"));
  CHECK(str(run, "data_type") == "windows:registry:autorun");
  element typed = ev.find([](element e) { return str(e, "artifact") == "typed_paths"; });
  CHECK(str(typed, "data_type") == "windows:registry:typed_paths");
}

TEST_CASE("SRUM: one event per usage row at its TimeStamp, the app and SID as fields") {
  kk_test::ParsedEvents ev(kk_test::build_lines({kk_test::data_path("srum_records.jsonl")}));
  REQUIRE(ev.events.size() == 6);  // 5 rows + the connectivity row's connection start
  element edge =
      ev.find([](element e) { return str(e, "file_name") == "microsoftedgeupdate.exe"; });
  CHECK(str(edge, "timestamp_desc") == "SRUM Network Usage Recorded");
  CHECK(str(edge, "datetime") == "2022-03-10T16:35:00.000000Z");
  CHECK(str(edge, "data_type") == "windows:srum:network_usage");
  CHECK(str(edge, "sid") == "S-1-5-21-2212929841-2730996645-2649195864-1000");
  CHECK(str(edge, "message") ==
        "\\device\\harddiskvolume3\\program files (x86)\\microsoft\\edgeupdate\\"
        "microsoftedgeupdate.exe: 1883 bytes sent, 4244 bytes received "
        "(S-1-5-21-2212929841-2730996645-2649195864-1000)");
  CHECK(has_tag(edge, "network_connection"));
  simdjson::dom::parser dp;  // details: one JSON text (build-timeline's default)
  CHECK(str(dp.parse(std::string(std::string_view(edge["details"]))).value(), "bytes_sent") ==
        "1883");
  CHECK(integer(edge, "offset") == 733301);
  element start = ev.find(
      [](element e) { return str(e, "timestamp_desc") == "SRUM Network Connection Started"; });
  CHECK(str(start, "datetime") == "2022-03-10T16:33:53.062678Z");
  element timeline = ev.find([](element e) { return str(e, "artifact") == "srum_app_timeline"; });
  CHECK(str(timeline, "file_name") == "spoolsv.exe");
  CHECK_FALSE(has_tag(timeline, "network_connection"));
}

TEST_CASE("browser cache: one Cached Time event, a cached program tagged downloaded") {
  kk_test::ParsedEvents ev(
      kk_test::build_lines({kk_test::data_path("browser_cache_records.jsonl")}));
  auto all = ev.all([](element e) { return str(e, "artifact") == "browser_cache"; });
  REQUIRE(all.size() == 3);
  element page = ev.find([](element e) { return str(e, "url") == "http://google.com/"; });
  CHECK(str(page, "timestamp_desc") == "Cached Time");
  CHECK(str(page, "datetime") == "2021-11-29T22:47:25.505067Z");
  CHECK(str(page, "data_type") == "browser:cache:entry");
  CHECK(str(page, "file_name") == "E7LW1M9F.htm");
  CHECK(integer(page, "size") == 219);
  CHECK(has_tag(page, "file_created"));
  CHECK_FALSE(has_tag(page, "downloaded"));
  element program = ev.find([](element e) { return str(e, "file_name") == "setup[1].exe"; });
  CHECK(has_tag(program, "downloaded"));
  CHECK(
      str(program, "message").starts_with("Cached https://example.com/dl/setup.exe → C:\\Users\\"));
}

TEST_CASE(
    "network log: the event names the product as its vendor does, the data type keeps the id") {
  const std::string path = kk_test::temp_file();
  {
    std::ofstream f(path);
    f << R"({"artifact":"netlog","source":"netlog/fw.log","line":1,"offset":0,"product":"fortigate",)"
         R"("time":"2019-07-18T00:00:00.000000Z","direction":"outbound","action":"deny",)"
         R"("src_ip":"10.0.2.15","src_port":50100,"dst_ip":"203.0.113.5","dst_port":443})"
      << '\n';
  }
  kk_test::ParsedEvents ev(kk_test::build_lines({path}));
  std::remove(path.c_str());
  element e = ev.find([](element x) { return str(x, "artifact") == "netlog"; });
  CHECK(str(e, "product") == "FortiGate");
  CHECK(str(e, "data_type") == "network:netlog:fortigate");
  CHECK(str(e, "message").starts_with("FortiGate deny: 10.0.2.15:50100 -> 203.0.113.5:443"));
}
