// One reader per database schema. Private to lib/browser.
#pragma once

#include "browser/record_head.hpp"

namespace kk::browser {

void read_chrome_history(const ReadContext& ctx);     // chrome_history.cpp
void read_firefox_places(const ReadContext& ctx);     // firefox_places.cpp
void read_firefox_downloads(const ReadContext& ctx);  // firefox_downloads.cpp (before v20)

}  // namespace kk::browser
