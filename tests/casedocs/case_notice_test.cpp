// The case notice on two PCs triaged from the bundled sample (the second a copy of the first
// under another name, as two PCs infected from the same source look): the suspect file and
// the IOCs are found on both, every line of case-timeline.jsonl carries its PC and the file
// is in time order; the notice and the 業務完了通知書 print on A4 with Chromium.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <fstream>
#include <set>

#include "../test_util.hpp"
#include "case_fixture.hpp"
#include "casedocs/casedocs.hpp"
#include "doc_checks.hpp"

using namespace kk::casedocs;

TEST_CASE(
    "case notice: two PCs share the suspect file and IOCs; one timeline, host on every line") {
  const std::string casedir = kk_test::two_pc_case();
  const kk::notice::CaseFile cf = kk_test::sample_case();
  CaseNoticeRequest rq;
  rq.case_id = "KK-SAMPLE-0001";
  rq.pcs = {{"PC01", casedir + "/PC01", "done"}, {"PC02", casedir + "/PC02", "done"}};
  rq.case_file = &cf;
  rq.issued_at = *kk::parse_user_time("2019-10-01T00:00:00Z", "UTC");
  kk::CaseDir::Policy policy;
  policy.allow_content = true;
  auto dir = kk::CaseDir::open(casedir, policy);
  REQUIRE(dir.ok());
  kk::Diagnostics diag("cases");
  diag.set_stderr_limit(0);
  auto sum = write_case_notice(*dir, rq, diag);
  if (!sum) FAIL(sum.error().message);
  CHECK(sum->pcs == 2);
  CHECK(sum->pcs_unreadable == 0);
  CHECK(sum->shared_files >= 2);     // the suspect file's path and name at least
  CHECK(sum->shared_iocs >= 2);      // the Atomic Red Team URLs and domains
  CHECK(sum->cross_pc_logons == 0);  // both PCs have the same address: a PC's own, not another's
  CHECK(sum->files.size() == 4);

  simdjson::dom::parser p;
  const std::string json = kk_test::read_file(casedir + "/case-notice.json");
  simdjson::dom::element m = p.parse(json).value();
  // The sample's suspect (Defender's detection) appears on both, with a record on each.
  simdjson::dom::array suspects = m["suspects"].get_array().value();
  REQUIRE(suspects.size() >= 1);
  simdjson::dom::element s0 = suspects.at(0).value();
  CHECK(std::string_view(s0["value"].get_string().value()).ends_with("Get-Keystrokes.ps1"));
  CHECK(s0["hosts"].get_array().value().size() == 2);
  simdjson::dom::element ev = s0["evidence"].at(1).value();
  CHECK(std::string_view(ev["host"].get_string().value()) == "PC02");
  CHECK(std::string_view(ev["source"].get_string().value()) ==
        "Evtx/Microsoft-Windows-Windows Defender%4Operational.evtx");
  CHECK(ev["record_id"].get_int64().value() == 37);
  // Shared IOCs: raw.githubusercontent.com on both.
  bool domain = false;
  simdjson::dom::array shared = m["shared_iocs"].get_array().value();
  for (auto x : shared)
    if (std::string_view(x["value"].get_string().value()) == "raw.githubusercontent.com")
      domain = x["hosts"].get_array().value().size() == 2;
  CHECK(domain);
  // Both PCs touched; the order names both, the first touch is a record in the window.
  CHECK(m["touch_order"].get_array().value().size() == 2);
  simdjson::dom::element pc1 = m["pcs"].at(0).value();
  CHECK(std::string_view(pc1["overall"].get_string().value()) == "compromised_likely");
  CHECK(std::string_view(pc1["bundle_host"].get_string().value()) == "MSEDGEWIN10");
  CHECK(std::string_view(pc1["own_ips"].at(0).get_string().value()) == "10.0.2.15");
  CHECK(pc1["first_touch"]["record_id"].get_int64().error() == simdjson::SUCCESS);

  // case-timeline.jsonl: twice the PC's events, host on every line, in time order.
  std::ifstream tl(casedir + "/case-timeline.jsonl");
  std::string line;
  std::uint64_t lines = 0, pc1_lines = 0;
  std::int64_t last = INT64_MIN;
  bool ordered = true, hosts_ok = true;
  while (std::getline(tl, line)) {
    ++lines;
    simdjson::dom::element e = p.parse(line).value();
    const std::string_view host = e["host"].get_string().value();
    hosts_ok &= host == "PC01" || host == "PC02";
    pc1_lines += host == "PC01";
    const std::int64_t ts = e["timestamp"].get_int64().value();
    ordered &= ts >= last;
    last = ts;
  }
  CHECK(hosts_ok);
  CHECK(ordered);
  CHECK(lines == sum->timeline_events);
  CHECK(pc1_lines * 2 == lines);
  std::uint64_t pc_lines = 0;
  std::ifstream one(casedir + "/PC01/timeline.jsonl");
  while (std::getline(one, line)) ++pc_lines;
  CHECK(pc1_lines == pc_lines);

  const std::string html = kk_test::read_file(casedir + "/case-notice.html");
  CHECK(kk_test::all_text_filled(html));
  // Both copies were first touched at the same time: neither is called the first.
  CHECK(html.find("最初に不審な動きが記録された時刻は PC01、PC02 で同じです") != std::string::npos);
  CHECK(html.find("PC01/notice.html") != std::string::npos);
  CHECK(html.find("Evtx/Microsoft-Windows-Windows Defender%4Operational.evtx #37") !=
        std::string::npos);
  CHECK(html.find("raw.githubusercontent[.]com") != std::string::npos);  // defanged
  CHECK(kk_test::all_text_filled(kk_test::read_file(casedir + "/case-notice.md")));
}
