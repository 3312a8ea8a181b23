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
  std::string secure_directories;  // the cache's subfolder names, 8 characters each
};

std::map<std::int64_t, Container> read_containers(const ese::Database& db) {
  std::map<std::int64_t, Container> out;
  const ese::Table* t = db.table("Containers");
  if (!t) return out;
  db.for_each_record(*t, [&](const ese::Record& r) {
    if (auto id = r.get("ContainerId").integer())
      out[*id] = {r.get("Name").text(), r.get("Directory").text(),
                  r.get("SecureDirectories").text()};
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

// Where a cache entry's file is kept: the container's folder, the SecureDirectory-th
// (from 1) of its 8-character subfolders, the file name; "" when the entry names no file.
// (The corpus WebCache's entries use 1 to 4 with 4 subfolders.)
std::string cached_path(const Container& c, std::optional<std::int64_t> secure,
                        const std::string& file) {
  if (file.empty() || c.directory.empty()) return {};
  std::string dir = c.directory;
  if (!dir.ends_with('\\')) dir += '\\';
  if (secure && *secure >= 1 && std::uint64_t(*secure) <= c.secure_directories.size() / 8)
    dir += c.secure_directories.substr(std::size_t(*secure - 1) * 8, 8) + "\\";
  return dir + file;
}

// "C:\\Users\\bob\\AppData\\…" → "bob"; "" when the folder is not under Users.
std::string user_of_folder(std::string_view dir) {
  for (std::string_view marker : {"\\Users\\", "\\Documents and Settings\\"}) {
    std::string lower = ascii_lower(dir);
    auto at = lower.find(ascii_lower(marker));
    if (at == std::string::npos) continue;
    std::string_view rest = dir.substr(at + marker.size());
    return std::string(rest.substr(0, rest.find('\\')));
  }
  return {};
}

CacheRecord cache_entry(const ese::Record& r, const Container& c, std::int64_t container_id) {
  CacheRecord e;
  e.url = r.get("Url").text();
  e.redirect_url = r.get("RedirectUrl").text();
  e.file_name = r.get("Filename").text();
  e.cached_path = cached_path(c, r.get("SecureDirectory").integer(), e.file_name);
  if (auto size = r.get("FileSize").integer(); size && *size >= 0) e.file_size = size;
  const ResponseHead head = response_head(r.get("ResponseHeaders").bytes());
  e.content_type = head.content_type;
  if (head.status) e.http_status = head.status;
  e.executable = executable_name(e.url) || executable_name(e.file_name);
  e.created = r.get("CreationTime").filetime();
  e.accessed = r.get("AccessedTime").filetime();
  e.modified = r.get("ModifiedTime").filetime();
  e.expires = r.get("ExpiryTime").filetime();
  e.synced = r.get("SyncTime").filetime();
  e.access_count = r.get("AccessCount").integer();
  e.container = c.name;
  e.container_id = container_id;
  e.entry_id = r.get("EntryId").integer().value_or(0);
  return e;
}

}  // namespace

ResponseHead response_head(Bytes headers) {
  ResponseHead h;
  std::string_view text(reinterpret_cast<const char*>(headers.data()), headers.size());
  // Header lines up to the first empty line; the first is the status line.
  for (std::size_t at = 0, n = 0; at < text.size() && n < 200; ++n) {
    std::size_t end = text.find('\n', at);
    std::string_view line = text.substr(at, end == std::string_view::npos ? end : end - at);
    at = end == std::string_view::npos ? text.size() : end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    if (n == 0 && istarts_with(line, "HTTP/")) {
      auto sp = line.find(' ');
      if (sp != std::string_view::npos && line.size() >= sp + 4) {
        std::int64_t code = 0;
        for (char ch : line.substr(sp + 1, 3))
          code = ch >= '0' && ch <= '9' ? code * 10 + (ch - '0') : -1000;
        if (code >= 100 && code <= 999) h.status = code;
      }
      continue;
    }
    if (h.content_type.empty() && istarts_with(line, "Content-Type:")) {
      std::string_view v = line.substr(13);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      h.content_type = std::string(v);
    }
  }
  return h;
}

bool executable_name(std::string_view s) {
  // The URL's path: after the host, before any query or fragment.
  s = s.substr(0, std::min(s.find('?'), s.find('#')));
  if (auto scheme = s.find("://"); scheme != std::string_view::npos) {
    auto path = s.find('/', scheme + 3);
    if (path == std::string_view::npos) return false;
    s = s.substr(path);
  }
  auto dot = s.rfind('.');
  if (dot == std::string_view::npos || s.find_first_of("/\\", dot) != std::string_view::npos)
    return false;
  std::string ext = ascii_lower(s.substr(dot + 1));
  static constexpr std::string_view kPrograms[] = {
      "exe", "dll", "scr", "com", "pif", "cpl", "msi", "msp", "bat", "cmd", "ps1", "psm1",
      "vbs", "vbe", "jse", "wsf", "wsh", "hta", "jar", "lnk", "iso", "img", "vhd"};
  for (auto p : kPrograms)
    if (ext == p) return true;
  return false;
}

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
    if (iequals(c.name, "Content")) {
      // The container's folder names the Windows user; a CDIR-C file name names it too.
      Owner owner = t.owner;
      if (owner.user.empty()) owner.user = user_of_folder(c.directory);
      const RecordTarget target{t.source, owner, t.out, t.summary};
      const Container& container = c;  // (clang captures no structured binding)
      const std::int64_t container_id = id;
      db->for_each_record(*table, [&](const ese::Record& r) {
        write_cache(target, cache_entry(r, container, container_id));
      });
      continue;
    }
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
                  " cookie, DOM-storage, compatibility and host-summary entries read but not "
                  "emitted (History visits, iedownload and Content cache entries give records)");
  }
  for (const auto& i : db->issues()) diag.warning(t.source, i.offset, "WebCache: " + i.message);
  return true;
}

}  // namespace kk::browser
