// Golden facts about events mapped from real parse-evtx records (tests/data/timeline/
// evtx_records.jsonl; origins in README.md). Expected values were read from the records'
// EventData as parse-evtx gives it.
#include <doctest/doctest.h>

#include "timeline/record_fields.hpp"
#include "timeline_test_util.hpp"

using kk::timeline::integer;
using kk::timeline::str;
using simdjson::dom::element;

namespace {
const kk_test::ParsedEvents& evtx_events(kk::timeline::Lang lang = kk::timeline::Lang::kEn) {
  static kk_test::ParsedEvents en(kk_test::build_lines({kk_test::data_path("evtx_records.jsonl")}));
  kk::timeline::BuildOptions ja_opt;
  ja_opt.lang = kk::timeline::Lang::kJa;
  static kk_test::ParsedEvents ja(
      kk_test::build_lines({kk_test::data_path("evtx_records.jsonl")}, ja_opt));
  return lang == kk::timeline::Lang::kJa ? ja : en;
}

element by_record(std::int64_t record_id, kk::timeline::Lang lang = kk::timeline::Lang::kEn) {
  return evtx_events(lang).find([&](element e) { return integer(e, "record_id") == record_id; });
}

bool has_tag(element e, std::string_view tag) {
  for (element t : simdjson::dom::array(e["tags"]))
    if (std::string_view(t) == tag) return true;
  return false;
}
}  // namespace

TEST_CASE("one event per EVTX record, in time order") {
  const auto& ev = evtx_events();
  CHECK(ev.events.size() == 16);
  for (std::size_t i = 1; i < ev.events.size(); ++i)
    CHECK(integer(ev.events[i - 1], "timestamp") <= integer(ev.events[i], "timestamp"));
}

TEST_CASE("4624 RDP logon: DE_RDP_Tunnel_5156.evtx record 227762") {
  element e = by_record(227762);
  CHECK(str(e, "message") == "4624 Logon Type 10 (RDP) admin01 from 127.0.0.1");
  CHECK(str(e, "datetime") == "2019-02-13T18:04:58.363696Z");
  CHECK(integer(e, "timestamp") == 1550081098363696);
  CHECK(str(e, "timestamp_desc") == "Event Recorded");
  CHECK(str(e, "host") == "PC01.example.corp");
  CHECK(str(e, "data_type") == "windows:evtx:record");
  CHECK(integer(e, "logon_type") == 10);
  CHECK(str(e, "logon_type_name") == "RemoteInteractive");
  CHECK(str(e, "user") == "admin01");
  CHECK(str(e, "domain") == "EXAMPLE");
  CHECK(str(e, "subject_user") == "PC01$");
  CHECK(has_tag(e, "logon"));
  CHECK(has_tag(e, "remote_logon"));
  CHECK(str(by_record(227762, kk::timeline::Lang::kJa), "message") ==
        "4624 ログオン タイプ 10 (RDP) admin01 接続元 127.0.0.1");
}

TEST_CASE("4625 failed logon names the NTSTATUS reason") {
  element e = by_record(137222);
  CHECK(str(e, "message") == "4625 Failed logon Type 2 (Interactive) IEUser: wrong password");
  CHECK(str(e, "sub_status") == "0xc000006a");
  CHECK(has_tag(e, "logon_failed"));
  CHECK(str(by_record(137222, kk::timeline::Lang::kJa), "message") ==
        "4625 ログオン失敗 タイプ 2 (対話型) IEUser: パスワード誤り");
}

TEST_CASE("4688 process creation: hex pids become integers") {
  element e = by_record(227695);
  CHECK(str(e, "process") == "C:\\Windows\\System32\\TSTheme.exe");
  CHECK(integer(e, "pid") == 0x1fc);
  CHECK(integer(e, "parent_pid") == 0x278);
  CHECK(str(e, "message") == "4688 Process created: C:\\Windows\\System32\\TSTheme.exe by PC01$");
  CHECK(has_tag(e, "execution"));
}

TEST_CASE("7045, 4698, 1102, 104: persistence and log clearing") {
  element svc = by_record(4480);
  CHECK(str(svc, "message") == "7045 Service installed: spoolfool (cmd.exe) as LocalSystem");
  CHECK(str(svc, "service") == "spoolfool");
  CHECK(has_tag(svc, "service_installed"));
  CHECK(has_tag(svc, "persistence"));
  element task = by_record(566836);
  CHECK(str(task, "task") == "\\CYAlyNSS");
  CHECK(str(task, "command_line") == "cmd.exe /C tasklist > %windir%\\Temp\\CYAlyNSS.tmp 2>&1");
  CHECK(has_tag(task, "task_created"));
  CHECK(str(by_record(227693), "message") == "1102 Security log cleared by admin01");
  CHECK(has_tag(by_record(227693), "log_cleared"));
  CHECK(str(by_record(63220), "message") == "104 System log cleared by a-jbrown");
  CHECK(str(by_record(63220, kk::timeline::Lang::kJa), "message") ==
        "104 System ログの消去 実行ユーザー a-jbrown");
}

TEST_CASE("Sysmon 1/3/11: process identity, hashes, network and files") {
  element p = by_record(3572);
  CHECK(str(p, "process_guid") == "{747F3D96-D6EB-5D31-0000-0010E0252500}");
  CHECK(integer(p, "pid") == 5828);
  CHECK(str(p, "parent") == "C:\\Windows\\System32\\svchost.exe");
  CHECK(integer(p, "parent_pid") == 4516);
  CHECK(str(p, "sha256") == "8f112431143a22baaafb448eefd63bf90e7691c890ac69a296574fd07ba03ec6");
  CHECK(str(p, "command_line") == "consent.exe 4516 288 0000023C0CA21C70");
  element n = by_record(3757);
  CHECK(str(n, "dst_ip") == "172.217.17.132");
  CHECK(integer(n, "dst_port") == 80);
  CHECK(str(n, "dst_host") == "ams15s30-in-f4.1e100.net");
  CHECK(has_tag(n, "network_connection"));
  element f = by_record(3575);
  CHECK(str(f, "path") == "C:\\Users\\IEUser\\AppData\\Local\\Temp\\phvj2yfb\\phvj2yfb.dll");
  CHECK(str(f, "file_name") == "phvj2yfb.dll");
  CHECK(has_tag(f, "file_created"));
}

TEST_CASE("Defender 1116/1117, PowerShell 4104, RDP 1149, accounts") {
  element det = by_record(37);
  CHECK(str(det, "threat") == "Trojan:PowerShell/Powersploit.M");
  CHECK(str(det, "path") ==
        "C:\\AtomicRedTeam\\atomic-red-team-master\\atomics\\T1056\\Get-Keystrokes.ps1");
  CHECK(has_tag(det, "av_detection"));
  CHECK(has_tag(by_record(101), "av_detection"));
  element ps = by_record(971);
  CHECK(has_tag(ps, "powershell"));
  CHECK(str(ps, "message").substr(0, 47) == "PowerShell 4104 Script block: function Memory($");
  element rdp = by_record(6);
  CHECK(str(rdp, "message") ==
        "RDP 1149 Network authentication succeeded: administrator from 10.0.2.16");
  CHECK(str(rdp, "src_ip") == "10.0.2.16");
  element grp = by_record(191029);
  CHECK(str(grp, "group") == "Administrators");
  CHECK(has_tag(grp, "group_change"));
  CHECK(has_tag(by_record(769629), "account_change"));
}

TEST_CASE("details keep every EventData value and the record's system fields") {
  element e = by_record(227762);
  simdjson::dom::parser dp;  // details: one JSON text (build-timeline's default)
  element d = dp.parse(std::string(std::string_view(e["details"]))).value();
  CHECK(str(d, "TargetUserName") == "admin01");
  CHECK(str(d, "LogonType") == "10");
  CHECK(str(d, "evtx.task") == "12544");
}
