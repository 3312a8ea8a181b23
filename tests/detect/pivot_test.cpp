// The suspect pivot and mixed inputs (parser records of several artifacts, timeline events).
#include <doctest/doctest.h>

#include <fstream>

#include "test_support.hpp"

using namespace kk_detect_test;

namespace {

std::string run(const std::vector<std::string>& lines, const std::vector<std::string>& suspects,
                bool builtin = false) {
  kk::Diagnostics diag("test");
  kk::detect::Options o;
  o.builtin = builtin;
  o.suspects = suspects;
  kk::detect::Detector d(o, diag);
  d.load_rules();
  for (const auto& l : lines) REQUIRE(d.add_json(l));
  return d.finish();
}

}  // namespace

TEST_CASE("suspect pivot: every trace of the file, by artifact, even with no rule") {
  std::vector<std::string> lines = {
      // Sysmon 11 in the attack sample DE_timestomp_and_dll_sideloading_and_RunPersist.evtx:
      // Explorer wrote C:\Users\IEUser\Downloads\Flash_update.exe.
      R"({"artifact":"evtx","source":"AutomatedTestingTools/Malware/DE_timestomp_and_dll_sideloading_and_RunPersist.evtx","record_id":6575,"time":"2019-04-27T15:57:25.868863Z","event_id":11,"provider":"Microsoft-Windows-Sysmon","channel":"Microsoft-Windows-Sysmon/Operational","data":{"Image":"C:\\Windows\\Explorer.EXE","TargetFilename":"C:\\Users\\IEUser\\Downloads\\Flash_update.exe"}})",
      sysmon1(
          R"("Image":"C:\\Users\\IEUser\\Downloads\\Flash_update.exe","CommandLine":"\"C:\\Users\\IEUser\\Downloads\\Flash_update.exe\" ","ParentImage":"C:\\Windows\\explorer.exe")",
          2),
      sysmon1(
          R"("Image":"C:\\Windows\\System32\\cmd.exe","ParentImage":"C:\\Users\\IEUser\\Downloads\\Flash_update.exe")",
          3),
      R"({"artifact":"prefetch","source":"Prefetch/FLASH_UPDATE.EXE-1A2B3C4D.pf","executable":"FLASH_UPDATE.EXE","run_count":2,"last_run_times":["2019-04-27T15:58:00.000000Z"],"files":["\\VOLUME{1}\\USERS\\IEUSER\\DOWNLOADS\\FLASH_UPDATE.EXE"]})",
      R"({"artifact":"usnjrnl","source":"NTFS/C_$UsnJrnl-$J","offset":4096,"time":"2019-04-27T16:10:00.000000Z","name":"Flash_update.exe","path":"\\Users\\IEUser\\Downloads\\Flash_update.exe","reasons":["FILE_DELETE","CLOSE"]})",
      // Not the suspect: a file whose name only contains the suspect's name.
      R"({"artifact":"usnjrnl","source":"NTFS/C_$UsnJrnl-$J","offset":8192,"time":"2019-04-27T16:11:00.000000Z","name":"old_Flash_update.exe.bak","path":"\\x","reasons":["FILE_CREATE"]})",
  };
  Findings f(run(lines, {"C:\\Users\\IEUser\\Downloads\\Flash_update.exe"}));
  CHECK(f.count_of("KK-SUSPECT-ORIGIN-CREATED") == 1);
  CHECK(f.count_of("KK-SUSPECT-EXEC-PROCESS") == 1);
  CHECK(f.count_of("KK-SUSPECT-EXEC-CHILD") == 1);
  CHECK(f.count_of("KK-SUSPECT-EXEC-PREFETCH") == 1);
  CHECK(f.count_of("KK-SUSPECT-CHANGE-DELETED") == 1);
  CHECK(f.rule_ids.size() == 5);
  for (const auto& l : f.lines) CHECK(l.find("\"suspect\":true") != std::string::npos);
}

TEST_CASE("suspect by hash matches Sysmon Hashes and Amcache sha1") {
  std::vector<std::string> lines = {
      sysmon1(
          R"("Image":"C:\\x\\a.exe","Hashes":"SHA1=DA39A3EE5E6B4B0D3255BFEF95601890AFD80709,MD5=D41D8CD98F00B204E9800998ECF8427E")"),
      R"({"artifact":"amcache_file","source":"Registry/Amcache.hve","path":"c:\\x\\a.exe","sha1":"da39a3ee5e6b4b0d3255bfef95601890afd80709","first_seen":"2024-01-01T00:00:00Z"})",
  };
  Findings f(run(lines, {"DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"}));
  CHECK(f.count_of("KK-SUSPECT-EXEC-PROCESS") == 1);
  CHECK(f.count_of("KK-SUSPECT-EXEC-AMCACHE") == 1);
}

TEST_CASE("timeline events are matched like parser records") {
  // build-timeline event for a 1102 (docs/records.md "Timeline event").
  std::string ev =
      R"({"datetime":"2024-05-01T03:04:05.123456Z","timestamp":1714532645123456,"timestamp_desc":"Event Recorded","message":"1102 log cleared","artifact":"evtx","source":"Evtx/Security.evtx","host":"PC01","data_type":"windows:evtx:record","event_id":1102,"record_id":42,"channel":"Security","provider":"Microsoft-Windows-Eventlog","user":"admin01","details":{"SubjectUserName":"admin01"}})";
  std::string out = run({ev}, {}, true);
  Findings f(out);
  REQUIRE(f.count_of("KK-TAMPER-001") == 1);
  CHECK(out.find("\"record_id\":42") != std::string::npos);
  CHECK(out.find("\"first\":\"2024-05-01T03:04:05.123456Z\"") != std::string::npos);
  CHECK(out.find("Security log cleared by \\\\admin01") ==
        std::string::npos);  // summary uses fields
  CHECK(out.find("\"SubjectUserName\":\"admin01\"") != std::string::npos);
}

TEST_CASE("findings carry the evidence, rule credit and ATT&CK ids") {
  kk::Diagnostics diag("test");
  kk::detect::Options o;
  o.builtin = false;
  kk::detect::Detector d(o, diag);
  std::string rule =
      "title: Whoami\nid: 11111111-2222-3333-4444-555555555555\nauthor: Someone Else\nlevel: high\n"
      "tags: [attack.discovery, attack.t1033]\n"
      "logsource: {product: windows, category: process_creation}\n"
      "detection:\n  s:\n    Image|endswith: '\\whoami.exe'\n  condition: s\n";
  REQUIRE(load_one(d, rule).status == "loaded");
  REQUIRE(d.add_json(
      sysmon1(R"("Image":"C:\\Windows\\System32\\whoami.exe","CommandLine":"whoami /all")", 77)));
  std::string out = d.finish();
  simdjson::dom::parser p;
  simdjson::dom::element f = p.parse(out).value();
  CHECK(std::string_view(f["id"].get_string().value()) == "11111111-2222-3333-4444-555555555555#1");
  CHECK(std::string_view(f["question"].get_string().value()) == "post_infection");
  CHECK(std::string_view(f["severity"].get_string().value()) == "high");
  CHECK(std::string_view(f["rule"]["author"].get_string().value()) == "Someone Else");
  CHECK(std::string_view(f["rule"]["source"].get_string().value()) == "sigma");
  CHECK(std::string_view(f["attack"].at(0).get_string().value()) == "T1033");
  auto ev = f["evidence"].at(0);
  CHECK(ev["record_id"].get_int64().value() == 77);
  CHECK(std::string_view(ev["fields"]["Image"].get_string().value()) ==
        "C:\\Windows\\System32\\whoami.exe");
  CHECK(std::string_view(f["iocs"]["files"].at(0).get_string().value()) == "whoami.exe");
}

TEST_CASE("a network log's summary names the product as its vendor does, no dangling field") {
  const std::string line =
      R"({"artifact":"netlog","source":"netlog/fw.log","line":1,"offset":0,"product":"fortigate",)"
      R"("time":"2019-07-18T00:00:00.000000Z","direction":"outbound","action":"deny",)"
      R"("src_ip":"10.0.2.15","src_port":50100,"dst_ip":"203.0.113.5","dst_port":443})";
  const std::string out = run({line}, {}, true);
  Findings f(out);
  REQUIRE(f.count_of("KK-NET-002") == 1);
  // "{product} {action}: {src_ip} -> {dst_ip}:{dst_port} {host}" with no host.
  CHECK(out.find(R"("summary":"FortiGate deny: 10.0.2.15 -> 203.0.113.5:443")") !=
        std::string::npos);
  CHECK(out.find(R"("product":"fortigate")") != std::string::npos);  // the field keeps the id

  // A title grouped by product (KK-NET-001: product, threat) names it the same way.
  const std::string detection =
      R"({"artifact":"netlog","source":"netlog/fw.log","line":2,"offset":90,"product":"fortigate",)"
      R"("time":"2019-07-18T00:03:00.000000Z","threat":"EICAR_TEST_FILE","src_ip":"203.0.113.8",)"
      R"("dst_ip":"10.0.2.15"})";
  const std::string out2 = run({detection}, {}, true);
  CHECK(out2.find(R"(: FortiGate, EICAR_TEST_FILE")") != std::string::npos);
}
