// The real-browser test: headless Chromium opens notice.html from disk (network
// disabled, the page's CSP forbids any fetch), and the test checks the rendered DOM has
// every section and the chart, that the browser reported no blocked resource, and saves
// a screenshot and a PDF under the build dir for people to look at. Skipped when no
// chromium is installed (Debian: chromium, fonts-noto-cjk).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "browser_util.hpp"
#include "notice_fixture.hpp"

TEST_CASE("headless Chromium renders the notice with every section and the chart") {
  std::string chromium = kk_test::find_chromium();
  if (chromium.empty()) {
    MESSAGE("chromium not installed; browser test skipped");
    return;
  }
  const std::string out_dir = std::string(KK_BIN_DIR) + "/../notice-screenshots";
  std::filesystem::create_directories(out_dir);
  for (auto lang : {kk::notice::Lang::kJa, kk::notice::Lang::kEn}) {
    const std::string tag = lang == kk::notice::Lang::kJa ? "ja" : "en";
    const std::string html_path = out_dir + "/notice-" + tag + ".html";
    {
      std::ofstream f(html_path, std::ios::binary);
      f << kk_test::render_fixture(lang, kk::notice::Format::kHtml);
    }
    const std::string dom = out_dir + "/dom-" + tag + ".html",
                      log = out_dir + "/chromium-" + tag + ".log";
    REQUIRE(kk_test::dump_dom(chromium, html_path, dom, log) == 0);
    const std::string flags = kk_test::kChromiumFlags;
    std::string rendered = kk_test::read_file(dom);
    for (const char* id : kk_test::kNoticeSections)
      CHECK_MESSAGE(rendered.find(std::string("<section id=\"") + id + "\"") != std::string::npos,
                    id);
    CHECK(rendered.find("id=\"activity-chart\"") != std::string::npos);
    CHECK(rendered.find("class=\"detection-marker\"") != std::string::npos);
    // A blocked fetch or a console error would mean the file is not self-contained.
    std::string errors = kk_test::read_file(log);
    CHECK_MESSAGE(errors.find("Refused to") == std::string::npos, errors);
    CHECK_MESSAGE(errors.find("CONSOLE") == std::string::npos, errors);
    if (lang == kk::notice::Lang::kEn) continue;  // one screenshot and PDF are enough (and fast)
    const std::string png = out_dir + "/notice-" + tag + ".png";
    int rc = std::system(("timeout 60 " + chromium + flags +
                          "--window-size=1000,12000 --screenshot=" + png + " file://" + html_path +
                          " > /dev/null 2>&1")
                             .c_str());
    CHECK(rc == 0);
    CHECK(std::filesystem::file_size(png) > 100000);
    const std::string pdf = out_dir + "/notice-" + tag + ".pdf";
    rc = std::system(("timeout 60 " + chromium + flags + "--no-pdf-header-footer --print-to-pdf=" +
                      pdf + " file://" + html_path + " > /dev/null 2>&1")
                         .c_str());
    CHECK(rc == 0);
    MESSAGE("screenshot: " << png << ", PDF: " << pdf);
  }
}
