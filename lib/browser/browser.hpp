// Public interface of lib/browser: browser history databases to parse-browser's JSONL
// records (see ../shared/CONTRACT.md "parse-browser", docs/records.md, man/parse-browser.1).
//
// Chrome / Edge (Chromium) / Opera "History" and Firefox "places.sqlite" (its committed
// "-wal" applied in memory; downloads from moz_annos) and the older Firefox
// "downloads.sqlite" are read through SQLite. Used by tools/parse-browser.cpp and
// in-process by triage.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"

namespace kk::browser {

// Who the database belongs to. CDIR-C names a collected file
// "Web/<Browser>/<user>_<profile>_<file>"; a plain copy keeps the profile folder
// ("Users/<user>/AppData/…/User Data/<profile>/History").
struct Owner {
  std::string browser;  // "Chrome", "Edge", "Firefox", "IE10_Edge", … ("" when unknown)
  std::string user;
  std::string profile;
};
Owner owner_from_path(std::string_view path);

struct Options {
  // Visit referrer chains are followed up to this many hops (from_visit links).
  unsigned max_chain = 16;
};

// What one input gave.
struct Summary {
  bool readable = false;
  std::string database;  // "chrome_history", "firefox_places", "firefox_downloads", "webcache"
  std::uint64_t visits = 0, downloads = 0, searches = 0;
  std::uint64_t cache_entries = 0;  // browser_cache (WebCache Content containers)
  bool wal_applied = false;
};

// Reads the database at PATH and appends its records to OUT. SOURCE is the name records
// carry in "source" (relative to the bundle root when known). A file that is not a
// database at all gives diag.unreadable; a damaged one what could be read plus warnings.
Summary parse_file(const std::string& path, const std::string& source, const Options& options,
                   std::string& out, Diagnostics& diag);

// The same for a database already in memory (no -wal is looked for).
Summary parse_image(std::vector<std::uint8_t> image, const std::string& source,
                    const Options& options, std::string& out, Diagnostics& diag);

struct Input {
  std::string path;    // on disk
  std::string source;  // as records name it
};
// The inputs among FILES (a bundle's Web/ folder) that parse_file reads, in order; the
// others (a -wal/-shm read with its database, cookies, cache files) are reported once each
// to DIAG (info) as not read, with the reason; a -wal without its database is a warning.
std::vector<Input> select_inputs(const std::vector<Input>& files, Diagnostics& diag);

}  // namespace kk::browser
