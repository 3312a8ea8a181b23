// parse-browser on real files (tests/data/browser, from plaso's test data): Chrome History,
// Firefox places.sqlite and the pre-v20 downloads.sqlite; names, URLs and bad inputs.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "browser/browser.hpp"
#include "browser/url_text.hpp"

namespace {
std::string data(const std::string& name) {
  return std::string(KK_TEST_DATA) + "/browser/" + name;
}

struct Parsed {
  kk::browser::Summary sum;
  std::string out;
  std::uint64_t warnings = 0, errors = 0;
};

Parsed parse(const std::string& path, const std::string& source) {
  Parsed p;
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  p.sum = kk::browser::parse_file(path, source, {}, p.out, diag);
  p.warnings = diag.warnings();
  p.errors = diag.errors();
  return p;
}

bool has(const std::string& out, const std::string& s) {
  return out.find(s) != std::string::npos;
}

void write(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
}
}  // namespace

TEST_CASE("browser: Chrome History — visits, referrer chains, downloads, searches") {
  auto p = parse(data("chrome_History"), "Web/Chrome/john_Default_History");
  REQUIRE(p.sum.readable);
  CHECK(p.sum.database == "chrome_history");
  // sqlite3: SELECT count(*) FROM visits / downloads / keyword_search_terms → 69 / 2 / 3.
  CHECK(p.sum.visits == 69);
  CHECK(p.sum.downloads == 2);
  CHECK(p.sum.searches == 3);
  CHECK(p.warnings == 0);
  CHECK(has(p.out, R"("browser":"Chrome","user":"john","profile":"Default")"));
  CHECK(has(
      p.out,
      R"("time":"2011-05-23T08:35:30.000000Z","url":"http://fatloss4idiotsx.com/download/funcats/funcats_scr.exe")"));
  CHECK(has(p.out, R"("target_path":"/home/john/Downloads/funcats_scr.exe")"));
  CHECK(has(p.out, R"("bytes":1132155,"total_bytes":1132155,"state":"complete")"));
  // Visit 22 came from visit 20 (google.ch), which came from google.com.
  CHECK(has(
      p.out,
      R"("visit_id":22,"from_visit":20,"referrer":"http://www.google.ch/","referrer_chain":["http://www.google.ch/","http://www.google.com/"],"transition":"link","transition_qualifiers":["chain_end","client_redirect"])"));
  CHECK(has(p.out, R"("term":"funnycats.exe")"));
  CHECK(has(p.out, R"("time":"2011-05-23T08:34:56.327602Z","term":"funnycats.exe")"));
}

TEST_CASE("browser: Firefox places.sqlite and downloads.sqlite") {
  auto p = parse(data("firefox_places.sqlite"), "Web/Firefox/alice_x1y2.default_places.sqlite");
  REQUIRE(p.sum.readable);
  CHECK(p.sum.database == "firefox_places");
  CHECK(p.sum.visits == 1);  // sqlite3: SELECT count(*) FROM moz_historyvisits → 1
  CHECK(has(
      p.out,
      R"("browser":"Firefox","user":"alice","profile":"x1y2.default","database":"firefox_places","time":"2011-07-01T11:16:21.371935Z","url":"http://news.google.com/","title":"Google News")"));
  CHECK(has(p.out, R"("transition":"typed","transition_qualifiers":[],"typed":true)"));

  auto d = parse(data("firefox_downloads.sqlite"), "firefox_downloads.sqlite");
  CHECK(d.sum.database == "firefox_downloads");
  CHECK(d.sum.downloads == 1);
  CHECK(has(d.out,
            R"("url":"https://plaso.googlecode.com/files/plaso-static-1.0.1-win32-vs2008.zip")"));
  CHECK(has(d.out, R"("target_path":"D:\\plaso-static-1.0.1-win32-vs2008.zip")"));
  CHECK(has(
      d.out,
      R"("start_time":"2013-07-18T18:59:59.312000Z","end_time":"2013-07-18T19:01:18.578000Z")"));
  CHECK(has(d.out, R"("state":"complete")"));
}

TEST_CASE("browser: owner from CDIR-C names and from profile paths") {
  using kk::browser::owner_from_path;
  auto a = owner_from_path("Web/Chrome/taro_yamada_Profile 1_History");
  CHECK(a.browser == "Chrome");
  CHECK(a.user == "taro_yamada");
  CHECK(a.profile == "Profile 1");
  auto b =
      owner_from_path("/case/PC01_20240501/Web_old/Firefox/bob_ab12.default-release_places.sqlite");
  CHECK(b.browser == "Firefox");
  CHECK(b.user == "bob");
  CHECK(b.profile == "ab12.default-release");
  auto c = owner_from_path("Web/IE10_Edge/Administrator_WebCacheV01.dat");
  CHECK(c.browser == "IE10_Edge");
  CHECK(c.user == "Administrator");
  CHECK(c.profile.empty());
  auto d = owner_from_path("C:/Users/hana/AppData/Local/Microsoft/Edge/User Data/Default/History");
  CHECK(d.browser == "Edge");
  CHECK(d.user == "hana");
  CHECK(d.profile == "Default");
}

TEST_CASE("browser: URL pieces") {
  using namespace kk::browser;
  CHECK(file_uri_to_path("file:///C:/Users/a/Downloads/inv%20oice.exe") ==
        "C:\\Users\\a\\Downloads\\inv oice.exe");
  CHECK(file_uri_to_path("file://srv/share/x.doc") == "\\\\srv\\share\\x.doc");
  CHECK(file_uri_to_path("file:///home/u/x") == "/home/u/x");
  auto s = search_term_from_url(
      "https://www.google.co.jp/search?q=%E3%83%86%E3%82%B9%E3%83%88+exe&ie=UTF-8");
  REQUIRE(s);
  CHECK(s->engine == "google");
  CHECK(s->term == "テスト exe");
  CHECK(!search_term_from_url("https://www.google.com/maps?q=x"));
  CHECK(search_term_from_url("https://duckduckgo.com/?q=a%2Bb")->term == "a+b");
  CHECK(percent_decode("%zz%4", false) == "%zz%4");  // bad escapes stay
}

TEST_CASE("browser: bad inputs are one diagnostic each, what is readable is read") {
  const std::string dir = kk_test::temp_dir();
  // Not SQLite.
  write(dir + "/History", "this is not a database at all\n");
  auto a = parse(dir + "/History", "Web/Chrome/u_Default_History");
  CHECK(!a.sum.readable);
  CHECK(a.errors == 1);
  CHECK(a.out.empty());
  // Empty.
  write(dir + "/empty", "");
  CHECK(parse(dir + "/empty", "empty").errors == 1);
  // Cut after a few pages: the header is there, the tables are not all.
  std::string full = kk_test::read_file(data("chrome_History"));
  for (std::size_t cut : {4096u, 20000u, 60000u}) {
    write(dir + "/cut", full.substr(0, cut));
    auto c = parse(dir + "/cut", "cut");
    CHECK(c.errors + c.warnings >= 1);
    CHECK(c.sum.visits <= 69);
  }
  // Every page damaged in turn: never a crash, never more rows than the file holds.
  for (std::size_t page = 1; page < full.size() / 4096; ++page) {
    std::string d = full;
    for (std::size_t i = 0; i < 4096; i += 7) d[page * 4096 + i] = static_cast<char>(0xA5);
    write(dir + "/damaged", d);
    auto c = parse(dir + "/damaged", "damaged");
    CHECK(c.sum.visits <= 69);
  }
  // A WAL without its database, and a cookies database: named, not read.
  write(dir + "/u_p_places.sqlite-wal", "x");
  write(dir + "/u_p_cookies.sqlite", "x");
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  auto sel = kk::browser::select_inputs(
      {{dir + "/u_p_places.sqlite-wal", "Web/Firefox/u_p_places.sqlite-wal"},
       {dir + "/u_p_cookies.sqlite", "Web/Firefox/u_p_cookies.sqlite"},
       {data("chrome_History"), "Web/Chrome/u_p_History"}},
      diag);
  REQUIRE(sel.size() == 1);
  CHECK(sel[0].source == "Web/Chrome/u_p_History");
  CHECK(diag.warnings() == 1);  // the lone WAL
  std::filesystem::remove_all(dir);
}

TEST_CASE("browser: parse-browser tool — exit status and usage") {
  const std::string bin = std::string(KK_BIN_DIR) + "/parse-browser";
  if (!std::filesystem::exists(bin)) {
    MESSAGE("parse-browser not built, skipped");
    return;
  }
  CHECK(std::system((bin + " --help > /dev/null").c_str()) == 0);
  CHECK(WEXITSTATUS(std::system((bin + " > /dev/null 2>&1").c_str())) == 2);
  CHECK(WEXITSTATUS(
            std::system((bin + " --quiet /nonexistent/History > /dev/null 2>&1").c_str())) == 1);
  const std::string out = kk_test::temp_file();
  CHECK(std::system((bin + " --quiet -o " + out + " " + data("chrome_History")).c_str()) == 0);
  CHECK(kk_test::read_file(out).find("funcats_scr.exe") != std::string::npos);
  std::filesystem::remove(out);
}
