// filter-window: time bounds across time zones, text/tag/artifact filters, unsorted
// input, and "what did the suspect do".
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <fstream>

#include "core/time.hpp"
#include "timeline/window.hpp"
#include "timeline_test_util.hpp"

using namespace kk::timeline;

namespace {
std::string event(const std::string& iso, const std::string& extra) {
  kk::UtcMicros t = *kk::parse_user_time(iso, "UTC");
  return "{\"datetime\":\"" + kk::format_iso(t) + "\",\"timestamp\":" + std::to_string(t) +
         ",\"timestamp_desc\":\"Event Recorded\"," + extra + "}\n";
}

std::string write_temp(const std::string& text) {
  std::string p = kk_test::temp_file();
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

std::vector<std::string> run(WindowOptions opt, const std::string& input,
                             WindowStats* stats = nullptr) {
  std::string path = write_temp(input), out_path = kk_test::temp_file();
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  {
    kk::Output out;
    std::string err;
    out.open(out_path, &err);
    WindowFilter f(opt);
    f.run({path}, out, diag);
    out.close();
    if (stats) *stats = f.stats();
  }
  auto lines = kk_test::split_lines(kk_test::read_file(out_path));
  std::remove(path.c_str());
  std::remove(out_path.c_str());
  return lines;
}

std::string ids(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) {
    auto p = l.find("\"id\":\"");
    if (p != std::string::npos) s += l.substr(p + 6, l.find('"', p + 6) - p - 6) + " ";
  }
  return s;
}
}  // namespace

TEST_CASE("an anchor in +09:00 (or read in Asia/Tokyo) keeps exactly the right UTC events") {
  std::string in =
      event("2024-04-28T02:59:59.999999Z",
            "\"id\":\"too-early\",\"artifact\":\"evtx\",\"tags\":[]") +
      event("2024-04-28T03:00:00Z", "\"id\":\"first\",\"artifact\":\"evtx\",\"tags\":[]") +
      event("2024-05-01T03:00:00Z", "\"id\":\"anchor\",\"artifact\":\"evtx\",\"tags\":[]") +
      event("2024-05-01T04:00:00Z", "\"id\":\"last\",\"artifact\":\"evtx\",\"tags\":[]") +
      event("2024-05-01T04:00:00.000001Z", "\"id\":\"too-late\",\"artifact\":\"evtx\",\"tags\":[]");
  for (auto [text, tz] :
       {std::pair{"2024-05-01 12:00 +09:00", "UTC"}, std::pair{"2024-05-01T12:00:00+0900", "UTC"},
        std::pair{"2024-05-01 12:00", "Asia/Tokyo"}}) {
    WindowOptions opt;
    opt.anchor = *kk::parse_user_time(text, tz);
    opt.before = *kk::parse_duration("3d");
    opt.after = *kk::parse_duration("1h");
    WindowStats s;
    CHECK(ids(run(opt, in, &s)) == "first anchor last ");
    CHECK(s.before_window == 1);
    CHECK(s.after_window == 1);
  }
  WindowOptions open_after;
  open_after.anchor = *kk::parse_user_time("2024-05-01 12:00 +09:00");
  CHECK(ids(run(open_after, in)) == "first anchor last too-late ");  // --after unbounded
  WindowOptions absolute;
  absolute.since = *kk::parse_user_time("2024-05-01 12:00", "Asia/Tokyo");
  absolute.until = *kk::parse_user_time("2024-05-01T04:00:00Z");
  CHECK(ids(run(absolute, in)) == "anchor last ");
}

TEST_CASE("--match (OR, case-insensitive), --tag, --artifact; unsorted input") {
  std::string in =
      event("2024-05-01T03:00:00Z",
            "\"id\":\"a\",\"artifact\":\"evtx\",\"tags\":[\"logon\"],\"message\":\"4624 alice\"") +
      event("2024-04-30T03:00:00Z",
            "\"id\":\"b\",\"artifact\":\"prefetch\",\"tags\":[\"execution\"],\"message\":"
            "\"MIMIKATZ.EXE executed\"") +
      event("2024-05-01T02:00:00Z",
            "\"id\":\"c\",\"artifact\":\"mft\",\"tags\":[],\"message\":\"x\",\"path\":"
            "\"\\\\Temp\\\\Mimikatz.exe\"") +
      event("2024-04-29T03:00:00Z",
            "\"id\":\"d\",\"artifact\":\"evtx\",\"tags\":[\"logon\"],\"message\":\"4624 bob\"");
  WindowOptions opt;
  opt.anchor = *kk::parse_user_time("2024-05-01T03:00:00Z");
  opt.match = {"mimikatz", "ALICE"};
  WindowStats s;
  CHECK(ids(run(opt, in, &s)) == "a b c ");
  CHECK(s.filtered == 1);
  CHECK(s.per_artifact["prefetch"] == 1);
  opt.match.clear();
  opt.tags = {"logon"};
  CHECK(ids(run(opt, in)) == "a d ");
  opt.tags.clear();
  opt.artifacts = {"mft", "prefetch"};
  CHECK(ids(run(opt, in)) == "b c ");
}

TEST_CASE("keep() (triage, in-process) judges and counts exactly as run()") {
  std::string in =
      event("2024-05-01T03:00:00Z",
            "\"id\":\"a\",\"artifact\":\"evtx\",\"tags\":[\"logon\"],\"message\":\"4624 alice\"") +
      event("2024-04-30T03:00:00Z",
            "\"id\":\"b\",\"artifact\":\"prefetch\",\"tags\":[\"execution\"]") +
      event("2024-05-09T02:00:00Z", "\"id\":\"c\",\"artifact\":\"mft\",\"tags\":[]") +
      event("2024-04-20T03:00:00Z", "\"id\":\"d\",\"artifact\":\"evtx\",\"tags\":[\"logon\"]") +
      "{\"no\":\"time\"}\n";
  WindowOptions opt;
  opt.anchor = *kk::parse_user_time("2024-05-01T03:00:00Z");
  opt.after = 86400LL * 1000000;
  opt.tags = {"logon", "execution"};
  WindowStats by_run;
  std::string via_run = ids(run(opt, in, &by_run));
  WindowFilter f(opt);
  std::vector<std::string> kept;
  simdjson::dom::parser p;
  for (const auto& line : kk_test::split_lines(in)) {
    simdjson::dom::element e;
    REQUIRE(p.parse(line).get(e) == simdjson::SUCCESS);
    // As triage does: the time alone decides most events, the rest are parsed.
    std::int64_t ts;
    if (e["timestamp"].get(ts) == simdjson::SUCCESS && f.outside(ts)) continue;
    if (f.keep(e)) kept.push_back(line);
  }
  CHECK(ids(kept) == via_run);
  CHECK(via_run == "a b ");
  const WindowStats& s = f.stats();
  CHECK(s.read == by_run.read);
  CHECK(s.kept == by_run.kept);
  CHECK(s.before_window == by_run.before_window);
  CHECK(s.after_window == by_run.after_window);
  CHECK(s.invalid == by_run.invalid);
  CHECK(s.per_tag == by_run.per_tag);
  opt.suspects = {"x.exe"};
  WindowFilter with_suspect(opt);
  simdjson::dom::element e;
  REQUIRE(p.parse(std::string("{}")).get(e) == simdjson::SUCCESS);
  CHECK_THROWS_AS(with_suspect.keep(e), std::logic_error);
}

TEST_CASE("--around-suspect: the file, its processes (GUID or pid+time) and descendants") {
  auto sysmon = [](const std::string& id, int eid, const std::string& rest) {
    return "\"id\":\"" + id +
           "\",\"artifact\":\"evtx\",\"tags\":[],\"event_id\":" + std::to_string(eid) +
           ",\"provider\":\"Microsoft-Windows-Sysmon\"," + rest;
  };
  auto security = [](const std::string& id, const std::string& rest) {
    return "\"id\":\"" + id +
           "\",\"artifact\":\"evtx\",\"tags\":[],\"event_id\":4688,"
           "\"provider\":\"Microsoft-Windows-Security-Auditing\"," +
           rest;
  };
  // Input deliberately out of time order: a child appears before its parent.
  std::string in =
      event(
          "2024-05-01T01:05:00Z",
          sysmon("child", 1,
                 "\"message\":\"cmd\",\"process\":\"C:\\\\Windows\\\\System32\\\\cmd.exe\",\"pid\":"
                 "200,\"process_guid\":\"{G2}\",\"parent_pid\":100,\"parent_guid\":\"{G1}\"")) +
      event(
          "2024-05-01T01:00:00Z",
          sysmon(
              "start", 1,
              "\"message\":\"p\",\"process\":\"C:\\\\Users\\\\a\\\\Downloads\\\\evil.exe\",\"pid\":"
              "100,\"process_guid\":\"{G1}\",\"parent_pid\":50,\"parent_guid\":\"{G0}\"")) +
      event("2024-05-01T01:06:00Z",
            sysmon("child-net", 3,
                   "\"message\":\"net\",\"process\":\"C:\\\\Windows\\\\System32\\\\cmd.exe\","
                   "\"pid\":200,\"process_guid\":\"{G2}\"")) +
      event("2024-05-01T01:07:00Z",
            sysmon("grandchild", 1,
                   "\"message\":\"whoami\",\"process\":\"C:\\\\Windows\\\\System32\\\\whoami.exe\","
                   "\"pid\":300,\"process_guid\":\"{G3}\",\"parent_pid\":200,\"parent_guid\":\"{G2}"
                   "\"")) +
      event("2024-05-01T01:08:00Z",
            sysmon("other", 3,
                   "\"message\":\"svchost\",\"process\":\"C:\\\\Windows\\\\System32\\\\svchost."
                   "exe\",\"pid\":999,\"process_guid\":\"{G9}\"")) +
      event("2024-05-01T02:00:00Z",
            security("sec-start",
                     "\"message\":\"4688\",\"process\":\"C:\\\\Temp\\\\EVIL.EXE\",\"pid\":1280,"
                     "\"parent_pid\":4")) +
      event("2024-05-01T02:05:00Z",
            security("sec-child",
                     "\"message\":\"4688\",\"process\":\"C:\\\\Windows\\\\System32\\\\net.exe\","
                     "\"pid\":1400,\"parent_pid\":1280")) +
      event("2024-05-03T02:05:00Z",
            security("pid-reused-later",
                     "\"message\":\"4688\",\"process\":\"C:\\\\Windows\\\\System32\\\\net.exe\","
                     "\"pid\":1500,\"parent_pid\":1280")) +
      event("2024-05-01T00:30:00Z",
            "\"id\":\"prefetch\",\"artifact\":\"prefetch\",\"tags\":[],\"message\":\"EVIL.EXE "
            "executed\"") +
      event("2024-05-01T00:31:00Z",
            "\"id\":\"not-a-name-match\",\"artifact\":\"mft\",\"tags\":[],\"message\":\"x\","
            "\"path\":\"\\\\Temp\\\\notevil.exe\"");
  WindowOptions opt;
  opt.anchor = *kk::parse_user_time("2024-05-04T00:00:00Z");
  opt.suspects = {"evil.exe"};
  opt.pid_window = *kk::parse_duration("12h");
  WindowStats s;
  CHECK(ids(run(opt, in, &s)) == "child start child-net grandchild sec-start sec-child prefetch ");
  CHECK(s.filtered == 3);
}

TEST_CASE("filter-window tool: repeated options take one value each, stats as JSON") {
  std::string bin = std::string(KK_BIN_DIR) + "/filter-window";
  if (!std::ifstream(bin)) {
    MESSAGE("skipped: filter-window not built");
    return;
  }
  std::string in = write_temp(
      event("2024-05-01T03:00:00Z",
            "\"id\":\"a\",\"artifact\":\"evtx\",\"tags\":[\"logon\"],\"message\":\"m\"") +
      event("2024-05-01T03:00:01Z",
            "\"id\":\"b\",\"artifact\":\"mft\",\"tags\":[],\"message\":\"m\"") +
      event("2024-04-01T03:00:00Z",
            "\"id\":\"c\",\"artifact\":\"mft\",\"tags\":[],\"message\":\"m\""));
  std::string out = kk_test::temp_file(), stats = kk_test::temp_file();
  std::string cmd = "'" + bin + "' --anchor '2024-05-01 12:00 +09:00' --tag logon --tag x '" + in +
                    "' -o '" + out + "' --stats '" + stats + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(ids(kk_test::split_lines(kk_test::read_file(out))) == "a ");
  CHECK(kk_test::read_file(stats) ==
        "{\"artifact\":\"window_stats\",\"from\":\"2024-04-28T03:00:00.000000Z\",\"to\":null,"
        "\"anchor\":\"2024-05-01T03:00:00.000000Z\",\"read\":3,\"kept\":1,\"before_window\":1,"
        "\"after_window\":0,\"filtered\":1,\"invalid\":0,\"per_artifact\":{\"evtx\":1},"
        "\"per_tag\":{\"logon\":1}}\n");
  // No anchor: no time cut (issue #20; it was a usage error).
  std::string all = "'" + bin + "' --quiet '" + in + "' -o '" + out + "'";
  CHECK(WEXITSTATUS(std::system(all.c_str())) == 0);
  CHECK(ids(kk_test::split_lines(kk_test::read_file(out))) == "a b c ");
  std::string bad = "'" + bin + "' --quiet --before 3d '" + in + "' > /dev/null 2>&1";
  CHECK(WEXITSTATUS(std::system(bad.c_str())) == 2);  // --before without an anchor
  // Japanese users type JST (= +09:00); UTC is Z.
  for (const char* anchor : {"2024-05-01 12:00 JST", "2024-05-01 03:00 UTC"}) {
    std::string jst = "'" + bin + "' --quiet --anchor '" + anchor + "' --before 1h --after 0s '" +
                      in + "' -o '" + out + "'";
    CHECK(WEXITSTATUS(std::system(jst.c_str())) == 0);
    CHECK(ids(kk_test::split_lines(kk_test::read_file(out))) == "a ");
  }
  for (const auto& p : {in, out, stats}) std::remove(p.c_str());
}
