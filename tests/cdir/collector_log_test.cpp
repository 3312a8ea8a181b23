#include <doctest/doctest.h>

#include "bundle_fixture.hpp"
#include "cdir/collector_log.hpp"
#include "core/time.hpp"

using namespace kk::cdir;
using kk::TextEncoding;

TEST_CASE("collector log: CP932 Japanese header, UTC rows, wevtutil flag") {
  kk_test::BundleSpec spec;
  auto files = kk_test::standard_files(false);
  std::string bytes = kk_test::collector_log_text(spec, files);
  auto log = parse_collector_log(bytes, "Asia/Tokyo");
  CHECK(log.encoding == TextEncoding::kCp932);
  CHECK(log.language == "ja");
  CHECK(log.start_local == "2024/05/01 12:04:05");
  REQUIRE(log.start);
  CHECK(kk::format_iso(*log.start) == "2024-05-01T03:04:05.000000Z");  // JST -> UTC
  REQUIRE(log.end);
  CHECK(kk::format_iso(*log.end) == "2024-05-01T03:31:40.000000Z");
  CHECK(log.elapsed == "00:27:35");
  CHECK(log.problems.empty());
  REQUIRE(log.rows.size() == 15);
  const auto& r0 = log.rows[0];
  CHECK(r0.source_path == "C:\\$MFT");
  REQUIRE(r0.created);
  CHECK(kk::format_iso(*r0.created) == "2024-04-30T01:02:03.000000Z");  // row times are UTC
  CHECK(r0.sha256 ==
        "2b8a700716f1dda596551bde7d351dbc053c1c1e08e919aec2d2afc45c748b3b");  // FILES.tsv
  CHECK(log.rows[3].wevtutil);
  CHECK(log.rows[3].source_path == "C:\\Windows\\System32\\winevt\\Logs\\Security.evtx");
  CHECK(log.rows[7].source_path == "C:\\Users\\山田_太郎\\NTUSER.dat");  // decoded from CP932
  CHECK(log.rows[7].line == 14);
}

TEST_CASE("collector log: English labels in another zone") {
  kk_test::BundleSpec spec;
  spec.english_log = true;
  auto log = parse_collector_log(kk_test::collector_log_text(spec, {}), "UTC");
  CHECK(log.language == "en");
  CHECK(log.encoding == TextEncoding::kAscii);
  REQUIRE(log.start);
  CHECK(kk::format_iso(*log.start) == "2024-05-01T12:04:05.000000Z");
  CHECK(log.rows.empty());
}

TEST_CASE("collector log: rows without times, damaged lines reported with offsets") {
  std::string text =
      "Start   time: 2024/05/01 12:04:05\r\n"
      "d41d8cd98f00b204e9800998ecf8427e   da39a3ee5e6b4b0d3255bfef95601890afd80709   "
      "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855   C:\\Windows\\Prefetch\\A "
      "B.pf\r\n"
      "garbage line\r\n";
  auto log = parse_collector_log(text, "Asia/Tokyo");
  REQUIRE(log.rows.size() == 1);
  CHECK_FALSE(log.rows[0].created);
  CHECK(log.rows[0].sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(log.rows[0].source_path == "C:\\Windows\\Prefetch\\A B.pf");
  REQUIRE(log.problems.size() == 1);
  CHECK(log.problems[0].line == 3);
  CHECK(log.problems[0].offset == text.find("garbage"));
}
