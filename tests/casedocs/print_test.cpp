// The case documents on paper, as the customer receives them: headless Chromium prints the
// case notice and the 業務完了通知書 of the two-PC case (and writes its 削除報告) to A4 PDF (left
// in build/release/casedocs-case/ to look at) and the test checks their page counts (the notice
// tests measure the shared stylesheet's column widths). Skipped when no chromium is installed.
#include <doctest/doctest.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "../notice/browser_util.hpp"
#include "case_fixture.hpp"
#include "casedocs/casedocs.hpp"
#include "core/hash.hpp"

using namespace kk::casedocs;

namespace {

kk::UtcMicros at(const char* iso) {
  return *kk::parse_user_time(iso, "UTC");
}

std::string sha256_of(const std::string& path) {
  return kk::sha256_hex(kk_test::read_file(path));
}

// What `cases complete` would fill from the registry for the two-PC case.
CompletionNotice completion_of(const std::string& casedir, const kk::notice::CaseFile& cf) {
  CompletionNotice n;
  n.case_id = std::string(cf.get("case_id"));
  n.customer = std::string(cf.get("customer.company"));
  n.customer_dept = std::string(cf.get("customer.department"));
  n.customer_person = std::string(cf.get("customer.contact_person"));
  n.analyst = std::string(cf.get("analyst"));
  n.hosts = {"PC01", "PC02"};
  const std::string bundle = KK_SOURCE_DIR "/samples/MSEDGEWIN10_20190925100000.zip";
  const std::string bundle_sha = sha256_of(bundle);
  const auto size = std::filesystem::file_size(bundle);
  n.inputs = {
      {"PC01_20190925100000.zip", "PC01", "bundle", bundle_sha, size, at("2019-09-26T01:00:00Z")},
      {"PC02_20190925113000.zip", "PC02", "bundle", bundle_sha, size, at("2019-09-26T01:05:00Z")}};
  n.deliveries = {{"notice", "PC01", 1, "notice.html", sha256_of(casedir + "/PC01/notice.html"),
                   at("2019-10-04T06:00:00Z")},
                  {"notice", "PC02", 1, "notice.html", sha256_of(casedir + "/PC02/notice.html"),
                   at("2019-10-04T06:00:00Z")},
                  {"case_notice", "", 1, "case-notice.html",
                   sha256_of(casedir + "/case-notice.html"), at("2019-10-04T06:05:00Z")},
                  {"notice", "PC01", 2, "notice.html", sha256_of(casedir + "/PC01/notice.json"),
                   at("2019-10-08T02:00:00Z")}};
  n.received_at = at("2019-09-26T01:00:00Z");
  n.report_meeting = at("2019-10-09T05:00:00Z");
  n.completed_at = at("2019-10-10T03:00:00Z");
  n.inquiry_until = at("2019-11-10T03:00:00Z");
  n.delete_after = at("2019-11-10T03:00:00Z");
  n.kept_anonymized.assign(std::begin(kKeptFacts), std::end(kKeptFacts));
  n.issued_at = at("2019-10-10T03:00:00Z");
  return n;
}

}  // namespace

TEST_CASE("printed: the case notice and the 業務完了通知書 (≤ 2 pages) on A4") {
  const std::string casedir = kk_test::two_pc_case();
  const kk::notice::CaseFile cf = kk_test::sample_case();
  kk::CaseDir::Policy policy;
  policy.allow_content = true;
  auto dir = kk::CaseDir::open(casedir, policy);
  REQUIRE(dir.ok());
  kk::Diagnostics diag("cases");
  diag.set_stderr_limit(0);
  CaseNoticeRequest rq;
  rq.case_id = std::string(cf.get("case_id"));
  rq.pcs = {{"PC01", casedir + "/PC01", "done"}, {"PC02", casedir + "/PC02", "done"}};
  rq.case_file = &cf;
  rq.issued_at = at("2019-10-04T06:00:00Z");
  auto sum = write_case_notice(*dir, rq, diag);
  if (!sum) FAIL(sum.error().message);

  auto written = write_completion_notice(*dir, completion_of(casedir, cf), DocOptions{});
  if (!written) FAIL(written.error().message);
  CHECK(written->size() == 3);

  DeletionReport r;
  r.case_id = rq.case_id;
  r.customer = std::string(cf.get("customer.company"));
  r.customer_person = std::string(cf.get("customer.contact_person"));
  r.operator_name = std::string(cf.get("analyst"));
  r.hosts = {"PC01", "PC02"};
  r.purged_at = at("2019-11-11T00:30:00Z");
  for (const auto& e : std::filesystem::recursive_directory_iterator(casedir + "/PC01"))
    if (e.is_regular_file()) {
      ++r.total_files;
      r.total_bytes += e.file_size();
      r.files.push_back({std::filesystem::relative(e.path(), casedir).string(), e.file_size(), ""});
    }
  r.verified_empty = true;
  r.completed_at = at("2019-10-10T03:00:00Z");
  r.delete_after = at("2019-11-10T03:00:00Z");
  r.kept_anonymized = {"sha256", "threat_name", "attack_technique", "incident_month"};
  r.kept_records = 42;
  r.record_sha256 = std::string(64, '0');
  REQUIRE(write_deletion_report(*dir, r, DocOptions{}).ok());

  // Layout is not memory safety: under the sanitizers the documents are written (above) but
  // not printed, which keeps the sanitizer run of CI shorter.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  MESSAGE("sanitizer build; print skipped");
  return;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  MESSAGE("sanitizer build; print skipped");
  return;
#endif
#endif
  const std::string chromium = kk_test::find_chromium();
  if (chromium.empty()) {
    MESSAGE("chromium not installed; print test skipped");
    return;
  }
  // Both print at once (each Chromium spends most of its time starting up). The 削除報告, a
  // page of the same blocks, is printed by ../shared/tools/notice-check.py when wanted.
  const std::vector<std::pair<std::string, int>> docs{{"case-notice", 8}, {"completion-notice", 2}};
  std::vector<int> pages(docs.size());
  std::vector<std::thread> printers;
  for (std::size_t i = 0; i < docs.size(); ++i)
    printers.emplace_back([&, i] {
      const std::string base = casedir + "/" + docs[i].first;
      pages[i] = kk_test::print_pages(chromium, base + ".html", base + ".pdf");
    });
  for (auto& t : printers) t.join();
  for (std::size_t i = 0; i < docs.size(); ++i) {
    CHECK_MESSAGE(pages[i] >= 1, docs[i].first);
    CHECK_MESSAGE(pages[i] <= docs[i].second, docs[i].first << ": " << pages[i] << " pages");
    MESSAGE(docs[i].first << ": " << pages[i] << " A4 pages; " << casedir);
  }
}
