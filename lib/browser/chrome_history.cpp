// Chrome / Edge (Chromium) / Opera "History": urls + visits (transition, from_visit
// chains), downloads (+ downloads_url_chains), keyword_search_terms. Columns differ across
// versions (meta "version" 16 … 70 in the corpus): every optional column is selected as
// NULL when the table lacks it. Transition and download enums: Chromium's
// ui/base/page_transition_types.h and components/download (history values).
#include <unordered_map>
#include <vector>

#include "browser/readers.hpp"

namespace kk::browser {

namespace {

struct UrlRow {
  std::string url, title;
  std::optional<std::int64_t> visit_count, typed_count;
};

struct VisitRow {
  std::int64_t id = 0, url = 0, from_visit = 0;
  std::optional<std::int64_t> time, transition, duration;
};

const char* transition_core(std::int64_t t) {
  static constexpr const char* kCore[] = {"link",
                                          "typed",
                                          "auto_bookmark",
                                          "auto_subframe",
                                          "manual_subframe",
                                          "generated",
                                          "auto_toplevel",
                                          "form_submit",
                                          "reload",
                                          "keyword",
                                          "keyword_generated"};
  auto core = t & 0xFF;
  return core < 11 ? kCore[core] : "unknown";
}

std::vector<std::string> transition_qualifiers(std::int64_t t) {
  static constexpr std::pair<std::uint32_t, const char*> kQualifiers[] = {
      {0x00800000u, "blocked"},          {0x01000000u, "forward_back"},
      {0x02000000u, "from_address_bar"}, {0x04000000u, "home_page"},
      {0x08000000u, "from_api"},         {0x10000000u, "chain_start"},
      {0x20000000u, "chain_end"},        {0x40000000u, "client_redirect"},
      {0x80000000u, "server_redirect"}};
  std::vector<std::string> out;
  for (auto [bit, name] : kQualifiers)
    if (static_cast<std::uint32_t>(t) & bit) out.emplace_back(name);
  return out;
}

std::unordered_map<std::int64_t, UrlRow> read_urls(const ReadContext& ctx) {
  std::unordered_map<std::int64_t, UrlRow> urls;
  const Database& db = ctx.db;
  std::string sql = "SELECT id, url, title, " + db.column_or_null("urls", "visit_count") + ", " +
                    db.column_or_null("urls", "typed_count") + " FROM urls";
  Statement s(db.handle(), sql);
  while (s.next())
    urls[s.integer(0).value_or(0)] = UrlRow{s.text(1), s.text(2), s.integer(3), s.integer(4)};
  report_query_end(ctx, s, "urls");
  return urls;
}

void visits(const ReadContext& ctx, const std::unordered_map<std::int64_t, UrlRow>& urls) {
  const Database& db = ctx.db;
  if (!db.has_table("visits")) return;
  std::string sql = "SELECT id, url, visit_time, " + db.column_or_null("visits", "from_visit") +
                    ", " + db.column_or_null("visits", "transition") + ", " +
                    db.column_or_null("visits", "visit_duration") + " FROM visits ORDER BY id";
  std::vector<VisitRow> rows;
  std::unordered_map<std::int64_t, std::size_t> by_id;
  {
    Statement s(db.handle(), sql);
    while (s.next()) {
      VisitRow v{s.integer(0).value_or(0),
                 s.integer(1).value_or(0),
                 s.integer(3).value_or(0),
                 s.integer(2),
                 s.integer(4),
                 s.integer(5)};
      by_id[v.id] = rows.size();
      rows.push_back(v);
    }
    report_query_end(ctx, s, "visits");
  }
  auto url_of = [&](std::int64_t url_id) -> const UrlRow* {
    auto it = urls.find(url_id);
    return it == urls.end() ? nullptr : &it->second;
  };
  for (const auto& v : rows) {
    const UrlRow* u = url_of(v.url);
    VisitRecord r;
    r.time = from_webkit(v.time);
    if (u) {
      r.url = u->url;
      r.title = u->title;
      r.visit_count = u->visit_count;
      r.typed_count = u->typed_count;
    }
    r.visit_id = v.id;
    if (v.from_visit) r.from_visit = v.from_visit;
    // The referrer chain: from_visit links back to the page the visit came from.
    std::int64_t from = v.from_visit;
    for (unsigned hop = 0; from != 0 && hop < ctx.options.max_chain; ++hop) {
      auto it = by_id.find(from);
      if (it == by_id.end()) break;
      const VisitRow& f = rows[it->second];
      if (const UrlRow* fu = url_of(f.url)) r.referrer_chain.push_back(fu->url);
      if (f.from_visit == from) break;
      from = f.from_visit;
    }
    std::int64_t t = v.transition.value_or(0);
    r.transition = transition_core(t);
    r.transition_qualifiers = transition_qualifiers(t);
    r.typed = (t & 0xFF) == 1 || (t & 0x02000000) != 0;
    r.visit_duration_us = v.duration;
    write_visit(ctx, r);
  }
}

const char* download_state(std::int64_t s, bool legacy) {
  switch (s) {
    case 0:
      return "in_progress";
    case 1:
      return "complete";
    case 2:
      return "cancelled";
    case 3:
      return legacy ? "removed" : "interrupted";  // 3 was "bug 140687 interrupted" later
    case 4:
      return "interrupted";
    default:
      return "unknown";
  }
}

const char* danger_type(std::int64_t d) {
  static constexpr const char* kNames[] = {"not_dangerous",
                                           "dangerous_file",
                                           "dangerous_url",
                                           "dangerous_content",
                                           "maybe_dangerous_content",
                                           "uncommon_content",
                                           "user_validated",
                                           "dangerous_host",
                                           "potentially_unwanted",
                                           "allowlisted_by_policy",
                                           "async_scanning",
                                           "blocked_password_protected",
                                           "blocked_too_large",
                                           "sensitive_content_warning",
                                           "sensitive_content_block",
                                           "deep_scanned_safe",
                                           "deep_scanned_opened_dangerous",
                                           "prompt_for_scanning",
                                           "blocked_unsupported_filetype",
                                           "dangerous_account_compromise"};
  return d >= 0 && d < 20 ? kNames[d] : "unknown";
}

std::string hex(const std::vector<std::uint8_t>& b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (auto c : b) {
    s.push_back(kDigits[c >> 4]);
    s.push_back(kDigits[c & 15]);
  }
  return s;
}

void downloads(const ReadContext& ctx) {
  const Database& db = ctx.db;
  if (!db.has_table("downloads")) return;
  auto cols = db.columns("downloads");
  // Before Chrome 26 (meta < 24?) a download had one "url" and "full_path", and start_time
  // was POSIX seconds; later its URL chain lives in downloads_url_chains, times in µs
  // since 1601.
  const bool legacy = cols.count("full_path") != 0 && cols.count("target_path") == 0;
  std::unordered_map<std::int64_t, std::vector<std::string>> chains;
  if (db.has_table("downloads_url_chains")) {
    Statement s(db.handle(), "SELECT id, url FROM downloads_url_chains ORDER BY id, chain_index");
    while (s.next()) chains[s.integer(0).value_or(0)].push_back(s.text(1));
    report_query_end(ctx, s, "downloads_url_chains");
  }
  auto col = [&](const char* name) { return db.column_or_null("downloads", name); };
  std::string sql =
      "SELECT id, " + col("url") + ", " + (legacy ? std::string("full_path") : col("target_path")) +
      ", " + col("current_path") + ", start_time, " + col("end_time") + ", " +
      col("received_bytes") + ", " + col("total_bytes") + ", " + col("state") + ", " +
      col("danger_type") + ", " + col("interrupt_reason") + ", " + col("opened") + ", " +
      col("referrer") + ", " + col("tab_url") + ", " + col("tab_referrer_url") + ", " +
      col("site_url") + ", " + col("mime_type") + ", " + col("hash") + ", " +
      col("last_access_time") + ", " + col("guid") + " FROM downloads ORDER BY id";
  Statement s(db.handle(), sql);
  while (s.next()) {
    DownloadRecord r;
    r.download_id = s.integer(0).value_or(0);
    auto start = s.integer(4);
    r.start = legacy ? (start && *start > 0 ? std::optional<UtcMicros>(from_unix_seconds(*start))
                                            : std::nullopt)
                     : from_webkit(start);
    if (auto chain = chains.find(r.download_id); chain != chains.end()) r.url_chain = chain->second;
    r.url = s.text(1);
    if (r.url.empty() && !r.url_chain.empty()) r.url = r.url_chain.back();  // what was fetched
    r.target_path = s.text(2);
    r.current_path = s.text(3);
    r.end = from_webkit(s.integer(5));
    r.bytes = s.integer(6);
    r.total_bytes = s.integer(7);
    if (auto state = s.integer(8)) r.state = download_state(*state, legacy);
    if (auto danger = s.integer(9)) r.danger_type = danger_type(*danger);
    r.interrupt_reason = s.integer(10);
    if (auto o = s.integer(11)) r.opened = *o != 0;
    r.referrer = s.text(12);
    r.tab_url = s.text(13);
    r.tab_referrer_url = s.text(14);
    r.site_url = s.text(15);
    r.mime_type = s.text(16);
    if (!s.is_null(17))
      if (auto hash = s.blob(17); hash.size() == 32) r.sha256 = hex(hash);
    r.last_access = from_webkit(s.integer(18));
    r.guid = s.text(19);
    write_download(ctx, r);
  }
  report_query_end(ctx, s, "downloads");
}

void searches(const ReadContext& ctx) {
  const Database& db = ctx.db;
  if (!db.has_table("keyword_search_terms")) return;
  std::string sql =
      "SELECT k.term, u.url, u.last_visit_time, k.url_id FROM keyword_search_terms k "
      "LEFT JOIN urls u ON u.id = k.url_id ORDER BY k.url_id";
  Statement s(db.handle(), sql);
  while (s.next())
    write_search(ctx, SearchRecord{from_webkit(s.integer(2)), s.text(0), s.text(1),
                                   "keyword_search_terms", ""});
  report_query_end(ctx, s, "keyword_search_terms");
}

// A History whose visits table is gone (damage, or a partial copy such as Velociraptor's
// test file) still says when each URL was last visited.
void last_visits(const ReadContext& ctx) {
  const Database& db = ctx.db;
  std::string sql = "SELECT id, url, title, " + db.column_or_null("urls", "last_visit_time") +
                    ", " + db.column_or_null("urls", "visit_count") + ", " +
                    db.column_or_null("urls", "typed_count") + " FROM urls ORDER BY id";
  Statement s(db.handle(), sql);
  while (s.next()) {
    VisitRecord r;
    r.time = from_webkit(s.integer(3));
    r.url = s.text(1);
    r.title = s.text(2);
    r.transition = "last_visit";  // one record per URL: its last visit only
    r.visit_count = s.integer(4);
    r.typed_count = s.integer(5);
    write_visit(ctx, r);
  }
  report_query_end(ctx, s, "urls");
}

}  // namespace

void read_chrome_history(const ReadContext& ctx) {
  if (!ctx.db.has_table("visits")) {
    ctx.diag.warning(ctx.source, std::nullopt,
                     "History has no visits table: each URL's last visit is given instead");
    last_visits(ctx);
    downloads(ctx);
    searches(ctx);
    return;
  }
  auto urls = read_urls(ctx);
  visits(ctx, urls);
  downloads(ctx);
  searches(ctx);
}

}  // namespace kk::browser
