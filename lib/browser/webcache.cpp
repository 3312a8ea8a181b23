// WebCacheV01.dat; see webcache.hpp. Column names: the Container_N tables of IE 10/11.
#include "browser/webcache.hpp"

#include <map>

#include "core/ascii_case.hpp"
#include "core/utf.hpp"
#include "ese/ese.hpp"

namespace kk::browser {

namespace {

struct Container {
  std::string name, directory;
};

std::map<std::int64_t, Container> read_containers(const ese::Database& db) {
  std::map<std::int64_t, Container> out;
  const ese::Table* t = db.table("Containers");
  if (!t) return out;
  db.for_each_record(*t, [&](const ese::Record& r) {
    if (auto id = r.get("ContainerId").integer())
      out[*id] = {r.get("Name").text(), r.get("Directory").text()};
  });
  return out;
}

bool is_history(std::string_view name) {
  return iequals(name, "History") || istarts_with(name, "MSHist");
}

// An iedownload entry keeps the download's source URL and target path as UTF-16
// strings inside its ResponseHeaders blob (layout undocumented): take the first
// string that is a URL and the first that is a Windows path.
void strings_of_download(ese::Value blob, std::string& url, std::string& path) {
  Bytes b = blob.bytes();
  std::size_t i = 0;
  while (i + 1 < b.size()) {
    std::size_t j = i;
    while (j + 1 < b.size() && b[j + 1] == 0 && b[j] >= 0x20 && b[j] < 0x7F) j += 2;
    if (j - i >= 8) {
      std::string s = utf16le_to_utf8(b.subspan(i, j - i));
      const bool is_url = istarts_with(s, "http://") || istarts_with(s, "https://") ||
                          istarts_with(s, "ftp://") || istarts_with(s, "file:");
      const bool is_path = (s.size() > 3 && s[1] == ':' && s[2] == '\\') || s.starts_with("\\\\");
      if (is_url && url.empty()) url = s;
      if (is_path && path.empty()) path = s;
      i = j;
    } else {
      i = j + 1;  // odd/even alignment both tried
    }
  }
}

}  // namespace

HistoryUrl split_history_url(std::string_view text) {
  std::string_view rest = text;
  if (istarts_with(rest, "Visited:")) {
    rest.remove_prefix(8);
  } else if (rest.size() > 18 && rest[0] == ':' && rest[17] == ':') {
    rest.remove_prefix(18);  // ":YYYYMMDDYYYYMMDD:" of the daily/weekly MSHist containers
  } else {
    return {"", std::string(text)};
  }
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  const auto at = rest.find('@');
  const auto scheme = rest.find(':');
  if (at == std::string_view::npos || (scheme != std::string_view::npos && scheme < at))
    return {"", std::string(rest)};
  return {std::string(rest.substr(0, at)), std::string(rest.substr(at + 1))};
}

bool read_webcache(Bytes image, const RecordTarget& t, Diagnostics& diag) {
  auto db = ese::Database::open(image);
  if (!db) {
    diag.report(Severity::kError, t.source, db.error().offset, "WebCache: " + db.error().message);
    return false;
  }
  if (db->header().dirty()) {
    diag.info(t.source, 52,
              "WebCache database in dirty-shutdown state (copied while in use, its V01*.log not "
              "replayed): read as it is on disk; the last visits before collection may be "
              "missing");
  }
  const auto containers = read_containers(*db);
  if (containers.empty())
    diag.warning(t.source, std::nullopt, "WebCache: no Containers table: nothing read");
  std::uint64_t not_emitted = 0;
  for (const auto& [id, c] : containers) {
    const ese::Table* table = db->table("Container_" + std::to_string(id));
    if (!table) continue;
    const bool history = is_history(c.name);
    const bool downloads = iequals(c.name, "iedownload");
    if (!history && !downloads) {
      not_emitted += db->for_each_record(*table, [](const ese::Record&) {}).records;
      continue;
    }
    db->for_each_record(*table, [&](const ese::Record& r) {
      const auto entry = r.get("EntryId").integer().value_or(0);
      if (history) {
        const HistoryUrl h = split_history_url(r.get("Url").text());
        // ":Host: example.com" rows of the daily/weekly containers sum up a host's
        // visits; the visits themselves have rows of their own.
        if (h.url.starts_with(":Host:")) {
          ++not_emitted;
          return;
        }
        VisitRecord v;
        v.url = h.url;
        v.time = r.get("AccessedTime").filetime();
        v.visit_id = entry;
        v.visit_count = r.get("AccessCount").integer();
        // The Url column names the Windows user; a CDIR-C file name names it too.
        Owner owner = t.owner;
        if (owner.user.empty()) owner.user = h.user;
        write_visit(RecordTarget{t.source, owner, t.out, t.summary}, v);
        return;
      }
      DownloadRecord d;
      strings_of_download(r.get("ResponseHeaders"), d.url, d.target_path);
      if (d.url.empty()) d.url = r.get("Url").text();
      d.start = r.get("CreationTime").filetime();
      if (!d.start) d.start = r.get("AccessedTime").filetime();
      d.last_access = r.get("AccessedTime").filetime();
      if (auto size = r.get("FileSize").integer(); size && *size > 0) d.total_bytes = size;
      d.download_id = entry;
      write_download(t, d);
    });
  }
  if (not_emitted > 0) {
    diag.info(t.source, std::nullopt,
              "WebCache: " + std::to_string(not_emitted) +
                  " cache, cookie, DOM-storage, compatibility and host-summary entries read but "
                  "not emitted (only History visits and iedownload entries give records)");
  }
  for (const auto& i : db->issues()) diag.warning(t.source, i.offset, "WebCache: " + i.message);
  return true;
}

}  // namespace kk::browser
