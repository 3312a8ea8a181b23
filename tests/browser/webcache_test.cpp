// IE/Edge-legacy WebCacheV01.dat through parse-browser's reader (lib/browser/webcache):
// the corpus database (dissect.target's, dirty, two damaged pages) and the URL forms.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "../ese/ese_fixture.hpp"
#include "browser/browser.hpp"
#include "browser/webcache.hpp"

TEST_CASE("webcache: history URL forms") {
  auto a = kk::browser::split_history_url("Visited: Administrator@file:///E:/test-file-1.txt");
  CHECK(a.user == "Administrator");
  CHECK(a.url == "file:///E:/test-file-1.txt");
  auto b = kk::browser::split_history_url(":2021112920211130: bob@https://github.com/x");
  CHECK(b.user == "bob");
  CHECK(b.url == "https://github.com/x");
  auto c = kk::browser::split_history_url("https://example.com/a@b");
  CHECK(c.user.empty());
  CHECK(c.url == "https://example.com/a@b");
}

TEST_CASE("webcache: the corpus WebCacheV01.dat gives its history visits") {
  namespace fs = std::filesystem;
  const fs::path gz = fs::path(KK_CORPUS) / "browser/dissect-target/WebCacheV01.dat.gz";
  if (!fs::exists(gz)) {
    MESSAGE("shared corpus not present, skipped");
    return;
  }
  auto bytes = kk_test::gunzip_file(gz.string());
  REQUIRE(bytes.size() == 16777216);
  const fs::path dir = kk_test::temp_dir();
  const fs::path file = dir / "Administrator_WebCacheV01.dat";
  {
    std::ofstream f(file, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  }
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  std::string out;
  auto sum = kk::browser::parse_file(file.string(), "Web/IE10_Edge/Administrator_WebCacheV01.dat",
                                     {}, out, diag);
  CHECK(sum.readable);
  CHECK(sum.database == "webcache");
  CHECK(sum.downloads == 0);  // its iedownload container is empty
  CHECK(sum.visits > 30);
  CHECK(out.find(R"("url":"file:///E:/test-folder/test-file-2.txt")") != std::string::npos);
  CHECK(out.find(R"("browser":"IE10_Edge","user":"Administrator")") != std::string::npos);
  CHECK(out.find(":Host:") == std::string::npos);
  CHECK(
      out.find(
          R"("time":"2021-11-29T21:05:58.828382Z","url":"file:///E:/test-folder/test-file-2.txt")") !=
      std::string::npos);
  // The two damaged pages are named, once each, with their offsets.
  CHECK(diag.warnings() == 2);
  fs::remove_all(dir);
}
