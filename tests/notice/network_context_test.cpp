// Chapter 2.8 and the customer's network logs: a medium or informational network-log
// finding corroborates a PC-side record about the same destination and is cited beside it;
// any other decides nothing and is shown as context (参考).
#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>

#include "notice_fixture.hpp"

using namespace kk::notice;

namespace {

// A network-log finding of RULE (post_infection, SEVERITY) for one line to DST at 02:MM UTC,
// before the fixture's detection (2024-05-01 03:34:56 UTC), where its window ends.
std::string netlog_finding(const std::string& rule, const std::string& severity,
                           const std::string& dst, int minute, int offset) {
  const std::string t = "2024-05-01T02:" + std::to_string(minute) + ":00Z";
  return R"({"artifact":"finding","id":")" + rule + R"(#1","rule":{"id":")" + rule +
         R"(","source":"builtin"},"question":"post_infection","severity":")" + severity +
         R"(","title":"network log line","time":{"first":")" + t + R"(","last":")" + t +
         R"("},"evidence":[{"artifact":"netlog","source":"netlog/fw.log","offset":)" +
         std::to_string(offset) + R"(,"time":")" + t + R"(","summary":"fw: 10.0.0.5 -> )" + dst +
         R"(:443","fields":{"direction":"outbound","dst_ip":")" + dst +
         R"(","src_ip":"10.0.0.5","dst_port":"443"}}]})";
}

// PowerShell connecting out (Sysmon 3) to DST: post-infection evidence of its own.
std::string sysmon3(const std::string& dst) {
  return R"({"datetime":"2024-05-01T02:10:00.000000Z","timestamp":1714529400000000,"timestamp_desc":"Event Recorded","artifact":"evtx","source":"Evtx/Microsoft-Windows-Sysmon%4Operational.evtx","record_id":77,"channel":"Microsoft-Windows-Sysmon/Operational","provider":"Microsoft-Windows-Sysmon","event_id":3,"message":"Sysmon 3 Network connection","process":"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe","dst_ip":")" +
         dst + R"(","dst_port":443})";
}

struct Question {
  std::string verdict, statement;
  std::size_t evidence = 0, context = 0;
  std::int64_t context_total = 0;
  std::string evidence_text, context_text;
};

Question post_infection(NoticeInputs& in) {
  auto c = kk_test::fixture_case();
  RenderOptions opt;
  opt.format = Format::kJson;
  const std::string json = render_notice(c, in, opt);
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(json).value();
  Question q;
  for (simdjson::dom::element e : doc["questions"].get_array()) {
    if (std::string_view(e["id"].get_string().value()) != "post_infection") continue;
    q.verdict = std::string(e["verdict"].get_string().value());
    q.statement = std::string(e["statement"].get_string().value());
    q.evidence = e["evidence"].get_array().size();
    q.evidence_text = simdjson::to_string(e["evidence"]);
    simdjson::dom::array ctx;
    if (e["context"].get_array().get(ctx) == simdjson::SUCCESS) {
      q.context = ctx.size();
      q.context_text = simdjson::to_string(ctx);
      q.context_total = e["context_total"].get_int64().value();
    }
  }
  return q;
}

}  // namespace

TEST_CASE("network-log findings alone decide nothing: they are context, the verdict stays") {
  kk::Diagnostics diag("test");
  NoticeInputs in;
  in.add_line(netlog_finding("KK-NET-002", "medium", "203.0.113.5", 30, 0), "t", 1, diag);
  in.add_line(netlog_finding("KK-NET-006", "medium", "198.51.100.20", 40, 512), "t", 2, diag);
  Question q = post_infection(in);
  CHECK(q.verdict != "found");
  CHECK(q.evidence == 0);
  CHECK(q.context == 2);
  CHECK(q.context_total == 2);
  CHECK(q.context_text.find("\"offset\":512") != std::string::npos);
  CHECK(q.statement.find("確認をお勧めする通信の記録が 2 件") != std::string::npos);
}

TEST_CASE("a network-log line about a destination the PC's cited records reach is evidence") {
  kk::Diagnostics diag("test");
  NoticeInputs in;
  in.add_line(sysmon3("203.0.113.50"), "t", 1, diag);
  in.add_line(netlog_finding("KK-NET-005", "info", "203.0.113.50", 11, 1351), "t", 2, diag);
  in.add_line(netlog_finding("KK-NET-002", "medium", "203.0.113.5", 30, 0), "t", 3, diag);
  Question q = post_infection(in);
  CHECK(q.verdict == "found");
  CHECK(q.evidence == 2);  // the Sysmon record and the firewall's line about its destination
  CHECK(q.evidence_text.find("\"offset\":1351") != std::string::npos);
  CHECK(q.evidence_text.find("KK-NET-005#1") != std::string::npos);
  CHECK(q.context == 1);
  CHECK(q.context_text.find("KK-NET-002#1") != std::string::npos);
  CHECK(q.statement.find("痕跡が 2 件") != std::string::npos);

  // The body prints the context apart, under its own label.
  auto c = kk_test::fixture_case();
  const std::string html = render_notice(c, in, RenderOptions{});
  const auto at = html.find("id=\"q-post_infection\"");
  REQUIRE(at != std::string::npos);
  const std::string chapter = html.substr(at, html.find("id=\"q-tampering\"") - at);
  CHECK(chapter.find("参考（この項目に関係しますが、判断の根拠にはしていない記録）") !=
        std::string::npos);
  CHECK(chapter.find("203.0.113") != std::string::npos);  // defanged only when an IOC
  CHECK(chapter.find("ネットワーク機器のログ、netlog/fw.log @0x0") != std::string::npos);
}

// A network-security product's detection of a download to the PC: the finding's IOC list
// names both ends, the outside server and the PC itself.
static std::string inbound_detection(const std::string& pc) {
  const std::string t = "2024-05-01T02:20:00Z";
  return R"J({"artifact":"finding","id":"KK-NET-001#1","rule":{"id":"KK-NET-001","source":"builtin"},)J"
         R"J("question":"file_origin","severity":"high","title":"detection",)J"
         R"J("time":{"first":")J" +
         t + R"J(","last":")J" + t +
         R"J("},"evidence":[{"artifact":"netlog","source":"netlog/fw.log","offset":782,"time":")J" +
         t + R"J(","summary":"fw: EICAR (203.0.113.8 -> )J" + pc +
         R"J()","fields":{"threat":"EICAR","product":"fortigate","direction":"inbound",)J"
         R"J("src_ip":"203.0.113.8","dst_ip":")J" +
         pc + R"J("}}],"iocs":{"ips":[")J" + pc + R"J(","203.0.113.8"]}})J";
}

static std::string iocs_json(NoticeInputs& in) {
  auto c = kk_test::fixture_case();
  RenderOptions opt;
  opt.format = Format::kJson;
  const std::string json = render_notice(c, in, opt);
  simdjson::dom::parser p;
  return simdjson::to_string(p.parse(json).value()["iocs"]);
}

TEST_CASE("the PC's own address is never an IOC, the outside end of its traffic is") {
  kk::Diagnostics diag("test");
  NoticeInputs in;
  in.add_line(inbound_detection("192.168.10.23"), "t", 1, diag);
  // Without the summary triage writes, the notice cannot know which end is the PC.
  CHECK(iocs_json(in).find(R"("value":"192.168.10.23")") != std::string::npos);
  in.add_line(
      R"({"artifact":"netlog_input","source":"netlog/fw.log","product":"fortigate","lines":9,"records":9,"pc_addresses":["192.168.10.23"]})",
      "t", 2, diag);
  const std::string iocs = iocs_json(in);
  CHECK(iocs.find(R"("value":"192.168.10.23")") == std::string::npos);
  CHECK(iocs.find(R"("value":"203.0.113.8")") != std::string::npos);
  // Each IOC cites a record once, however many of its fields name the value.
  CHECK(iocs.find("\"offset\":782") == iocs.rfind("\"offset\":782"));
}

TEST_CASE("a cloud or CDN address is an IOC marked shared, never one to block by address") {
  auto connection = [](const std::string& dst, const std::string& host, int record) {
    return R"({"datetime":"2024-05-01T02:10:00.000000Z","timestamp":1714529400000000,"timestamp_desc":"Event Recorded","artifact":"evtx","source":"Evtx/Microsoft-Windows-Sysmon%4Operational.evtx","record_id":)" +
           std::to_string(record) +
           R"(,"channel":"Microsoft-Windows-Sysmon/Operational","provider":"Microsoft-Windows-Sysmon","event_id":3,"message":"Sysmon 3 Network connection","process":"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe","dst_ip":")" +
           dst + R"(","dst_host":")" + host + R"(","dst_port":443})";
  };
  kk::Diagnostics diag("test");
  NoticeInputs in;
  in.add_line(connection("172.217.17.132", "ams15s30-in-f4.1e100.net", 77), "t", 1, diag);
  in.add_line(connection("203.0.113.50", "evil.example", 78), "t", 2, diag);
  REQUIRE(post_infection(in).verdict == "found");
  const std::string iocs = iocs_json(in);
  CHECK(
      iocs.find(
          R"("value":"172.217.17.132","first_seen":"2024-05-01T02:10:00.000000Z","scope":"shared")") !=
      std::string::npos);
  CHECK(iocs.find(
            R"("value":"203.0.113.50","first_seen":"2024-05-01T02:10:00.000000Z","evidence")") !=
        std::string::npos);  // no scope: one to block
  auto c = kk_test::fixture_case();
  const std::string html = render_notice(c, in, RenderOptions{});
  CHECK(html.find("IP アドレス（クラウド共用: 遮断は URL・ドメインで）") != std::string::npos);
  CHECK(html.find("172.217.17.132") == std::string::npos);  // defanged wherever printed

  // The brief, sent before the notice, names what to block itself: not the shared address.
  RenderOptions brief;
  brief.part = Part::kBrief;
  brief.format = Format::kMarkdown;
  const std::string md = render_notice(c, in, brief);
  CHECK(md.find("遮断し、過去の通信記録に同じ宛先がないかご確認ください: 203.0.113\\[.\\]50（") !=
        std::string::npos);
  CHECK(md.find("172.217.17") == std::string::npos);
  CHECK(md.find("第3章") == std::string::npos);
}

TEST_CASE("a log the customer has and sent is not listed as one not supplied") {
  auto c = kk_test::fixture_case();
  c.flags["available_logs.utm"] = true;
  c.flags["available_logs.proxy"] = true;
  kk::Diagnostics diag("test");
  NoticeInputs in;
  auto limits = [&] {
    const std::string html = render_notice(c, in, RenderOptions{});
    const auto at = html.find("id=\"limitations\"");
    return html.substr(at, html.find("id=\"cover\"") - at);
  };
  std::string before = limits();
  CHECK(before.find("UTM のログがあるとのことですが") != std::string::npos);
  CHECK(before.find("プロキシのログがあるとのことですが") != std::string::npos);
  in.add_line(
      R"({"artifact":"netlog_input","source":"netlog/fw.log","product":"fortigate","product_name":"FortiGate","lines":9,"records":9})",
      "t", 1, diag);
  std::string after = limits();
  CHECK(after.find("UTM のログがあるとのことですが") == std::string::npos);
  CHECK(after.find("プロキシのログがあるとのことですが") != std::string::npos);  // not a proxy
}
