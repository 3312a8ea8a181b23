// Firefox downloads.sqlite (before Firefox 20 downloads had their own database,
// table moz_downloads; later ones are annotations in places.sqlite).
#include "browser/readers.hpp"
#include "browser/url_text.hpp"

namespace kk::browser {

// nsIDownloadManager DOWNLOAD_* states (also used by places' downloads/metaData).
const char* firefox_download_state(std::int64_t s) {
  switch (s) {
    case -1:
      return "not_started";
    case 0:
      return "in_progress";
    case 1:
      return "complete";
    case 2:
      return "failed";
    case 3:
      return "cancelled";
    case 4:
      return "paused";
    case 5:
      return "queued";
    case 6:
      return "blocked_parental";
    case 7:
      return "scanning";
    case 8:
      return "blocked_malware";
    case 9:
      return "blocked_policy";
    default:
      return "unknown";
  }
}

void read_firefox_downloads(const ReadContext& ctx) {
  const Database& db = ctx.db;
  auto col = [&](const char* name) { return db.column_or_null("moz_downloads", name); };
  std::string sql = "SELECT id, " + col("source") + ", " + col("target") + ", " + col("name") +
                    ", " + col("startTime") + ", " + col("endTime") + ", " + col("state") + ", " +
                    col("referrer") + ", " + col("currBytes") + ", " + col("maxBytes") + ", " +
                    col("mimeType") + " FROM moz_downloads ORDER BY id";
  Statement s(db.handle(), sql);
  while (s.next()) {
    DownloadRecord r;
    r.download_id = s.integer(0).value_or(0);
    r.url = s.text(1);
    std::string target = s.text(2);
    r.target_path = target.empty() ? s.text(3) : file_uri_to_path(target);
    r.start = from_prtime(s.integer(4));
    r.end = from_prtime(s.integer(5));
    if (auto state = s.integer(6)) r.state = firefox_download_state(*state);
    r.referrer = s.text(7);
    r.bytes = s.integer(8);
    r.total_bytes = s.integer(9);
    r.mime_type = s.text(10);
    write_download(ctx, r);
  }
  report_query_end(ctx, s, "moz_downloads");
}

}  // namespace kk::browser
