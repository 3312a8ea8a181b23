#include "browser/record_head.hpp"

namespace kk::browser {

namespace {

void strings(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.key(key).begin_array();
  for (const auto& s : v) w.string(s);
  w.end_array();
}

// {"artifact","source","browser","user","profile","database","time", … left open.
void begin_record(JsonWriter& w, const RecordTarget& ctx, std::string_view artifact,
                  std::optional<UtcMicros> time) {
  w.begin_object();
  w.field("artifact", artifact).field("source", ctx.source);
  w.string_or_null("browser", ctx.owner.browser);
  w.string_or_null("user", ctx.owner.user);
  w.string_or_null("profile", ctx.owner.profile);
  w.field("database", ctx.summary.database);
  w.time_or_null("time", time);
}

void end_record(JsonWriter& w) {
  w.end_object();
  w.end_line();
}

constexpr std::int64_t kWebkitToUnixMicros = 11644473600LL * 1000000;
// Later than 9999-12-31: not a time (a damaged or reused column).
constexpr std::int64_t kMaxUnixMicros = 253402300799LL * 1000000;

}  // namespace

void write_visit(const RecordTarget& ctx, const VisitRecord& r) {
  JsonWriter w(ctx.out);
  begin_record(w, ctx, "browser_visit", r.time);
  w.field("url", r.url);
  w.string_or_null("title", r.title);
  w.field("visit_id", r.visit_id);
  w.integer_or_null("from_visit", r.from_visit);
  w.string_or_null("referrer", r.referrer_chain.empty() ? "" : r.referrer_chain.front());
  strings(w, "referrer_chain", r.referrer_chain);
  w.field("transition", r.transition);
  strings(w, "transition_qualifiers", r.transition_qualifiers);
  w.field("typed", r.typed);
  w.integer_or_null("visit_count", r.visit_count);
  w.integer_or_null("typed_count", r.typed_count);
  w.integer_or_null("visit_duration_us", r.visit_duration_us);
  end_record(w);
  ++ctx.summary.visits;
}

void write_download(const RecordTarget& ctx, const DownloadRecord& r) {
  JsonWriter w(ctx.out);
  begin_record(w, ctx, "browser_download", r.start);
  w.field("url", r.url);
  w.string_or_null("referrer", r.referrer);
  strings(w, "url_chain", r.url_chain);
  w.string_or_null("tab_url", r.tab_url);
  w.string_or_null("tab_referrer_url", r.tab_referrer_url);
  w.string_or_null("site_url", r.site_url);
  w.string_or_null("target_path", r.target_path);
  w.string_or_null("current_path", r.current_path);
  w.time_or_null("start_time", r.start);
  w.time_or_null("end_time", r.end);
  w.integer_or_null("bytes", r.bytes);
  w.integer_or_null("total_bytes", r.total_bytes);
  w.string_or_null("state", r.state);
  w.string_or_null("danger_type", r.danger_type);
  w.integer_or_null("interrupt_reason", r.interrupt_reason);
  w.key("opened");
  if (r.opened)
    w.boolean(*r.opened);
  else
    w.null();
  w.string_or_null("mime_type", r.mime_type);
  w.string_or_null("sha256", r.sha256);
  w.time_or_null("last_access_time", r.last_access);
  w.string_or_null("guid", r.guid);
  w.field("download_id", r.download_id);
  end_record(w);
  ++ctx.summary.downloads;
}

void write_search(const RecordTarget& ctx, const SearchRecord& r) {
  JsonWriter w(ctx.out);
  begin_record(w, ctx, "browser_search", r.time);
  w.field("term", r.term);
  w.string_or_null("url", r.url);
  w.field("derived_from", r.derived_from);
  w.string_or_null("engine", r.engine);
  end_record(w);
  ++ctx.summary.searches;
}

void write_cache(const RecordTarget& ctx, const CacheRecord& r) {
  JsonWriter w(ctx.out);
  begin_record(w, ctx, "browser_cache", r.created ? r.created : r.accessed);
  w.field("url", r.url);
  w.string_or_null("redirect_url", r.redirect_url);
  w.string_or_null("file_name", r.file_name);
  w.string_or_null("cached_path", r.cached_path);
  w.integer_or_null("file_size", r.file_size);
  w.string_or_null("content_type", r.content_type);
  w.integer_or_null("http_status", r.http_status);
  w.field("executable", r.executable);
  w.time_or_null("created_time", r.created);
  w.time_or_null("accessed_time", r.accessed);
  w.time_or_null("modified_time", r.modified);
  w.time_or_null("expiry_time", r.expires);
  w.time_or_null("synced_time", r.synced);
  w.integer_or_null("access_count", r.access_count);
  w.field("container", r.container);
  w.field("container_id", r.container_id);
  w.field("entry_id", r.entry_id);
  end_record(w);
  ++ctx.summary.cache_entries;
}

std::optional<UtcMicros> from_webkit(std::optional<std::int64_t> t) {
  if (!t || *t <= 0) return std::nullopt;
  std::int64_t u = *t - kWebkitToUnixMicros;
  if (u <= -kWebkitToUnixMicros || u > kMaxUnixMicros) return std::nullopt;
  return u;
}

std::optional<UtcMicros> from_prtime(std::optional<std::int64_t> t) {
  if (!t || *t <= 0 || *t > kMaxUnixMicros) return std::nullopt;
  return *t;
}

void report_query_end(const ReadContext& ctx, const Statement& s, std::string_view table) {
  if (s.error().empty()) return;
  ctx.diag.warning(ctx.source, std::nullopt,
                   std::string(table) + ": " + s.error() + " after " + std::to_string(s.rows()) +
                       " rows; the rows before were read");
}

}  // namespace kk::browser
