// Headless Chromium for the notice's browser tests (tests/notice, tests/triage).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace kk_test {

// Every section the notice must render.
constexpr const char* kNoticeSections[] = {"cover",       "summary",  "overview", "scope",
                                           "timeline",    "findings", "iocs",     "recommendations",
                                           "limitations", "appendix"};

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

}  // namespace kk_test
