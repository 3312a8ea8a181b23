// detect --format table|csv, --min-level, --color and the summary by level and rule
// (issue #20: what Hayabusa/Chainsaw users expect to read on a terminal).
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "../test_util.hpp"
#include "core/terminal_text.hpp"
#include "detect/finding_table.hpp"

namespace {

std::string finding(std::string_view id, std::string_view severity, std::string_view title,
                    std::string_view first, int count, std::string_view host,
                    std::string_view summary) {
  std::ostringstream s;
  s << R"({"artifact":"finding","source":"Evtx/Security.evtx","id":")" << id << "#1"
    << R"(","question":"intrusion","severity":")" << severity << R"(","title":")" << title
    << R"(","time":{"first":")" << first << R"(","last":")" << first << R"("},"count":)" << count
    << R"(,"rule":{"id":")" << id << R"(","name":")" << title
    << R"(","source":"builtin"},"evidence":[{"artifact":"evtx","source":"Evtx/Security.evtx",)"
    << R"("record_id":7,"offset":null,"time":")" << first << R"(","event_id":4624,"host":")" << host
    << R"(","summary":"4624 )" << summary << R"(","fields":{}}]})"
    << "\n";
  return s.str();
}

const std::string kFindings =
    finding("KK-AV-001", "critical", "Antivirus detection", "2019-07-18T20:40:00.730676Z", 11,
            "MSEDGEWIN10", "Path=C:\\\\AtomicRedTeam\\\\x.ps1") +
    finding("KK-LOGON-001", "high", "外部アドレスからの RDP ログオン", "2019-07-18T21:00:00Z", 3,
            "端末０１", "TargetUserName=太郎 IpAddress=203.0.113.9 LogonType=10") +
    finding("KK-EXEC-002", "medium", "Program in a user-writable folder", "2019-07-18T22:00:00Z", 1,
            "MSEDGEWIN10", "Image=C:\\\\Users\\\\IEUser\\\\AppData\\\\Local\\\\Temp\\\\a.exe") +
    finding("KK-EXEC-002", "medium", "Program in a user-writable folder", "2019-07-18T23:00:00Z", 2,
            "MSEDGEWIN10", "Image=C:\\\\Temp\\\\b.exe") +
    finding("SIGMA-1", "informational", "Hunting rule", "2019-07-18T19:00:00Z", 40, "", "x=1");

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

}  // namespace

TEST_CASE("finding_rows: one row per finding with its host, event id and a short detail") {
  auto rows = kk::detect::finding_rows(kFindings);
  REQUIRE(rows.size() == 5);
  CHECK(rows[1].host == "端末０１");
  CHECK(rows[1].event_id == 4624);
  CHECK(rows[1].count == 3);
  // The event id has its column: the detail does not repeat it.
  CHECK(rows[1].details == "TargetUserName=太郎 IpAddress=203.0.113.9 LogonType=10");
  CHECK(kk::detect::severity_level("informational") == kk::detect::severity_level("info"));
}

TEST_CASE("finding_rows: a finding without time, rule or evidence is a row of blanks") {
  auto rows = kk::detect::finding_rows(
      "{\"artifact\":\"finding\",\"severity\":\"low\",\"title\":\"t\",\"evidence\":[]}\n"
      "{\"artifact\":\"finding\",\"time\":7,\"rule\":[],\"evidence\":{}}\nnot json\n");
  REQUIRE(rows.size() == 2);
  CHECK_FALSE(rows[0].first);
  CHECK(rows[0].rule_id.empty());
  CHECK(rows[1].host.empty());
  CHECK(kk::detect::render_table(rows, {}).find("-") != std::string::npos);
}

TEST_CASE("render_table: local time, level, title, host, event id; fits the width, wide chars 2") {
  auto rows = kk::detect::finding_rows(kFindings);
  kk::detect::TableOptions opt;  // Asia/Tokyo
  opt.width = 100;
  std::string t = kk::detect::render_table(rows, opt);
  auto lines = lines_of(t);
  REQUIRE(lines.size() > 7);
  CHECK(lines[0].starts_with("Time (Asia/Tokyo)"));
  // 2019-07-18T20:40Z is 05:40 the next morning in Tokyo.
  CHECK(lines[2].starts_with("2019-07-19 05:40:00  crit"));
  CHECK(lines[2].find("MSEDGEWIN10") != std::string::npos);
  CHECK(lines[3].find("端末０１") != std::string::npos);
  CHECK(lines[3].find("4624") != std::string::npos);
  // Every table line fits in 100 columns although the Japanese title and details are long.
  for (std::size_t i = 0; i < 7; ++i) {
    INFO(lines[i]);
    CHECK(kk::display_width(lines[i]) <= 100);
  }
  // The columns line up: the event id column starts at the same column on every row
  // (counted in display columns: Japanese host names take two per character).
  auto column_of = [](const std::string& line, std::string_view what) {
    return kk::display_width(line.substr(0, line.find(what)));
  };
  CHECK(column_of(lines[2], "4624") == column_of(lines[3], "4624"));
  CHECK(column_of(lines[3], "4624") == column_of(lines[4], "4624"));
  CHECK(t.find('\x1b') == std::string::npos);  // no colour unless asked
  // Without a width: nothing cut.
  std::string wide = kk::detect::render_table(rows, {});
  CHECK(wide.find("IpAddress=203.0.113.9 LogonType=10") != std::string::npos);
}

TEST_CASE("render_table: colours by level only when asked") {
  auto rows = kk::detect::finding_rows(kFindings);
  kk::detect::TableOptions opt;
  opt.color = true;
  std::string t = kk::detect::render_table(rows, opt);
  CHECK(t.find("\x1b[1;31mcrit") != std::string::npos);
  CHECK(t.find("\x1b[31mhigh") != std::string::npos);
  CHECK(t.find("\x1b[33mmed") != std::string::npos);
}

TEST_CASE("render_summary: findings and hits by level, then by rule, most severe first") {
  std::string s = kk::detect::render_summary(kk::detect::finding_rows(kFindings), false);
  CHECK(s.find("Findings by level (5 findings, 57 hits):") != std::string::npos);
  CHECK(s.find("critical 1 findings, 11 hits") != std::string::npos);
  CHECK(s.find("medium   2 findings, 3 hits") != std::string::npos);
  CHECK(s.find("info     1 findings, 40 hits") != std::string::npos);
  // By rule: the two KK-EXEC-002 findings are one rule with 3 hits, after the high one.
  auto rule_at = [&](std::string_view title) { return s.find(title, s.find("by rule")); };
  CHECK(rule_at("Antivirus detection") < rule_at("外部アドレスからの RDP ログオン"));
  CHECK(rule_at("外部アドレスからの RDP ログオン") < rule_at("Program in a user-writable"));
  CHECK(s.find("medium   2         3         Program in a user-writable folder") !=
        std::string::npos);
}

TEST_CASE("findings_at_least: --min-level keeps that level and above") {
  using kk::detect::findings_at_least;
  using kk::detect::severity_level;
  CHECK(findings_at_least(kFindings, severity_level("informational")) == kFindings);
  auto high = kk::detect::finding_rows(findings_at_least(kFindings, severity_level("high")));
  REQUIRE(high.size() == 2);
  CHECK(high[0].severity == "critical");
  CHECK(high[1].severity == "high");
  CHECK(kk::detect::finding_rows(findings_at_least(kFindings, severity_level("medium"))).size() ==
        4);
}

TEST_CASE("render_csv: one header, a row per finding, cells through the shared CSV writer") {
  std::string evil =
      finding("KK-X", "high", "=cmd|' /C calc'!A0", "2019-07-18T20:40:00Z", 1, "PC", "a,\\\"b\\\"");
  std::string csv = kk::detect::render_csv(kk::detect::finding_rows(evil), "Asia/Tokyo");
  auto lines = lines_of(csv);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] ==
        "time_local,time_utc,level,title,host,event_id,hits,details,rule_id,source,finding_id");
  CHECK(lines[1] ==
        "2019-07-19 05:40:00 JST,2019-07-18T20:40:00.000000Z,high,\"'=cmd|' /C calc'!A0\",PC,4624,"
        "1,\"a,\"\"b\"\"\",KK-X,Evtx/Security.evtx,KK-X#1");
}

// The tool: jsonl on a pipe by default, the summary on stderr then; table and csv on request.
TEST_CASE("detect --format / --min-level / --color on the built-in rules' records") {
  const std::string tool = std::string(KK_BIN_DIR) + "/detect";
  if (!std::filesystem::exists(tool)) {
    MESSAGE("detect not built; skipped");
    return;
  }
  const std::string records = std::string(KK_TEST_DATA) + "/detect/builtin_records.jsonl";
  auto dir = std::filesystem::path(kk_test::temp_dir());
  auto run = [&](const std::string& args, const std::string& env = "") {
    std::string out = (dir / "out").string(), err = (dir / "err").string();
    std::string cmd = "env -u NO_COLOR " + env + " " + tool + " --quiet " + args + " '" + records +
                      "' >'" + out + "' 2>'" + err + "'";
    int status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    return std::make_pair(kk_test::read_file(out), kk_test::read_file(err));
  };
  // --quiet keeps stderr empty; without it the summary is there.
  auto [jsonl, quiet_err] = run("");
  CHECK(jsonl.starts_with("{\"artifact\":\"finding\""));
  CHECK(quiet_err.empty());
  std::string err2 = (dir / "err2").string();
  std::string cmd = tool + " '" + records + "' >/dev/null 2>'" + err2 + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::string summary = kk_test::read_file(err2);
  CHECK(summary.find("Findings by level (") != std::string::npos);
  CHECK(summary.find("Findings by rule:") != std::string::npos);
  CHECK(summary.find('\x1b') == std::string::npos);  // stderr is a file: no colour
  auto all = kk::detect::finding_rows(jsonl);
  REQUIRE(all.size() > 5);
  CHECK(jsonl.find("\"host\":\"") != std::string::npos);  // evidence names its computer

  auto [table, e1] = run("--format table", "COLUMNS=90");
  auto lines = lines_of(table);
  REQUIRE(lines.size() > all.size() + 2);
  CHECK(lines[0].starts_with("Time (Asia/Tokyo)"));
  for (std::size_t i = 0; i < all.size() + 2; ++i) CHECK(kk::display_width(lines[i]) <= 90);
  CHECK(table.find("Findings by rule:") != std::string::npos);
  CHECK(table.find('\x1b') == std::string::npos);  // not a terminal
  CHECK(run("--format table --color always").first.find("\x1b[") != std::string::npos);
  CHECK(run("--format table --color always", "NO_COLOR=1").first.find("\x1b[") !=
        std::string::npos);
  CHECK(run("--format table --tz UTC").first.starts_with("Time (UTC)"));

  auto [high, e2] = run("--min-level high");
  auto hi = kk::detect::finding_rows(high);
  CHECK(hi.size() < all.size());
  for (const auto& r : hi) CHECK(kk::detect::severity_level(r.severity) >= 4);

  auto [csv, e3] = run("--format csv --min-level medium");
  CHECK(csv.starts_with("time_local,time_utc,level,title"));
  CHECK(lines_of(csv).size() ==
        1 + kk::detect::finding_rows(run("--min-level medium").first).size());
  std::filesystem::remove_all(dir);
}

// On a terminal (a pseudo-terminal made by script(1)): the table is the default, coloured
// unless NO_COLOR is set.
TEST_CASE("detect on a terminal: table by default, colour unless NO_COLOR") {
  const std::string tool = std::string(KK_BIN_DIR) + "/detect";
  if (!std::filesystem::exists(tool) || std::system("command -v script >/dev/null") != 0) {
    MESSAGE("detect or script(1) missing; skipped");
    return;
  }
  const std::string records = std::string(KK_TEST_DATA) + "/detect/builtin_records.jsonl";
  auto on_tty = [&](const std::string& env) {
    std::string out = kk_test::temp_file();
    std::string cmd = "script -qec \"env -u NO_COLOR " + env + " COLUMNS=100 '" + tool +
                      "' --quiet '" + records + "'\" /dev/null > '" + out + "' 2>&1";
    CHECK(std::system(cmd.c_str()) == 0);
    std::string text = kk_test::read_file(out);
    std::remove(out.c_str());
    return text;
  };
  std::string coloured = on_tty("");
  CHECK(coloured.starts_with("Time (Asia/Tokyo)"));
  CHECK(coloured.find("\x1b[") != std::string::npos);
  std::string plain = on_tty("NO_COLOR=1");
  CHECK(plain.starts_with("Time (Asia/Tokyo)"));
  CHECK(plain.find('\x1b') == std::string::npos);
}
