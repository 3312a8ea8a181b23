#include <doctest/doctest.h>

#include <pugixml.hpp>

#include "notice/analysis.hpp"
#include "notice/defang.hpp"
#include "notice_fixture.hpp"

using namespace kk::notice;
using kk_test::count_of;
using kk_test::render_fixture;

namespace {
// The notice body (for a busy reader) and the appendix (everything exhaustive).
const char* kSections[] = {"summary", "evidence",    "iocs", "recommendations",
                           "scope",   "limitations", "cover"};
const char* kAppendixSections[] = {"timeline",  "findings", "iocs",     "overview",
                                   "inventory", "glossary", "rule-hits"};
using kk_test::render_fixture_all;
}  // namespace

TEST_CASE("defanging") {
  CHECK(defang("203.0.113.5") == "203.0.113[.]5");
  CHECK(defang("malicious.example.net") == "malicious.example[.]net");
  CHECK(defang("http://evil.example.com/a.b/c") == "hxxp://evil.example[.]com/a.b/c");
  CHECK(defang("HTTPS://evil.example.com") == "hxxpS://evil.example[.]com");
  CHECK(defang("2001:db8::1") == "2001[:]db8[:][:]1");
  CHECK(defang("203.0.113[.]5") == "203.0.113[.]5");
  CHECK(defang("localhost") == "localhost");
}

TEST_CASE("analysis of the fixture: window, judgement, limitations") {
  kk::Diagnostics diag("test");
  auto c = kk_test::fixture_case();
  NoticeInputs in(c.list("detection.suspect_files"));
  kk_test::load_fixture(in, diag);
  CHECK(in.findings.size() == 6);
  CHECK(in.manifest.size() == 12);
  CHECK(in.summary.present);
  CHECK(in.diagnostics.size() == 2);
  CHECK(in.event_times.size() == 40);
  Analysis a = analyse(c, in, AnalysisOptions{});
  CHECK(kk::format_iso(a.window.start) == "2024-04-28T03:34:56.000000Z");  // anchor - 3 days
  CHECK(kk::format_iso(a.window.end) == "2024-05-02T01:20:00.000000Z");    // collection end
  CHECK(a.window.end_basis == "collection_end");
  CHECK(a.events_before == 7);  // System events of 04-26 and 04-27 before 03:34:56Z on 04-28
  CHECK(a.events_in_window == 33);
  CHECK(a.execution);
  CHECK(a.persistence);
  CHECK(a.persistence_question == "post_infection");
  CHECK(a.remote_access);
  CHECK_FALSE(a.tampering);
  CHECK(a.judgement == Judgement::kCompromised);
  CHECK(a.hashes.matched == 9);
  CHECK(a.hashes.mismatched == 1);
  CHECK(a.hashes.unverified == 2);
  auto has = [&](const std::vector<Statement>& v, const std::string& key) {
    return std::any_of(v.begin(), v.end(), [&](const Statement& s) { return s.key == key; });
  };
  // Security's oldest event (04-29 08:12Z) is after the window start; System reaches back.
  int late = 0;
  for (const auto& s : a.limitations)
    if (s.key == "lim.log_starts_late") {
      ++late;
      CHECK(s.args[0].second == "Security");
      CHECK(kk::format_iso(s.times[0].second) == "2024-04-29T08:12:00.000000Z");
    }
  CHECK(late == 1);
  CHECK(has(a.limitations, "lim.no_4688"));
  CHECK(has(a.limitations, "lim.no_sysmon"));
  CHECK(has(a.limitations, "lim.hash_mismatch"));
  CHECK(has(a.limitations, "lim.damaged_file"));
  CHECK(has(a.limitations, "lim.not_collected"));
  CHECK(has(a.limitations, "lim.supplied_data_only"));
  CHECK(has(a.limitations, "lim.time_zone"));
  // Sysmon's log was received but holds nothing: named as a silent log.
  bool silent_sysmon = false;
  for (const auto& s : a.limitations)
    if (s.key == "lim.logs_without_events")
      silent_sysmon =
          s.args[1].second.find("Sysmon") != std::string::npos && s.args[0].second == "1";
  CHECK(silent_sysmon);
  CHECK(has(a.medium_term, "rec.enable_4688"));
  CHECK(has(a.medium_term, "rec.enlarge_security_log"));
  CHECK(has(a.immediate, "rec.isolate"));
  CHECK(has(a.immediate, "rec.block_iocs"));
  CHECK(has(a.immediate, "rec.reset_accounts"));
  // The timeline: the detection row plus every evidence item and key event, by time.
  REQUIRE_FALSE(a.timeline.empty());
  for (std::size_t i = 1; i < a.timeline.size(); ++i)
    CHECK(a.timeline[i - 1].time <= a.timeline[i].time);
  CHECK(std::count_if(a.timeline.begin(), a.timeline.end(),
                      [](auto& r) { return r.is_detection; }) == 1);
}

TEST_CASE(
    "HTML notice (ja): every section, JST times, retention date, defanged IOCs, no missing text") {
  std::string body = render_fixture(Lang::kJa, Format::kHtml);
  std::string appendix = render_fixture(Lang::kJa, Format::kHtml, Part::kAppendix);
  for (const char* id : kSections)
    CHECK_MESSAGE(body.find(std::string("<section id=\"") + id + "\"") != std::string::npos, id);
  for (const char* id : kAppendixSections)
    CHECK_MESSAGE(appendix.find(std::string("<section id=\"") + id + "\"") != std::string::npos,
                  id);
  CHECK(appendix.find("<title>調査通知書 別紙（詳細資料）</title>") != std::string::npos);
  // The body points to the appendix and the CSV files by name.
  CHECK(body.find("notice-appendix.html") != std::string::npos);
  CHECK(body.find("key-events.csv") != std::string::npos);
  std::string html = body + appendix;
  CHECK(html.find("[[") == std::string::npos);  // every catalog key resolved
  CHECK(html.find("<title>調査通知書</title>") != std::string::npos);
  CHECK(html.find("2024-05-01 12:34:56 JST") != std::string::npos);
  CHECK(html.find("2024-05-01 03:34:56 UTC") != std::string::npos);
  CHECK(html.find("2024年5月31日）の1か月後である 2024年6月30日 に") != std::string::npos);
  CHECK(html.find("id=\"anonymization-clause\"") != std::string::npos);
  CHECK(html.find("<code>203.0.113[.]5</code>") != std::string::npos);
  CHECK(html.find("<code>malicious.example[.]net</code>") != std::string::npos);
  CHECK(html.find("<code>203.0.113.5</code>") == std::string::npos);
  // Questions without findings say so and list what was checked.
  CHECK(html.find("id=\"none-tampering\"") != std::string::npos);
  CHECK(html.find("id=\"none-other_launches\"") != std::string::npos);
  CHECK(html.find("id=\"none-execution\"") == std::string::npos);
  CHECK(count_of(html, "解析したデータの範囲では、該当する痕跡は確認されませんでした。") == 3);
  CHECK(html.find("ShimCache: ご提供のデータに含まれていないため") ==
        std::string::npos);  // label has a suffix
  CHECK(html.find("Prefetch（実行の履歴）: 調査期間内 5 件") != std::string::npos);
  // 15 Security + 9 System + 1 PowerShell + 1 Defender events fall inside the window.
  CHECK(html.find("イベントログ: 調査期間内 26 件（Security 15 件、System 9 件、") !=
        std::string::npos);
  // The timeline links to the finding it supports.
  CHECK(html.find("href=\"#f-KK-LOGON-001-1\"") != std::string::npos);
  CHECK(html.find("id=\"f-KK-LOGON-001-1\"") != std::string::npos);
  // The chart: inline SVG with the detection marker; no external resource anywhere.
  CHECK(html.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
  CHECK(html.find("class=\"detection-marker\"") != std::string::npos);
  CHECK(html.find("http://www.w3.org/2000/svg") != std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("Content-Security-Policy") != std::string::npos);
  CHECK(html.find("size: A4") != std::string::npos);
  CHECK(html.find("\"Noto Sans CJK JP\"") != std::string::npos);
  // Glossary and rule hits.
  CHECK(html.find("リモートデスクトップ") != std::string::npos);
  CHECK(html.find("サービスのインストール") != std::string::npos);  // 7045
  CHECK(html.find("<code>KK-PERSIST-7045</code>") != std::string::npos);
  CHECK(html.find("15,798,272") != std::string::npos);
}

TEST_CASE("HTML is well-formed XML (parsed with pugixml) with the structure the CSS expects") {
  for (Lang lang : {Lang::kJa, Lang::kEn}) {
    std::string html = render_fixture(lang, Format::kHtml);
    pugi::xml_document doc;
    auto res = doc.load_buffer(html.data(), html.size(), pugi::parse_default | pugi::parse_doctype);
    REQUIRE_MESSAGE(res, res.description() << " at " << res.offset);
    auto body = doc.child("html").child("body");
    REQUIRE(body);
    int sections = 0;
    for (auto s : body.children("section")) {
      ++sections;
      CHECK(s.child("h2"));
    }
    CHECK(sections == 7);
    CHECK(doc.select_node("//svg[@id='activity-chart']"));
    CHECK(doc.select_nodes("//svg//rect").size() > 10);
    for (Part part : {Part::kAppendix, Part::kBrief}) {
      std::string other = render_fixture(lang, Format::kHtml, part);
      pugi::xml_document d;
      CHECK(d.load_buffer(other.data(), other.size(), pugi::parse_default | pugi::parse_doctype));
    }
  }
}

TEST_CASE("English and Markdown carry the same content") {
  std::string en = render_fixture_all(Lang::kEn, Format::kHtml);
  std::string md_ja = render_fixture_all(Lang::kJa, Format::kMarkdown);
  std::string md_en = render_fixture_all(Lang::kEn, Format::kMarkdown);
  CHECK(en.find("<title>Investigation Notice</title>") != std::string::npos);
  CHECK(
      en.find(
          "on June 30, 2024, one month after the completion of the investigation (May 31, 2024)") !=
      std::string::npos);
  CHECK(count_of(en, "No trace found in the analysed data.") == 3);
  for (const std::string* md : {&md_ja, &md_en}) {
    CHECK(md->find("[[") == std::string::npos);
    for (const char* id : kSections)
      CHECK(md->find(std::string("<a id=\"") + id + "\"></a>") != std::string::npos);
    CHECK(md->find("`203.0.113[.]5`") != std::string::npos);
    CHECK(md->find("<svg") == std::string::npos);  // the chart is a table in Markdown
  }
  CHECK(md_ja.find("## A.2 所見の詳細") != std::string::npos);
  CHECK(md_en.find("## 6. Limitations") != std::string::npos);
  // Same findings, same evidence rows in both formats.
  CHECK(count_of(md_ja, "Evtx/Security.evtx") == count_of(md_en, "Evtx/Security.evtx"));
  CHECK(count_of(md_ja, "KK-LOGON-001#1") >= 2);
}

TEST_CASE(
    "no records at all: every question says no trace found, confidence is low, nothing crashes") {
  auto c = kk_test::fixture_case();
  NoticeInputs in;
  RenderOptions opt;
  std::string html = render_notice(c, in, opt);
  // No data at all: every question is "cannot tell" (in the verdict table and again in
  // chapter 2).
  CHECK(count_of(html, ">判断不能</span>") == 16);
  opt.part = Part::kAppendix;
  CHECK(count_of(render_notice(c, in, opt),
                 "解析したデータの範囲では、該当する痕跡は確認されませんでした。") == 7);
  opt.part = Part::kNotice;
  CHECK(html.find("（判断の確度: 低）") != std::string::npos);
  CHECK(html.find("検知されたファイルの実行や感染後の活動を示す記録は確認されませんでした") !=
        std::string::npos);
  CHECK(html.find("[[") == std::string::npos);
  pugi::xml_document doc;
  CHECK(doc.load_buffer(html.data(), html.size(), pugi::parse_default | pugi::parse_doctype));
}

TEST_CASE("hostile record text is escaped in HTML and Markdown") {
  auto c = kk_test::fixture_case();
  kk::Diagnostics diag("test");
  NoticeInputs in;
  in.add_line(
      R"({"artifact":"finding","id":"X<1>","question":"tampering","severity":"high","title":"<script>alert(1)</script> | pipe",)"
      R"("evidence":[{"source":"a&b\u0001.evtx","time":"2024-05-01T03:00:00Z","summary":"`tick` ]](x) <img src=x>"}]})",
      "t", 1, diag);
  in.add_line("not json", "t", 2, diag);
  in.add_line(R"({"timestamp":"oops","artifact":"evtx"})", "t", 3, diag);
  CHECK(in.bad_lines == 1);
  RenderOptions opt;
  opt.part = Part::kAppendix;
  std::string html = render_notice(c, in, opt);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;script&gt;") != std::string::npos);
  pugi::xml_document doc;
  CHECK(doc.load_buffer(html.data(), html.size(), pugi::parse_default | pugi::parse_doctype));
  opt.format = Format::kMarkdown;
  std::string md = render_notice(c, in, opt);
  CHECK(md.find("<script>") == std::string::npos);
  CHECK(md.find("\\<script\\>") != std::string::npos);
  CHECK(md.find("\\]\\](x)") != std::string::npos);
}

TEST_CASE("limitations from unpack-cdir's bundle summary, in the notice's language") {
  std::string ja = render_fixture(Lang::kJa, Format::kHtml);
  std::string en = render_fixture(Lang::kEn, Format::kHtml);
  // not_collected ids are translated; an id the catalog does not know shows unpack-cdir's text.
  CHECK(ja.find("ショートカット（LNK）とジャンプリスト") != std::string::npos);
  CHECK(ja.find("Something a newer unpack-cdir knows") != std::string::npos);
  CHECK(en.find("shortcut (LNK) files and jump lists") != std::string::npos);
  // categories_absent: memory is left out, the rest named by kind.
  CHECK(ja.find("含まれていません（収集設定で無効にされていた可能性があります）: Amcache、WMI "
                "リポジトリ、SRUM、Web ブラウザーの履歴。") != std::string::npos);
  CHECK(en.find("1 file(s) listed in the collector log are missing from the data received "
                "(Registry/SOFTWARE)") != std::string::npos);
  CHECK(en.find("read as local time in Asia/Tokyo") != std::string::npos);
  CHECK(en.find("(some files do not match the collector log)") != std::string::npos);
  // A damaged file from the diagnostics, with its count and first offset.
  // No tool name and no English diagnostic inside the customer's text.
  CHECK(en.find("NTFS/C_$UsnJrnl-$J: 2 damaged or unreadable part(s) (the first at 0x200000)") !=
        std::string::npos);
  CHECK(ja.find("NTFS/C_$UsnJrnl-$J: 破損または読み取れない箇所が 2 件ありました（最初の位置 "
                "0x200000）") != std::string::npos);
  CHECK(ja.find("parse-usnjrnl") == std::string::npos);
}

TEST_CASE("built-in principals are not IOCs") {
  CHECK(is_builtin_account("LocalSystem"));
  CHECK(is_builtin_account("NT AUTHORITY\\SYSTEM"));
  CHECK(is_builtin_account("DWM-1"));
  CHECK(is_builtin_account("PC01$"));
  CHECK_FALSE(is_builtin_account("Administrator"));
  CHECK_FALSE(is_builtin_account("CORP\\tanaka"));
  // Groups and well-known SIDs (the "reset these accounts" action listed Administrators).
  for (const char* g : {"Administrators", "BUILTIN\\Administrators", "Remote Desktop Users",
                        "CORP\\Domain Admins", "S-1-5-18", "S-1-5-19", "S-1-5-20",
                        "S-1-5-32-544", "S-1-5-80-956008885-3418522649", "S-1-1-0",
                        "S-1-5-21-1-2-3-512", "UMFD-0", "LOCAL SERVICE", "NT SERVICE\\MSSQL"})
    CHECK_MESSAGE(is_builtin_account(g), g);
  CHECK_FALSE(is_builtin_account("S-1-5-21-1-2-3-1001"));  // a person's account
  CHECK(is_default_account("PC01\\Administrator"));
  CHECK(is_default_account("Guest"));
  CHECK_FALSE(is_default_account("tanaka"));
}

TEST_CASE("an account is one, with or without its domain; two domains are two") {
  CHECK(same_account("PC01\\tanaka", "tanaka"));
  CHECK(same_account("TANAKA", "pc01\\Tanaka"));
  CHECK(same_account("CORP\\tanaka", "corp\\TANAKA"));
  CHECK_FALSE(same_account("CORP\\tanaka", "PC01\\tanaka"));
  CHECK_FALSE(same_account("tanaka", "tanaka2"));
  CHECK_FALSE(same_account("PC01\\tanaka", "suzuki"));
}

TEST_CASE("the device as its registry describes it: Windows version, time zone, last shutdown") {
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  auto c = kk_test::fixture_case();
  kk::notice::RenderOptions opt;
  opt.format = Format::kMarkdown;
  {
    kk::notice::NoticeInputs in(c.list("detection.suspect_files"));
    kk_test::load_fixture(in, diag);
    opt.lang = Lang::kJa;
    std::string md = kk::notice::render_notice(c, in, opt);
    // Without the hives the notice says which one would have told.
    CHECK(md.find("不明（SOFTWARE ハイブが提供データにありません）") != std::string::npos);
    CHECK(md.find("不明（SYSTEM ハイブが提供データにありません）") != std::string::npos);
  }
  // Records as parse-registry writes them (SOFTWARE os facts, SYSTEM facts and time zone).
  kk::notice::NoticeInputs in(c.list("detection.suspect_files"));
  kk_test::load_fixture(in, diag);
  for (
      const char* line :
      {R"({"artifact":"system_info","source":"Registry/SOFTWARE","name":"ProductName","value":"Windows 10 Pro"})",
       R"({"artifact":"system_info","source":"Registry/SOFTWARE","name":"DisplayVersion","value":"22H2"})",
       R"({"artifact":"system_info","source":"Registry/SOFTWARE","name":"CurrentBuild","value":"19045"})",
       R"({"artifact":"system_info","source":"Registry/SOFTWARE","name":"UBR","value":"2965"})",
       R"({"artifact":"system_info","source":"Registry/SYSTEM","name":"ComputerName","value":"DESKTOP-7Q"})",
       R"({"artifact":"system_info","source":"Registry/SYSTEM","name":"ShutdownTime","value":"2024-05-01T03:04:05.000000Z"})",
       R"({"artifact":"timezone","source":"Registry/SYSTEM","time_zone_key_name":"Tokyo Standard Time","bias_minutes":-540,"utc_offset":"+09:00"})"})
    in.add_line(line, "test", 1, diag);
  opt.lang = Lang::kEn;
  std::string en = kk::notice::render_notice(c, in, opt);
  CHECK(en.find("Windows 10 Pro 22H2 (build 19045.2965)") != std::string::npos);
  CHECK(en.find("Tokyo Standard Time (UTC+09:00)") != std::string::npos);
  CHECK(en.find("DESKTOP-7Q") != std::string::npos);
  CHECK(en.find("2024-05-01 12:04:05") != std::string::npos);  // shutdown shown in JST too
  opt.lang = Lang::kJa;
  std::string ja = kk::notice::render_notice(c, in, opt);
  CHECK(ja.find("Tokyo Standard Time（UTC+09:00）") != std::string::npos);
}

TEST_CASE("intake free text is text in Markdown: no heading, list or raw ESC from a newline") {
  // Issue #22: a newline in a CASE.json field became a real heading in notice.md, and
  // ESC/BEL went into it raw.
  auto c = kk_test::fixture_case();
  const std::string hostile =
      "利用者の申告どおり。\n# 結論: 感染は確認されませんでした\n   ## indented\n> quote\n- item\n"
      "1. first\n\x1b]2;retitled\x07 and \xc2\x9b"
      "2J";
  c.text["incident.summary"] = hostile;  // a table cell
  c.text["customer.company"] = hostile;  // in the cover's paragraph
  kk::Diagnostics diag("test");
  NoticeInputs in;
  kk_test::load_fixture(in, diag);
  RenderOptions opt;
  opt.format = Format::kMarkdown;
  std::string md = render_notice(c, in, opt);
  CHECK(md.find("\n# 結論") == std::string::npos);
  CHECK(md.find("\\# 結論: 感染は確認されませんでした") != std::string::npos);
  CHECK(md.find("\n## indented") == std::string::npos);
  CHECK(md.find("\n   ## indented") == std::string::npos);
  CHECK(md.find("\n- item") == std::string::npos);
  CHECK(md.find("\n1. first") == std::string::npos);
  CHECK(md.find("1\\. first") != std::string::npos);
  CHECK(md.find('\x1b') == std::string::npos);
  CHECK(md.find('\x07') == std::string::npos);
  CHECK(md.find("\xc2\x9b") == std::string::npos);
  CHECK(md.find("\\x1b\\]2;retitled\\x07") != std::string::npos);  // ']' is escaped too
  // The HTML keeps it as text too (escaped, no raw control characters).
  opt.format = Format::kHtml;
  std::string html = render_notice(c, in, opt);
  CHECK(html.find("# 結論: 感染は確認されませんでした") != std::string::npos);
  CHECK(html.find("<h1># 結論") == std::string::npos);
}

TEST_CASE("a Sigma rule with no Japanese title is named in the body by its own title") {
  const std::string t = "2024-05-01T02:20:00Z";
  const std::string finding =
      R"({"artifact":"finding","id":"abc#1","rule":{"id":"abc","source":"sigma"},)"
      R"("question":"post_infection","severity":"high","title":"Suspicious Thing: cmd.exe",)"
      R"("title_ja":"Sigma ルール該当: Suspicious Thing: cmd.exe","time":{"first":")" +
      t + R"(","last":")" + t +
      R"("},"evidence":[{"artifact":"evtx","source":"Evtx/Security.evtx","record_id":5,)"
      R"("time":")" +
      t + R"(","summary":"4688 cmd.exe"}]})";
  kk::Diagnostics diag("test");
  NoticeInputs in;
  in.add_line(finding, "t", 1, diag);
  auto c = kk_test::fixture_case();
  const std::string html = render_notice(c, in, RenderOptions{});
  CHECK(html.find("Sigma ルール該当（Suspicious Thing）") != std::string::npos);
  CHECK(html.find("Sigma ルール該当：") == std::string::npos);
}

TEST_CASE("a collection end years after the detection is flagged, not charted (fuzz timeout)") {
  // Session 8's campaign: a manifest whose collected_at says 7024 made the window 5,000
  // years long and the chart write a tick per day (25 s, megabytes of SVG).
  kk::Diagnostics diag("test");
  NoticeInputs in;
  in.add_line(
      R"({"artifact":"manifest","source":"Prefetch/X.EXE-1A2B3C4D.pf","kind":"prefetch","host":"PC01","collected_at":"7024-05-02T01:20:00.000000Z","size":2830})",
      "t", 1, diag);
  auto c = kk_test::fixture_case();
  const std::string html = render_notice(c, in, RenderOptions{});
  CHECK(html.size() < 2'000'000);
  CHECK(html.find("AV 検知日時の 1 年以上後であり") != std::string::npos);
  CHECK(html.find("収集終了時刻</td>") == std::string::npos);  // not the window's end basis
}
