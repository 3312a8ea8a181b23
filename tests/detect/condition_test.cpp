// Sigma conditions, logsource routing and rule loading.
#include <doctest/doctest.h>

#include "detect/rule.hpp"
#include "detect/seen_set.hpp"
#include "test_support.hpp"

using namespace kk_detect_test;

namespace {

bool fires(const std::string& detection, const std::string& data) {
  kk::Diagnostics diag("test");
  kk::detect::Options o;
  o.builtin = false;
  kk::detect::Detector d(o, diag);
  auto st = load_one(d, proc_rule(detection));
  REQUIRE_MESSAGE(st.status == "loaded", st.reason);
  REQUIRE(d.add_json(sysmon1(data)));
  return Findings(d.finish()).count_of("test-rule") == 1;
}

const char* kSels =
    "  sel_a:\n    Image|endswith: '\\a.exe'\n"
    "  sel_b:\n    CommandLine|contains: 'bbb'\n"
    "  filter_c:\n    User: 'SYSTEM'\n";

}  // namespace

TEST_CASE("and / or / not with parentheses and precedence") {
  std::string d = kSels;
  CHECK(fires(d + "  condition: sel_a and not filter_c\n", R"("Image":"C:\\a.exe","User":"bob")"));
  CHECK_FALSE(
      fires(d + "  condition: sel_a and not filter_c\n", R"("Image":"C:\\a.exe","User":"SYSTEM")"));
  // not binds tighter than and, and tighter than or: "sel_b or sel_a and filter_c"
  CHECK(fires(d + "  condition: sel_b or sel_a and filter_c\n", R"("CommandLine":"bbb")"));
  CHECK_FALSE(fires(d + "  condition: (sel_b or sel_a) and filter_c\n", R"("CommandLine":"bbb")"));
  CHECK(fires(d + "  condition: not (sel_a or sel_b)\n", R"("Image":"C:\\z.exe")"));
}

TEST_CASE("1 of / all of with wildcards and them") {
  std::string d = kSels;
  CHECK(fires(d + "  condition: 1 of sel_*\n", R"("CommandLine":"bbb")"));
  CHECK_FALSE(fires(d + "  condition: all of sel_*\n", R"("CommandLine":"bbb")"));
  CHECK(fires(d + "  condition: all of sel_*\n", R"("Image":"C:\\a.exe","CommandLine":"bbb")"));
  CHECK(fires(d + "  condition: 1 of them\n", R"("User":"SYSTEM")"));
  CHECK_FALSE(
      fires(d + "  condition: all of them\n", R"("Image":"C:\\a.exe","CommandLine":"bbb")"));
  CHECK(fires(d + "  condition: 2 of them\n", R"("Image":"C:\\a.exe","User":"SYSTEM")"));
}

TEST_CASE("a list of maps is OR; keywords search every field") {
  std::string d =
      "  sel:\n    - Image|endswith: '\\a.exe'\n    - CommandLine: 'x'\n  kw:\n    - 'mimikatz'\n";
  CHECK(fires(d + "  condition: sel\n", R"("CommandLine":"X")"));
  CHECK_FALSE(fires(d + "  condition: sel\n", R"("CommandLine":"y")"));
  CHECK(fires(d + "  condition: kw\n", R"("ParentCommandLine":"run MimiKatz.exe now")"));
  CHECK_FALSE(fires(d + "  condition: kw\n", R"("ParentCommandLine":"run")"));
}

TEST_CASE("unsupported constructs skip the rule with the reason") {
  kk::Diagnostics diag("test");
  kk::detect::Options o;
  o.builtin = false;
  kk::detect::Detector d(o, diag);
  auto agg = load_one(
      d, proc_rule("  sel:\n    Image: x\n  condition: sel | count() by Image > 5\n", "r1"));
  CHECK(agg.status == "skipped");
  CHECK(agg.reason.find("aggregation") != std::string::npos);
  auto unknown = load_one(d, proc_rule("  sel:\n    Image: x\n  condition: sel and other\n", "r2"));
  CHECK(unknown.status == "skipped");
  CHECK(unknown.reason.find("unknown selection \"other\"") != std::string::npos);
  auto corr = load_one(d, "title: c\nid: r3\ncorrelation: {type: event_count}\n");
  CHECK(corr.status == "skipped");
  auto linux_rule = load_one(d,
                             "title: l\nid: r4\nlogsource: {product: linux, service: "
                             "auth}\ndetection:\n  s: {a: b}\n  condition: s\n");
  CHECK(linux_rule.status == "foreign");
  auto etw = load_one(d,
                      "title: e\nid: r5\nlogsource: {product: windows, category: "
                      "file_access}\ndetection:\n  s: {a: b}\n  condition: s\n");
  CHECK(etw.status == "skipped");
}

TEST_CASE("process_creation runs on Security 4688 with Sysmon field names mapped") {
  kk::Diagnostics diag("test");
  kk::detect::Options o;
  o.builtin = false;
  kk::detect::Detector d(o, diag);
  REQUIRE(load_one(d, proc_rule("  sel:\n    Image|endswith: '\\whoami.exe'\n    "
                                "ParentImage|endswith: '\\cmd.exe'\n  condition: sel\n"))
              .status == "loaded");
  // Needs OriginalFileName, which 4688 does not have: Sysmon only.
  REQUIRE(load_one(d, proc_rule("  sel:\n    OriginalFileName: 'whoami.exe'\n  condition: sel\n",
                                "sysmon-only"))
              .status == "loaded");
  std::string rec =
      R"({"artifact":"evtx","source":"s.evtx","record_id":7,"time":"2024-05-01T00:00:00Z","event_id":4688,"provider":"Microsoft-Windows-Security-Auditing","channel":"Security","data":{"NewProcessName":"C:\\Windows\\System32\\whoami.exe","ParentProcessName":"C:\\Windows\\System32\\cmd.exe","OriginalFileName":"whoami.exe"}})";
  REQUIRE(d.add_json(rec));
  Findings f(d.finish());
  CHECK(f.count_of("test-rule") == 1);
  CHECK(f.count_of("sysmon-only") == 0);
}

TEST_CASE("service rules route by channel, EventID values pre-index") {
  kk::Diagnostics diag("test");
  kk::detect::Options o;
  o.builtin = false;
  kk::detect::Detector d(o, diag);
  REQUIRE(load_one(d,
                   "title: s\nid: sec\nlogsource: {product: windows, service: "
                   "security}\ndetection:\n  s:\n    EventID: 1102\n  condition: s\n")
              .status == "loaded");
  REQUIRE(d.add_json(
      R"({"artifact":"evtx","source":"a","record_id":1,"time":"2024-01-01T00:00:00Z","event_id":1102,"channel":"Security","data":{}})"));
  REQUIRE(d.add_json(
      R"({"artifact":"evtx","source":"a","record_id":2,"time":"2024-01-01T00:00:00Z","event_id":1102,"channel":"System","data":{}})"));
  REQUIRE(d.add_json(
      R"({"artifact":"evtx","source":"a","record_id":3,"time":"2024-01-01T00:00:00Z","event_id":104,"channel":"Security","data":{}})"));
  // the same record again (e.g. once from parse-evtx, once as a timeline event) counts once
  REQUIRE(d.add_json(
      R"({"artifact":"evtx","source":"a","record_id":1,"time":"2024-01-01T00:00:00Z","event_id":1102,"channel":"Security","data":{}})"));
  Findings f(d.finish());
  CHECK(f.count_of("sec") == 1);
  CHECK(d.stats().duplicates == 1);
}

TEST_CASE("a record no rule selects is matched no further; duplicates and suspects still seen") {
  kk::Diagnostics diag("test");
  kk::detect::Options o;
  o.builtin = false;
  auto security_rule = [](kk::detect::Detector& d) {
    REQUIRE(load_one(d,
                     "title: s\nid: sec\nlogsource: {product: windows, service: "
                     "security}\ndetection:\n  s:\n    EventID: 1102\n  condition: s\n")
                .status == "loaded");
  };
  // No rule for System, none for Security 104; a Security 1102 is matched.
  const std::string system_rec =
      R"({"artifact":"evtx","source":"a","record_id":1,"time":"2024-01-01T00:00:00Z","event_id":7045,"channel":"System","data":{"ImagePath":"C:\\x\\Flash_update.exe"}})";
  const std::string security_104 =
      R"({"artifact":"evtx","source":"a","record_id":2,"time":"2024-01-01T00:00:00Z","event_id":104,"channel":"Security","data":{}})";
  const std::string security_1102 =
      R"({"artifact":"evtx","source":"a","record_id":3,"time":"2024-01-01T00:00:00Z","event_id":1102,"channel":"Security","data":{}})";
  // Without "data" the time is read from the record's fields: the key needs them.
  const std::string time_in_field =
      R"({"artifact":"evtx","source":"a","record_id":4,"channel":"System","event_id":1,"time":"2024-01-02T00:00:00Z"})";
  {
    kk::detect::Detector d(o, diag);
    security_rule(d);
    for (const std::string* r :
         {&system_rec, &system_rec, &security_104, &security_1102, &time_in_field, &time_in_field})
      REQUIRE(d.add_json(*r));
    Findings f(d.finish());
    CHECK(f.count_of("sec") == 1);
    CHECK(d.stats().records == 6);
    CHECK(d.stats().duplicates == 2);  // one with its key in the header, one in its fields
    CHECK(d.stats().unselected == 3);  // System, Security 104, the record dated by a field
    CHECK(d.stats().evaluations == 1);
  }
  {  // a suspect is looked for in every record, selected or not
    kk::detect::Options so = o;
    so.suspects = {"Flash_update.exe"};
    kk::detect::Detector d(so, diag);
    security_rule(d);
    REQUIRE(d.add_json(system_rec));
    REQUIRE(d.add_json(security_1102));
    const std::string out = d.finish();
    CHECK(out.find("Flash_update.exe") != std::string::npos);
    CHECK(d.stats().unselected == 1);
  }
}

TEST_CASE("SeenSet: every key once, through growth; 0 is a key like any other") {
  kk::detect::SeenSet s;
  for (std::uint64_t k = 0; k < 100000; ++k) REQUIRE(s.insert(k * 0x9E3779B97F4A7C15ull));
  CHECK(s.size() == 100000);
  for (std::uint64_t k = 0; k < 100000; k += 7) CHECK_FALSE(s.insert(k * 0x9E3779B97F4A7C15ull));
  CHECK(s.size() == 100000);
  // Sequential keys (record ids) spread too: no clustering slowdown, no false "seen".
  kk::detect::SeenSet ids;
  for (std::uint64_t k = 1; k <= 50000; ++k) REQUIRE(ids.insert(k));
  CHECK_FALSE(ids.insert(25000));
  CHECK(ids.insert(50001));
  CHECK(ids.insert(0));
  CHECK_FALSE(ids.insert(0));
  CHECK(ids.size() == 50002);
}
