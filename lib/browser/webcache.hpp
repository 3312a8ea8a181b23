// IE 10/11 and Edge-legacy history: WebCacheV01.dat, an ESE database read with lib/ese.
// Its Containers table names each Container_N table: "History" / "MSHist01…" hold
// visits ("Visited: user@url", ":2022031020220311: user@url"), "iedownload" downloads;
// the cache ("Content"), cookies, DOM storage and compatibility lists are counted,
// not emitted. Private to lib/browser (browser.cpp calls it).
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

}  // namespace kk::browser
