// parse_file: recognise the database by its tables and hand it to its reader;
// select_inputs: which files of a Web/ folder are databases we read.
#include "browser/browser.hpp"

#include <filesystem>
#include <set>

#include "browser/readers.hpp"
#include "browser/sqlite_db.hpp"
#include "browser/webcache.hpp"
#include "core/ascii_case.hpp"

namespace kk::browser {

namespace {

// ESE ("Extensible Storage Engine") databases carry 0x89ABCDEF at offset 4.
bool is_ese(const std::vector<std::uint8_t>& b) {
  return b.size() >= 8 && b[4] == 0xEF && b[5] == 0xCD && b[6] == 0xAB && b[7] == 0x89;
}

std::string header_text(const std::vector<std::uint8_t>& b) {
  std::string s;
  for (std::size_t i = 0; i < b.size() && i < 16; ++i)
    s += (b[i] >= 0x20 && b[i] < 0x7f) ? static_cast<char>(b[i]) : '.';
  return s;
}

void report_wal(const LoadedImage& img, const std::string& source, Diagnostics& diag,
                Summary& sum) {
  if (!img.wal) return;
  const WalResult& w = *img.wal;
  std::string wal_name = source + "-wal";
  if (w.applied) {
    sum.wal_applied = true;
    diag.info(wal_name, std::nullopt,
              "applied " + std::to_string(w.committed) + " committed frames (" +
                  std::to_string(w.pages_written) + " pages) to a private copy of the database");
  }
  if (!w.problem.empty())
    diag.warning(wal_name, std::nullopt,
                 (w.applied ? "" : "not applied: ") + w.problem +
                     (w.applied ? "" : "; the database is read as it was before the WAL"));
}

}  // namespace

namespace {

Summary parse_loaded(LoadedImage img, const std::string& path, const std::string& source,
                     const Options& options, std::string& out, Diagnostics& diag) {
  Summary sum;
  std::string err;
  Owner owner = owner_from_path(source);
  if (owner.browser.empty()) owner = owner_from_path(path);
  if (img.image.empty()) {
    diag.unreadable(source, "empty file (0 bytes): no database to read");
    return sum;
  }
  if (is_ese(img.image)) {
    // IE / Edge-legacy WebCacheV01.dat: read by the ESE reader (webcache.cpp).
    sum.database = "webcache";
    if (owner.browser.empty()) owner.browser = "IE10_Edge";
    sum.readable = read_webcache(img.image, RecordTarget{source, owner, out, sum}, diag);
    return sum;
  }
  if (!is_sqlite(img.image.data(), img.image.size())) {
    diag.unreadable(source, "not an SQLite database (header \"" + header_text(img.image) + "\", " +
                                std::to_string(img.image.size()) + " bytes)");
    return sum;
  }
  report_wal(img, source, diag, sum);
  auto db = Database::from_image(std::move(img.image), &err);
  if (!db) {
    diag.unreadable(source, err);
    return sum;
  }
  if (!db->schema_problem().empty() && db->tables().empty()) {
    diag.unreadable(source, "SQLite schema unreadable: " + db->schema_problem());
    return sum;
  }
  if (!db->schema_problem().empty())
    diag.warning(source, std::nullopt,
                 "SQLite schema partly unreadable: " + db->schema_problem() + "; read " +
                     std::to_string(db->tables().size()) + " tables");
  sum.readable = true;
  ReadContext ctx{*db, source, owner, options, out, diag, sum};
  if (db->has_table("urls")) {
    sum.database = "chrome_history";
    if (ctx.owner.browser.empty()) owner.browser = "Chromium";
    read_chrome_history(ctx);
  } else if (db->has_table("moz_places")) {
    sum.database = "firefox_places";
    if (ctx.owner.browser.empty()) owner.browser = "Firefox";
    read_firefox_places(ctx);
  } else if (db->has_table("moz_downloads")) {
    sum.database = "firefox_downloads";
    if (ctx.owner.browser.empty()) owner.browser = "Firefox";
    read_firefox_downloads(ctx);
  } else {
    std::string names;
    for (const auto& t : db->tables()) {
      if (names.size() > 120) {
        names += ", …";
        break;
      }
      names += (names.empty() ? "" : ", ") + t;
    }
    diag.warning(source, std::nullopt,
                 "SQLite database is not a browser history we know (tables: " +
                     (names.empty() ? std::string("none") : names) + "); nothing read");
  }
  return sum;
}

}  // namespace

Summary parse_file(const std::string& path, const std::string& source, const Options& options,
                   std::string& out, Diagnostics& diag) {
  LoadedImage img;
  std::string err;
  if (!load_image(path, img, &err)) {
    diag.unreadable(source, err);
    return {};
  }
  return parse_loaded(std::move(img), path, source, options, out, diag);
}

Summary parse_image(std::vector<std::uint8_t> image, const std::string& source,
                    const Options& options, std::string& out, Diagnostics& diag) {
  LoadedImage img;
  img.image = std::move(image);
  return parse_loaded(std::move(img), source, source, options, out, diag);
}

std::vector<Input> select_inputs(const std::vector<Input>& files, Diagnostics& diag) {
  std::set<std::string> present;
  for (const auto& f : files) present.insert(f.path);
  std::vector<Input> out;
  for (const auto& f : files) {
    std::string name = std::filesystem::path(f.path).filename().string();
    auto companion = [&](std::string_view suffix) -> bool {
      if (!iends_with(name, suffix)) return false;
      std::string db = f.path.substr(0, f.path.size() - suffix.size());
      std::error_code ec;
      if (present.count(db) || std::filesystem::is_regular_file(db, ec)) return true;
      diag.warning(f.source, std::nullopt,
                   std::string(suffix.substr(1)) +
                       " file without its database: not readable on its own, nothing read");
      return true;
    };
    if (companion("-wal") || companion("-shm") || companion("-journal")) continue;
    if (iends_with(name, "History") || iends_with(name, "places.sqlite") ||
        iends_with(name, "downloads.sqlite") || iends_with(name, "WebCacheV01.dat") ||
        iends_with(name, ".sqlite")) {
      if (iends_with(name, "cookies.sqlite")) {
        diag.info(f.source, std::nullopt, "cookies are not read (no history or downloads)");
        continue;
      }
      out.push_back(f);
      continue;
    }
    diag.info(f.source, std::nullopt, "not a browser database parse-browser reads");
  }
  return out;
}

}  // namespace kk::browser
