// The notice on paper: headless Chromium prints the fixture's notice, 速報 and appendix to
// PDF (kept under the build dir as test-run artefacts, not committed) and the test checks
// the page counts and that no table column is laid out narrower than 4 characters.
// Skipped when no chromium is installed.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "browser_util.hpp"
#include "notice_fixture.hpp"

TEST_CASE("printed: the brief is one A4 page, the body short, no column under 4 characters") {
  std::string chromium = kk_test::find_chromium();
  if (chromium.empty()) {
    MESSAGE("chromium not installed; print test skipped");
    return;
  }
  const std::string dir = std::string(KK_BIN_DIR) + "/../notice-printed";
  std::filesystem::create_directories(dir);
  using kk::notice::Part;
  for (auto [part, name_c, max_pages] :
       {std::tuple{Part::kBrief, "brief", 1}, std::tuple{Part::kNotice, "notice", 12},
        std::tuple{Part::kAppendix, "appendix", 100}}) {
    const std::string name = name_c;
    const std::string html = dir + "/" + name + ".html";
    {
      std::ofstream f(html, std::ios::binary);
      f << kk_test::render_fixture(kk::notice::Lang::kJa, kk::notice::Format::kHtml, part);
    }
    // The appendix is read on screen: only its columns are checked.
    int pages = part == Part::kAppendix
                    ? 0
                    : kk_test::print_pages(chromium, html, dir + "/" + name + ".pdf");
    CHECK_MESSAGE((part == Part::kAppendix || pages >= 1), name);
    CHECK_MESSAGE(pages <= max_pages, name << ": " << pages << " pages");
    std::string where;
    double em = kk_test::narrowest_column_em(chromium, html, &where);
    CHECK_MESSAGE(em >= 4.0, name << ": a column " << em << " em wide (" << where << ")");
    MESSAGE(name << ": " << pages << " pages, narrowest column " << em << " em; " << dir);
  }
}
