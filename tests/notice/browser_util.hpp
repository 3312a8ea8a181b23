// Headless Chromium for the notice's browser tests (tests/notice, tests/triage).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "../test_util.hpp"

namespace kk_test {

// Every section the notice body must render, in order, and those of its appendix.
constexpr const char* kNoticeSections[] = {"summary", "evidence",    "iocs", "recommendations",
                                           "scope",   "limitations", "cover"};
constexpr const char* kAppendixSections[] = {"timeline",  "findings", "iocs",     "overview",
                                             "inventory", "glossary", "rule-hits"};

constexpr const char* kChromiumFlags =
    " --headless --no-sandbox --disable-gpu --disable-background-networking"
    " --no-first-run --hide-scrollbars --enable-logging=stderr --v=0 ";

// "" when no Chromium is installed (Debian: chromium, fonts-noto-cjk); tests then skip.
inline std::string find_chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
    if (std::filesystem::exists(p)) return p;
  return "";
}

// Opens HTML_PATH from disk (network off) and writes the rendered DOM to DOM_PATH and the
// browser's log to LOG_PATH. Returns the exit status.
inline int dump_dom(const std::string& chromium, const std::string& html_path,
                    const std::string& dom_path, const std::string& log_path) {
  return std::system(("timeout 60 " + chromium + kChromiumFlags + "--dump-dom file://" + html_path +
                      " > " + dom_path + " 2> " + log_path)
                         .c_str());
}

// Prints HTML_PATH to PDF_PATH (A4, as a customer's "print" would) and returns the page
// count, or -1 when Chromium failed. Chromium writes each page as "/Type /Page" (and the
// page tree as "/Type /Pages").
inline int print_pages(const std::string& chromium, const std::string& html_path,
                       const std::string& pdf_path) {
  std::filesystem::remove(pdf_path);
  int rc = std::system(("timeout 90 " + chromium + kChromiumFlags +
                        "--no-pdf-header-footer --print-to-pdf=" + pdf_path + " file://" +
                        html_path + " > /dev/null 2>&1")
                           .c_str());
  if (rc != 0 || !std::filesystem::exists(pdf_path)) return -1;
  std::string pdf = read_file(pdf_path);
  int pages = 0;
  const std::string mark = "/Type /Page";
  for (auto at = pdf.find(mark); at != std::string::npos; at = pdf.find(mark, at + 1))
    if (at + mark.size() < pdf.size() && pdf[at + mark.size()] != 's') ++pages;
  return pages;
}

// The narrowest table column of HTML_PATH laid out at the printed text width (182 mm, A4
// less the page margins), in ems of the cell's own font (one em = one Japanese character).
// A copy of the page gets a measuring script (the notice's CSP forbids scripts).
// Returns the width and, in WHERE, the table class and the start of that cell's text.
inline double narrowest_column_em(const std::string& chromium, const std::string& html_path,
                                  std::string* where) {
  std::string html = read_file(html_path);
  auto csp = html.find("<meta http-equiv=\"Content-Security-Policy\"");
  if (csp != std::string::npos) html.erase(csp, html.find("/>", csp) + 2 - csp);
  const std::string script = R"JS(<script>
var m = 1e9, where = '';
document.querySelectorAll('table').forEach(function (t) {
  for (const r of t.rows) for (const c of r.cells) {
    if (c.colSpan > 1) continue;
    var cs = getComputedStyle(c);
    var w = c.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    var em = w / parseFloat(cs.fontSize);
    if (em < m) { m = em; where = t.className + ': ' + c.textContent.slice(0, 24); }
  }
});
document.body.setAttribute('data-narrowest', m.toFixed(2));
document.body.setAttribute('data-narrowest-where', where);
</script>)JS";
  html.insert(html.rfind("</body>"), script);
  const std::string copy = html_path + ".measure.html", dom = html_path + ".measure.dom";
  {
    std::ofstream f(copy, std::ios::binary);
    f << html;
  }
  // 182 mm at 96 dpi is 688 px.
  std::system(("timeout 60 " + chromium + kChromiumFlags +
               "--window-size=688,2000 --dump-dom file://" + copy + " > " + dom + " 2> /dev/null")
                  .c_str());
  std::string out = read_file(dom);
  auto at = out.find("data-narrowest=\"");
  if (at == std::string::npos) return -1;
  double em = std::atof(out.c_str() + at + 16);
  auto w = out.find("data-narrowest-where=\"");
  if (where && w != std::string::npos) *where = out.substr(w + 22, out.find('"', w + 22) - w - 22);
  return em;
}

}  // namespace kk_test
