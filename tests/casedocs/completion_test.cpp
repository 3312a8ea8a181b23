// The 業務完了通知書 and the 削除報告 from their models: dates, hashes and the kept facts
// appear as given, and a model with missing or inconsistent fields is refused field by field.
#include <doctest/doctest.h>

#include "casedocs/casedocs.hpp"
#include "doc_checks.hpp"

using namespace kk::casedocs;
using kk_test::all_text_filled;

namespace {
kk::UtcMicros at(const char* iso) {
  return *kk::parse_user_time(iso, "UTC");
}

CompletionNotice sample_completion() {
  CompletionNotice n;
  n.case_id = "KK-TEST-0019";
  n.customer = "株式会社サンプル商事";
  n.customer_person = "山田 太郎";
  n.analyst = "解析 花子";
  n.hosts = {"PC01", "PC02"};
  n.inputs = {{"PC01_20240501.zip", "PC01", "bundle", std::string(64, 'a'), 123456789,
               at("2024-05-01T01:00:00Z")}};
  n.deliveries = {
      {"notice", "PC01", 1, "notice.html", std::string(64, 'b'), at("2024-05-10T06:00:00Z")},
      {"case_notice", "", 1, "case-notice.html", std::string(64, 'c'), at("2024-05-10T06:00:00Z")}};
  n.received_at = at("2024-05-01T01:00:00Z");
  n.report_meeting = at("2024-05-13T05:00:00Z");
  n.completed_at = at("2024-05-15T03:00:00Z");
  n.inquiry_until = at("2024-06-15T03:00:00Z");
  n.delete_after = at("2024-06-15T03:00:00Z");
  n.kept_anonymized = {"sha256", "threat_name", "incident_month"};
  return n;
}
}  // namespace

TEST_CASE("completion notice: dates in JST, deliveries with their SHA-256, kept facts listed") {
  const CompletionNotice n = sample_completion();
  CHECK(check_completion_notice(n).empty());
  const std::string html = render_completion_notice(n, Format::kHtml, DocOptions{});
  CHECK(html.find("業務完了通知書") != std::string::npos);
  CHECK(html.find("2024年5月15日") != std::string::npos);  // completion
  CHECK(html.find("2024年6月15日") != std::string::npos);  // inquiry end and deletion
  CHECK(html.find("2024年5月13日") != std::string::npos);  // the report meeting
  CHECK(html.find(std::string(32, 'b') + "</code><br/><code>" + std::string(32, 'b')) !=
        std::string::npos);  // the hash on two lines
  CHECK(html.find("山田 太郎 様") != std::string::npos);
  CHECK(html.find("ウイルス対策製品の検知名") != std::string::npos);
  CHECK(all_text_filled(html));  // no missing catalog key
  const std::string md = render_completion_notice(n, Format::kMarkdown, DocOptions{});
  CHECK(all_text_filled(md));
  CHECK(md.find("2024年6月15日") != std::string::npos);
  const std::string json = render_completion_notice(n, Format::kJson, DocOptions{});
  CHECK(json.find("\"delete_after\":\"2024-06-15T03:00:00.000000Z\"") != std::string::npos);
  DocOptions en;
  en.lang = kk::notice::Lang::kEn;
  CHECK(all_text_filled(render_completion_notice(n, Format::kHtml, en)));
}

TEST_CASE("completion notice: every missing or inconsistent field is named") {
  CompletionNotice n = sample_completion();
  n.case_id.clear();
  n.delete_after = at("2024-05-01T00:00:00Z");   // before completion
  n.deliveries[0].sha256 = "ABC";                // not a SHA-256
  n.kept_anonymized.push_back("customer_name");  // not a kind of fact kept
  const auto problems = check_completion_notice(n);
  REQUIRE(problems.size() == 4);
  CHECK(problems[0].find("case_id") != std::string::npos);
  CHECK(problems[1].find("delete_after") != std::string::npos);
  CHECK(problems[2].find("deliveries[0].sha256") != std::string::npos);
  CHECK(problems[3].find("customer_name") != std::string::npos);
}

TEST_CASE("deletion report: totals per PC folder, verification, forced deletion's reason") {
  DeletionReport r;
  r.case_id = "KK-TEST-0019";
  r.customer = "株式会社サンプル商事";
  r.hosts = {"PC01", "PC02"};
  r.purged_at = at("2024-06-16T00:30:00Z");
  r.files = {{"PC01/timeline.jsonl", 1000, ""},
             {"PC01/notice.json", 24, ""},
             {"PC02/timeline.jsonl", 2048, ""},
             {"case-timeline.jsonl", 3072, ""}};
  r.total_files = 4;
  r.total_bytes = 6144;
  r.verified_empty = true;
  r.forced = true;
  r.reason = "お客様のご依頼による早期削除";
  r.kept_anonymized = {"sha256"};
  r.kept_records = 3;
  const std::string html = render_deletion_report(r, Format::kHtml, DocOptions{});
  CHECK(html.find("データ削除報告書") != std::string::npos);
  CHECK(html.find("2024-06-16 09:30") != std::string::npos);  // JST
  CHECK(html.find("6.0 KiB") != std::string::npos);
  CHECK(html.find("（3 件）") != std::string::npos);  // rows kept in the statistics store
  CHECK(all_text_filled(render_deletion_report(r, Format::kMarkdown, DocOptions{})));
  CHECK(html.find("お客様のご依頼による早期削除") != std::string::npos);
  CHECK(html.find("残っていないことを確認しました") != std::string::npos);
  CHECK(all_text_filled(html));
  const std::string json = render_deletion_report(r, Format::kJson, DocOptions{});
  CHECK(json.find("{\"folder\":\"PC01\",\"files\":2,\"bytes\":1024}") != std::string::npos);
  CHECK(json.find("{\"folder\":\"\",\"files\":1,\"bytes\":3072}") != std::string::npos);
}
