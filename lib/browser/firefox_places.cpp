// Firefox places.sqlite: moz_places + moz_historyvisits (visit_type, from_visit chains),
// downloads kept as page annotations (moz_annos "downloads/destinationFileURI" and
// "downloads/metaData", Firefox 20 and later), and searches taken from the visited
// result-page URLs (Firefox keeps no search table). Visit types: Firefox's
// nsINavHistoryService TRANSITION_* values; download states: nsIDownloadManager's.
#include <simdjson.h>

#include <map>
#include <unordered_map>
#include <vector>

#include "browser/readers.hpp"
#include "browser/url_text.hpp"

namespace kk::browser {

namespace {

struct Place {
  std::string url, title;
  std::optional<std::int64_t> visit_count, typed;
};

struct Visit {
  std::int64_t id = 0, place = 0, from_visit = 0;
  std::optional<std::int64_t> time, type;
};

const char* visit_type(std::int64_t t) {
  static constexpr const char* kNames[] = {"unknown",
                                           "link",
                                           "typed",
                                           "bookmark",
                                           "embed",
                                           "redirect_permanent",
                                           "redirect_temporary",
                                           "download",
                                           "framed_link",
                                           "reload"};
  return t >= 0 && t < 10 ? kNames[t] : "unknown";
}

}  // namespace

const char* firefox_download_state(std::int64_t s);  // firefox_downloads.cpp

namespace {

std::unordered_map<std::int64_t, Place> read_places(const ReadContext& ctx) {
  std::unordered_map<std::int64_t, Place> places;
  const Database& db = ctx.db;
  std::string sql = "SELECT id, url, " + db.column_or_null("moz_places", "title") + ", " +
                    db.column_or_null("moz_places", "visit_count") + ", " +
                    db.column_or_null("moz_places", "typed") + " FROM moz_places";
  Statement s(db.handle(), sql);
  while (s.next())
    places[s.integer(0).value_or(0)] = Place{s.text(1), s.text(2), s.integer(3), s.integer(4)};
  report_query_end(ctx, s, "moz_places");
  return places;
}

struct VisitIndex {
  std::vector<Visit> rows;
  std::unordered_map<std::int64_t, std::size_t> by_id;
};

VisitIndex read_visits(const ReadContext& ctx) {
  VisitIndex v;
  const Database& db = ctx.db;
  if (!db.has_table("moz_historyvisits")) return v;
  std::string sql = "SELECT id, place_id, visit_date, " +
                    db.column_or_null("moz_historyvisits", "from_visit") + ", " +
                    db.column_or_null("moz_historyvisits", "visit_type") +
                    " FROM moz_historyvisits ORDER BY id";
  Statement s(db.handle(), sql);
  while (s.next()) {
    Visit r{s.integer(0).value_or(0), s.integer(1).value_or(0), s.integer(3).value_or(0),
            s.integer(2), s.integer(4)};
    v.by_id[r.id] = v.rows.size();
    v.rows.push_back(r);
  }
  report_query_end(ctx, s, "moz_historyvisits");
  return v;
}

// URLs of the pages that led to VISIT (nearest first), through from_visit.
std::vector<const Place*> referrers(const VisitIndex& vi,
                                    const std::unordered_map<std::int64_t, Place>& places,
                                    const Visit& visit, unsigned max_chain) {
  std::vector<const Place*> chain;
  std::int64_t from = visit.from_visit;
  for (unsigned hop = 0; from != 0 && hop < max_chain; ++hop) {
    auto it = vi.by_id.find(from);
    if (it == vi.by_id.end()) break;
    const Visit& f = vi.rows[it->second];
    if (auto p = places.find(f.place); p != places.end()) chain.push_back(&p->second);
    if (f.from_visit == from) break;
    from = f.from_visit;
  }
  return chain;
}

void visits(const ReadContext& ctx, const std::unordered_map<std::int64_t, Place>& places,
            const VisitIndex& vi) {
  for (const auto& v : vi.rows) {
    VisitRecord r;
    r.time = from_prtime(v.time);
    if (auto p = places.find(v.place); p != places.end()) {
      r.url = p->second.url;
      r.title = p->second.title;
      r.visit_count = p->second.visit_count;
      r.typed_count = p->second.typed;
    }
    r.visit_id = v.id;
    if (v.from_visit) r.from_visit = v.from_visit;
    for (const Place* c : referrers(vi, places, v, ctx.options.max_chain))
      r.referrer_chain.push_back(c->url);
    r.transition = visit_type(v.type.value_or(0));
    r.typed = v.type.value_or(0) == 2;
    write_visit(ctx, r);
  }
}

struct AnnotatedDownload {
  std::string target_uri, file_name, meta;
  std::optional<std::int64_t> added, modified;
};

void downloads(const ReadContext& ctx, const std::unordered_map<std::int64_t, Place>& places,
               const VisitIndex& vi) {
  const Database& db = ctx.db;
  if (!db.has_table("moz_annos") || !db.has_table("moz_anno_attributes")) return;
  std::map<std::int64_t, AnnotatedDownload> by_place;  // place id order
  {
    Statement s(db.handle(),
                "SELECT a.place_id, n.name, a.content, a.dateAdded, a.lastModified "
                "FROM moz_annos a JOIN moz_anno_attributes n ON n.id = a.anno_attribute_id "
                "WHERE n.name LIKE 'downloads/%' ORDER BY a.place_id, a.id");
    while (s.next()) {
      auto& d = by_place[s.integer(0).value_or(0)];
      std::string name = s.text(1);
      if (name == "downloads/destinationFileURI") {
        d.target_uri = s.text(2);
        d.added = s.integer(3);
        d.modified = s.integer(4);
      } else if (name == "downloads/destinationFileName") {
        d.file_name = s.text(2);
      } else if (name == "downloads/metaData") {
        d.meta = s.text(2);
      }
    }
    report_query_end(ctx, s, "moz_annos");
  }
  // The visit of type "download" (7) to the place: its from_visit is the referring page.
  std::unordered_map<std::int64_t, const Visit*> download_visit;
  for (const auto& v : vi.rows)
    if (v.type.value_or(0) == 7) download_visit[v.place] = &v;
  simdjson::dom::parser parser;
  for (const auto& [place_id, d] : by_place) {
    if (d.target_uri.empty() && d.file_name.empty()) continue;
    DownloadRecord r;
    r.download_id = place_id;
    if (auto p = places.find(place_id); p != places.end()) r.url = p->second.url;
    if (auto dv = download_visit.find(place_id); dv != download_visit.end()) {
      auto chain = referrers(vi, places, *dv->second, 1);
      if (!chain.empty()) r.referrer = chain.front()->url;
    }
    r.target_path = d.target_uri.empty() ? d.file_name : file_uri_to_path(d.target_uri);
    r.start = from_prtime(d.added);
    if (!d.meta.empty()) {
      simdjson::dom::element doc;
      if (parser.parse(d.meta).get(doc) == simdjson::SUCCESS) {
        std::int64_t v = 0;
        if (doc["state"].get(v) == simdjson::SUCCESS) r.state = firefox_download_state(v);
        if (doc["endTime"].get(v) == simdjson::SUCCESS && v > 0) r.end = from_prtime(v * 1000);
        if (doc["fileSize"].get(v) == simdjson::SUCCESS) r.bytes = r.total_bytes = v;
      } else {
        ctx.diag.warning(ctx.source, std::nullopt,
                         "moz_annos: downloads/metaData of place " + std::to_string(place_id) +
                             " is not JSON; state, end time and size left null");
      }
    }
    write_download(ctx, r);
  }
}

void searches(const ReadContext& ctx, const std::unordered_map<std::int64_t, Place>& places,
              const VisitIndex& vi) {
  for (const auto& v : vi.rows) {
    auto pit = places.find(v.place);
    if (pit == places.end()) continue;
    auto term = search_term_from_url(pit->second.url);
    if (!term) continue;
    write_search(
        ctx, SearchRecord{from_prtime(v.time), term->term, pit->second.url, "url", term->engine});
  }
}

}  // namespace

void read_firefox_places(const ReadContext& ctx) {
  auto places = read_places(ctx);
  auto vi = read_visits(ctx);
  visits(ctx, places, vi);
  downloads(ctx, places, vi);
  searches(ctx, places, vi);
}

}  // namespace kk::browser
