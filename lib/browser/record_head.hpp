// What every parse-browser record starts with, and the conversions the databases need.
// Private to lib/browser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "browser/browser.hpp"
#include "browser/sqlite_db.hpp"
#include "core/diagnostics.hpp"
#include "core/json_writer.hpp"
#include "core/time.hpp"

namespace kk::browser {

// Where records go and what they carry (the owner, the database kind in summary).
struct RecordTarget {
  const std::string& source;
  const Owner& owner;
  std::string& out;
  Summary& summary;
};

// One database being read: where records go and what they carry.
struct ReadContext {
  const Database& db;
  const std::string& source;
  const Owner& owner;
  const Options& options;
  std::string& out;
  Diagnostics& diag;
  Summary& summary;
  RecordTarget target() const { return {source, owner, out, summary}; }
};

// Chrome times: microseconds since 1601-01-01 UTC (0 = unset).
std::optional<UtcMicros> from_webkit(std::optional<std::int64_t> t);
// Firefox PRTime: microseconds since 1970 (0 = unset).
std::optional<UtcMicros> from_prtime(std::optional<std::int64_t> t);

// The fields of a browser_visit / browser_download / browser_search record, whatever
// database they come from (docs/records.md lists them). Empty strings are written as null.
struct VisitRecord {
  std::optional<UtcMicros> time;
  std::string url, title;
  std::int64_t visit_id = 0;
  std::optional<std::int64_t> from_visit;
  std::vector<std::string> referrer_chain;  // nearest page first; [0] is "referrer"
  std::string transition;
  std::vector<std::string> transition_qualifiers;
  bool typed = false;
  std::optional<std::int64_t> visit_count, typed_count, visit_duration_us;
};
struct DownloadRecord {
  std::optional<UtcMicros> start, end, last_access;
  std::string url, referrer;
  std::vector<std::string> url_chain;
  std::string tab_url, tab_referrer_url, site_url, target_path, current_path;
  std::optional<std::int64_t> bytes, total_bytes, interrupt_reason;
  std::string state, danger_type, mime_type, sha256, guid;
  std::optional<bool> opened;
  std::int64_t download_id = 0;
};
struct SearchRecord {
  std::optional<UtcMicros> time;
  std::string term, url, derived_from, engine;
};
// An entry of a cache: a file the browser fetched and kept (IE/Edge-legacy WebCache
// "Content" containers).
struct CacheRecord {
  std::optional<UtcMicros> created, accessed, modified, expires, synced;
  std::string url, redirect_url, file_name, cached_path, content_type, container;
  std::optional<std::int64_t> file_size, access_count, http_status;
  bool executable = false;  // the URL or file name ends in a program or script extension
  std::int64_t entry_id = 0, container_id = 0;
};
void write_visit(const RecordTarget& t, const VisitRecord& r);
void write_cache(const RecordTarget& t, const CacheRecord& r);
void write_download(const RecordTarget& t, const DownloadRecord& r);
void write_search(const RecordTarget& t, const SearchRecord& r);
inline void write_visit(const ReadContext& ctx, const VisitRecord& r) {
  write_visit(ctx.target(), r);
}
inline void write_download(const ReadContext& ctx, const DownloadRecord& r) {
  write_download(ctx.target(), r);
}
inline void write_search(const ReadContext& ctx, const SearchRecord& r) {
  write_search(ctx.target(), r);
}

// A query that ended early: a warning naming the table and how many rows were read.
void report_query_end(const ReadContext& ctx, const Statement& s, std::string_view table);

}  // namespace kk::browser
