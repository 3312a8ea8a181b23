#include "browser/record_head.hpp"

namespace kk::browser {

namespace {

void time_or_null(JsonWriter& w, std::string_view key, std::optional<UtcMicros> t) {
  w.key(key);
  if (t)
    w.time(*t);
  else
    w.null();
}

void string_or_null(JsonWriter& w, std::string_view key, std::string_view v) {
  w.key(key);
  if (v.empty())
    w.null();
  else
    w.string(v);
}

void integer_or_null(JsonWriter& w, std::string_view key, std::optional<std::int64_t> v) {
  w.key(key);
  if (v)
    w.integer(*v);
  else
    w.null();
}

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
  string_or_null(w, "browser", ctx.owner.browser);
  string_or_null(w, "user", ctx.owner.user);
  string_or_null(w, "profile", ctx.owner.profile);
  w.field("database", ctx.summary.database);
  time_or_null(w, "time", time);
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
  string_or_null(w, "title", r.title);
  w.field("visit_id", r.visit_id);
  integer_or_null(w, "from_visit", r.from_visit);
  string_or_null(w, "referrer", r.referrer_chain.empty() ? "" : r.referrer_chain.front());
  strings(w, "referrer_chain", r.referrer_chain);
  w.field("transition", r.transition);
  strings(w, "transition_qualifiers", r.transition_qualifiers);
  w.field("typed", r.typed);
  integer_or_null(w, "visit_count", r.visit_count);
  integer_or_null(w, "typed_count", r.typed_count);
  integer_or_null(w, "visit_duration_us", r.visit_duration_us);
  end_record(w);
  ++ctx.summary.visits;
}

void write_download(const RecordTarget& ctx, const DownloadRecord& r) {
  JsonWriter w(ctx.out);
  begin_record(w, ctx, "browser_download", r.start);
  w.field("url", r.url);
  string_or_null(w, "referrer", r.referrer);
  strings(w, "url_chain", r.url_chain);
  string_or_null(w, "tab_url", r.tab_url);
  string_or_null(w, "tab_referrer_url", r.tab_referrer_url);
  string_or_null(w, "site_url", r.site_url);
  string_or_null(w, "target_path", r.target_path);
  string_or_null(w, "current_path", r.current_path);
  time_or_null(w, "start_time", r.start);
  time_or_null(w, "end_time", r.end);
  integer_or_null(w, "bytes", r.bytes);
  integer_or_null(w, "total_bytes", r.total_bytes);
  string_or_null(w, "state", r.state);
  string_or_null(w, "danger_type", r.danger_type);
  integer_or_null(w, "interrupt_reason", r.interrupt_reason);
  w.key("opened");
  if (r.opened)
    w.boolean(*r.opened);
  else
    w.null();
  string_or_null(w, "mime_type", r.mime_type);
  string_or_null(w, "sha256", r.sha256);
  time_or_null(w, "last_access_time", r.last_access);
  string_or_null(w, "guid", r.guid);
  w.field("download_id", r.download_id);
  end_record(w);
  ++ctx.summary.downloads;
}

void write_search(const RecordTarget& ctx, const SearchRecord& r) {
  JsonWriter w(ctx.out);
  begin_record(w, ctx, "browser_search", r.time);
  w.field("term", r.term);
  string_or_null(w, "url", r.url);
  w.field("derived_from", r.derived_from);
  string_or_null(w, "engine", r.engine);
  end_record(w);
  ++ctx.summary.searches;
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
