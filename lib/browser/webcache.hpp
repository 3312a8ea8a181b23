// IE 10/11 and Edge-legacy history: WebCacheV01.dat, an ESE database read with lib/ese.
// Its Containers table names each Container_N table: "History" / "MSHist01…" hold
// visits ("Visited: user@url", ":2022031020220311: user@url"), "iedownload" downloads,
// "Content" the cache (browser_cache: every file fetched and kept, with where it is kept:
// a cached program is evidence even when no download record names it); cookies, DOM
// storage and compatibility lists are counted, not emitted. Private to lib/browser
// (browser.cpp calls it).
#pragma once

#include "browser/record_head.hpp"
#include "core/byte_reader.hpp"

namespace kk::browser {

// Reads IMAGE (the whole WebCacheV01.dat) into T's records; damage and the database
// state go to DIAG under T.source. False when IMAGE is not an ESE database.
bool read_webcache(Bytes image, const RecordTarget& t, Diagnostics& diag);

// The URL and user of a history entry's Url column ("Visited: bob@https://x/",
// ":2022031020220311: bob@https://x/"); the text as it is when it has neither form.
struct HistoryUrl {
  std::string user, url;
};
HistoryUrl split_history_url(std::string_view text);

// The status code and Content-Type of a cache entry's ResponseHeaders ("HTTP/1.1 200
// OK\r\nContent-Type: text/html\r\n…"); 0 and "" when absent.
struct ResponseHead {
  std::int64_t status = 0;
  std::string content_type;
};
ResponseHead response_head(Bytes headers);

// True when the path of URL (or a file name) ends in the extension of a program or script
// Windows runs (exe, dll, scr, msi, ps1, vbs, hta, bat, …; not .js, which every web page
// loads) or of a disk image that carries one (iso, img, vhd). The host is not a path:
// "http://example.com" is not a .com program.
bool executable_name(std::string_view url_or_name);

}  // namespace kk::browser
