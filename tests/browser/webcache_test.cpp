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
  // The Content container (Container_1): 46 rows, as esedbexport exports them.
  CHECK(sum.cache_entries == 46);
  CHECK(
      out.find(
          R"("artifact":"browser_cache","source":"Web/IE10_Edge/Administrator_WebCacheV01.dat","browser":"IE10_Edge","user":"Administrator","profile":null,"database":"webcache","time":"2021-11-29T22:47:25.505067Z","url":"http://google.com/","redirect_url":null,"file_name":"E7LW1M9F.htm","cached_path":"C:\\Users\\Administrator\\AppData\\Local\\Microsoft\\Windows\\INetCache\\IE\\L9HRTYNO\\E7LW1M9F.htm","file_size":219,"content_type":"text/html; charset=UTF-8","http_status":301,"executable":false,"created_time":"2021-11-29T22:47:25.505067Z")") !=
      std::string::npos);
  CHECK(out.find(R"("executable":true)") == std::string::npos);  // no program in this cache
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

TEST_CASE("webcache: a cache entry's response headers and program names") {
  using kk::browser::executable_name;
  using kk::browser::response_head;
  auto head = [](std::string_view s) {
    return response_head(kk::Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  };
  auto h = head(
      "HTTP/1.1 200 OK\r\ncontent-type: application/x-msdownload\r\nX: y\r\n\r\nHTTP/1.1 304\r\n");
  CHECK(h.status == 200);
  CHECK(h.content_type == "application/x-msdownload");
  h = head("HTTP/1.1 3x1 Moved\r\nContent-Type:text/html\r\n");
  CHECK(h.status == 0);
  CHECK(h.content_type == "text/html");
  h = head("");
  CHECK(h.status == 0);
  CHECK(h.content_type.empty());
  // After the first empty line come other responses' headers: not this one's.
  CHECK(head("HTTP/1.1 200 OK\r\n\r\nContent-Type: x\r\n").content_type.empty());

  CHECK(executable_name("https://dl.example.com/tools/setup.exe"));
  CHECK(executable_name("http://x.test/a/Invoice.PDF.js.hta?x=1#y"));
  CHECK(executable_name("setup[1].exe"));
  CHECK(executable_name("http://x.test/payload.iso"));
  CHECK_FALSE(executable_name("http://example.com"));  // a host, not a .com program
  CHECK_FALSE(executable_name("http://example.com/"));
  CHECK_FALSE(executable_name("https://x.test/app.js"));  // every page loads scripts
  CHECK_FALSE(executable_name("https://x.test/a.exe/index.html"));
  CHECK_FALSE(executable_name("https://x.test/get?file=a.exe"));
  CHECK_FALSE(executable_name(""));
}
