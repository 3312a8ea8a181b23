// Logons from one PC's address to another, on two small hand-made PC folders (the sample's
// two copies share one address, so they cannot show it): PC-B's Security 4624 and RDP 1149
// from PC-A's registry address are reported with their records, and a 4624 from an address
// no PC owns whose workstation bears PC-A's name; a logon from PC-B's own address, from a
// foreign address without a known name, or naming PC-B itself is not; a PC folder without
// notice.json is listed as unreadable, not fatal; the merged timeline interleaves the PCs in time
// order.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../test_util.hpp"
#include "casedocs/casedocs.hpp"
#include "doc_checks.hpp"

namespace fs = std::filesystem;
using namespace kk::casedocs;

namespace {

void write(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string notice_json(const std::string& host, const std::string& hash) {
  return R"({"case_id":"KK-T","host":")" + host +
         R"(","overall":"suspicious","window":{"anchor":"2024-05-01T00:00:00.000000Z",)"
         R"("start":"2024-04-28T00:00:00.000000Z","end":"2024-05-02T00:00:00.000000Z"},)"
         R"("questions":[{"id":"intrusion","verdict":"found","evidence":[{"artifact":"evtx",)"
         R"("source":"Evtx/Security.evtx","record_id":7,"time":"2024-05-01T0)" +
         (host == "PC-A" ? "1" : "3") +
         R"(:00:00.000000Z","summary":"x"}]}],"iocs":[{"type":"sha256","value":")" + hash +
         R"(","evidence":[{"artifact":"amcache_file","source":"Registry/Amcache.hve",)"
         R"("entry":12,"time":"2024-05-01T05:00:00.000000Z","summary":"y"}]}],)"
         R"("counts":{"findings":3}})"
         "\n";
}

std::string logon(int record, int id, const std::string& ip, const std::string& time,
                  const std::string& workstation = "-") {
  const std::string channel =
      id == 1149 ? "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"
                 : "Security";
  const std::string data = id == 1149
                               ? R"({"Param1":"admin","Param2":"CORP","Param3":")" + ip + R"("})"
                               : R"({"TargetUserName":"admin","LogonType":3,"IpAddress":")" + ip +
                                     R"(","WorkstationName":")" + workstation + R"("})";
  return R"({"artifact":"evtx","source":"Evtx/Security.evtx","record_id":)" +
         std::to_string(record) + R"(,"time":")" + time + R"(","event_id":)" + std::to_string(id) +
         R"(,"channel":")" + channel + R"(","data":)" + data + "}\n";
}

std::string event(long long ts, const std::string& host) {
  std::string h = host.empty() ? "" : R"(,"host":")" + host + "\"";
  return R"({"datetime":"x","timestamp":)" + std::to_string(ts) +
         R"(,"message":"m","artifact":"evtx")" + h + "}\n";
}

}  // namespace

TEST_CASE("case notice: a logon on one PC from another PC's address, with its record") {
  const std::string d = kk_test::temp_dir();
  const std::string hash(64, 'e');
  write(d + "/PC-A/notice.json", notice_json("PC-A", hash));
  write(d + "/PC-A/records/network_interface.jsonl",
        R"({"artifact":"network_interface","ip_addresses":["192.168.1.10"]})"
        "\n");
  write(d + "/PC-A/timeline.jsonl", event(1, "PC-A") + event(3, "PC-A") + event(5, "PC-A"));
  write(d + "/PC-B/notice.json", notice_json("WIN-B", hash));
  write(d + "/PC-B/records/network_interface.jsonl",
        R"({"artifact":"network_interface","ip_addresses":["192.168.1.20"]})"
        "\n");
  write(d + "/PC-B/records/evtx.jsonl",
        logon(100, 4624, "192.168.1.10", "2024-05-01T02:00:00.000000Z") +
            logon(101, 4624, "192.168.1.20", "2024-05-01T02:01:00.000000Z") +  // its own
            logon(102, 4625, "8.8.8.8", "2024-05-01T02:02:00.000000Z") +       // no PC's
            logon(5, 1149, "192.168.1.10", "2024-05-01T01:30:00.000000Z") +
            // Through a VPN address no PC owns, from a workstation named after PC-A.
            logon(103, 4624, "10.9.9.9", "2024-05-01T04:00:00.000000Z", "pc-a") +
            // A local logon names the PC itself: not kept.
            logon(104, 4624, "-", "2024-05-01T04:01:00.000000Z", "WIN-B"));
  write(d + "/PC-B/timeline.jsonl", event(2, "WIN-B") + event(2, "") + event(6, "WIN-B"));
  fs::create_directories(d + "/PC-C");  // not triaged

  CaseNoticeRequest rq;
  rq.case_id = "KK-T";
  rq.customer = "テスト株式会社";
  rq.pcs = {{"PC-A", d + "/PC-A", "done"},
            {"PC-B", d + "/PC-B", "done"},
            {"PC-C", d + "/PC-C", "failed"}};
  kk::CaseDir::Policy policy;
  policy.allow_content = true;
  auto dir = kk::CaseDir::open(d, policy);
  REQUIRE(dir.ok());
  kk::Diagnostics diag("cases");
  diag.set_stderr_limit(0);
  auto sum = write_case_notice(*dir, rq, diag);
  if (!sum) FAIL(sum.error().message);
  CHECK(sum->pcs == 3);
  CHECK(sum->pcs_unreadable == 1);
  CHECK(sum->shared_files == 1);  // the hash
  CHECK(sum->cross_pc_logons == 3);
  CHECK(sum->timeline_events == 6);

  simdjson::dom::parser p;
  const std::string json = kk_test::read_file(d + "/case-notice.json");
  simdjson::dom::element m = p.parse(json).value();
  simdjson::dom::array logons = m["lateral_logons"].get_array().value();
  REQUIRE(logons.size() == 3);
  simdjson::dom::element first = logons.at(0).value();  // by time: the RDP one
  CHECK(std::string_view(first["from_host"].get_string().value()) == "PC-A");
  CHECK(std::string_view(first["to_host"].get_string().value()) == "PC-B");
  CHECK(first["event_id"].get_int64().value() == 1149);
  CHECK(first["evidence"]["record_id"].get_int64().value() == 5);
  simdjson::dom::element second = logons.at(1).value();
  CHECK(second["event_id"].get_int64().value() == 4624);
  CHECK(second["logon_type"].get_int64().value() == 3);
  CHECK(std::string_view(second["user"].get_string().value()) == "admin");
  CHECK(std::string_view(second["matched_by"].get_string().value()) == "address");
  simdjson::dom::element third = logons.at(2).value();  // by computer name
  CHECK(std::string_view(third["matched_by"].get_string().value()) == "workstation_name");
  CHECK(std::string_view(third["from_host"].get_string().value()) == "PC-A");
  CHECK(third["evidence"]["record_id"].get_int64().value() == 103);
  // The order: PC-A's first record (01:00) before PC-B's (03:00).
  CHECK(std::string_view(m["touch_order"].at(0).get_string().value()) == "PC-A");
  CHECK(std::string_view(m["touch_order"].at(1).get_string().value()) == "PC-B");
  CHECK(m["pcs"].at(2)["readable"].get_bool().value() == false);
  // The shared hash cites the Amcache entry on each PC.
  CHECK(m["shared_files"].at(0)["evidence"].at(1)["entry"].get_int64().value() == 12);

  // Merged timeline: 1(A) 2(B) 2(B, had no host) 3(A) 5(A) 6(B); WIN-B kept as bundle_host.
  std::istringstream tl(kk_test::read_file(d + "/case-timeline.jsonl"));
  std::string line, hosts;
  while (std::getline(tl, line)) {
    simdjson::dom::element e = p.parse(line).value();
    hosts += std::string(e["host"].get_string().value()) + ",";
    if (std::string_view(e["host"].get_string().value()) == "PC-B" &&
        e["timestamp"].get_int64().value() == 6)
      CHECK(std::string_view(e["bundle_host"].get_string().value()) == "WIN-B");
  }
  CHECK(hosts == "PC-A,PC-B,PC-B,PC-A,PC-A,PC-B,");

  const std::string html = kk_test::read_file(d + "/case-notice.html");
  CHECK(kk_test::all_text_filled(html));
  CHECK(html.find("PC-A (192.168.1.10)") != std::string::npos);
  CHECK(html.find("PC-B: Evtx/Security.evtx #100") != std::string::npos);
  CHECK(html.find("PC-A (コンピューター名 pc-a)") != std::string::npos);
  fs::remove_all(d);
}
