// The classifiers: a browser cache entry (parse-browser) of a program files a download
// mark linked to the suspect by the name it was fetched as; a cached page files nothing.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <sstream>

#include "../test_util.hpp"
#include "notice/observations.hpp"
#include "notice/verdicts.hpp"

namespace {

using K = kk::notice::ObservationKind;

// The timeline event of a browser_cache record as lib/timeline/map_browser.cpp writes it
// (path = the cached file, "downloaded" when the record says executable).
std::string cache_event(simdjson::dom::element rec) {
  auto s = [&](const char* k) {
    std::string_view v;
    if (rec[k].get(v) != simdjson::SUCCESS) v = {};
    std::ostringstream o;
    o << '"';
    for (char c : v) o << (c == '\\' || c == '"' ? "\\" : "") << c;
    o << '"';
    return o.str();
  };
  bool exe = false;
  if (rec["executable"].get(exe) != simdjson::SUCCESS) exe = false;
  return "{\"artifact\":\"browser_cache\",\"source\":" + s("source") + ",\"url\":" + s("url") +
         ",\"path\":" + s("cached_path") + ",\"file_name\":" + s("file_name") +
         ",\"timestamp_desc\":\"Cached Time\",\"tags\":[" +
         (exe ? "\"downloaded\",\"file_created\"" : "\"file_created\"") + "]}";
}

}  // namespace

TEST_CASE("browser_cache: a cached program is a download mark linked by its URL's file name") {
  // Entries 56 (a page) and 9033 (entry 33 edited into a cached setup.exe) of the real
  // WebCacheV01.dat records (tests/data/timeline/README.md).
  std::istringstream lines(
      kk_test::read_file(std::string(KK_TEST_DATA) + "/timeline/browser_cache_records.jsonl"));
  kk::notice::ObservationLog log;
  simdjson::dom::parser rp, ep;
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    const std::string ev = cache_event(rp.parse(line).value());
    log.add(ep.parse(ev).value(), 1638225824771951LL);
    ++n;
  }
  REQUIRE(n == 3);
  CHECK(log.seen("browser_cache") == 3);
  const auto& marks = log.of(K::kDownloadMark);
  REQUIRE(marks.size() == 1);  // the pages and the .dat are no events the questions ask about
  const auto& o = marks.front();
  CHECK(o.url == "https://example.com/dl/setup.exe");
  CHECK(o.path.ends_with("\\INetCache\\IE\\9XWKH8VJ\\setup[1].exe"));
  CHECK(o.target_path == "setup.exe");
  // Linked to the suspect by the name it was fetched as, or by its cached file itself…
  CHECK(kk::notice::SuspectMatch({"C:\\Users\\Administrator\\Downloads\\setup.exe"}).is_file(o));
  CHECK(kk::notice::SuspectMatch({"setup[1].exe"}).is_file(o));
  // …and not to another file (then it is an unlinked download, as a browser download is).
  CHECK_FALSE(
      kk::notice::SuspectMatch({"C:\\Users\\Administrator\\Downloads\\other.exe"}).is_file(o));
}
