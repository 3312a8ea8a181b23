// unpack(): stage the input (extract or locate), find the bundles in it, then for each
// bundle name its host and times, classify its files and check them against its
// collector-log.txt.
#include "cdir/unpack.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cdir/bundle_layout.hpp"
#include "cdir/collector_log.hpp"
#include "cdir/not_collected.hpp"
#include "cdir/stage.hpp"
#include "core/ascii_case.hpp"

namespace kk::cdir {

std::string_view layout_name(Layout layout) {
  switch (layout) {
    case Layout::kV13:
      return "v1.3.1+";
    case Layout::kV12:
      return "v1.2.2-";
    case Layout::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string HashCheck::result() const {
  if (!log_present) return "no_log";
  if (!mismatched.empty()) return "mismatch";
  if (!missing_from_bundle.empty() || !not_in_log.empty() || !not_verified.empty())
    return "incomplete";
  return "ok";
}

namespace {

constexpr std::uint64_t kMaxLogBytes = 512ULL << 20;  // a log lists files, it is never this big

std::string base_name(std::string_view p) {
  std::size_t s = p.rfind('/');
  return std::string(s == std::string_view::npos ? p : p.substr(s + 1));
}

// "PC01_20240501120000.zip" -> "PC01_20240501120000" (also .tar.gz, .7z ...).
std::string archive_stem(const std::string& path) {
  std::string b = base_name(path);
  for (std::string_view ext :
       {".tar.gz", ".tar.xz", ".tar.zst", ".tar.bz2", ".tgz", ".txz", ".zip", ".7z", ".tar"}) {
    if (iends_with(b, ext)) return b.substr(0, b.size() - ext.size());
  }
  std::size_t dot = b.rfind('.');
  return dot == std::string::npos || dot == 0 ? b : b.substr(0, dot);
}

// The name of the input folder itself, also for "." or "PC01_x/".
std::string folder_base_name(const std::string& input) {
  std::error_code ec;
  std::string p = std::filesystem::absolute(input, ec).lexically_normal().string();
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return base_name(p);
}

bool read_small_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.clear();
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    out.append(buf, static_cast<std::size_t>(in.gcount()));
    if (out.size() > kMaxLogBytes) return false;
  }
  return true;
}

bool inside(std::string_view path, std::string_view root) {
  if (root.empty()) return true;
  return path.size() > root.size() && path.starts_with(root) && path[root.size()] == '/';
}

ManifestEntry entry_from(const StagedFile& f, std::string source) {
  ManifestEntry e;
  e.source = std::move(source);
  e.path = f.path;
  e.size = f.size;
  e.digests = f.digests;
  e.input_path = f.input_path;
  e.complete = f.complete;
  e.skipped = f.skipped;
  e.kind = classify(e.source);
  e.user = hive_user(e.source);
  return e;
}

// Matches collector-log rows to bundle files and records the chain-of-custody result.
void check_hashes(const CollectorLog& log, Layout layout, const std::string& log_file, Bundle& b,
                  Diagnostics& diag) {
  HashCheck& hc = b.summary.hash;
  hc.log_rows = log.rows.size();
  std::map<std::string, std::size_t> by_source;  // lowercase source -> entry index
  std::multimap<std::string, std::size_t> by_base;
  for (std::size_t i = 0; i < b.entries.size(); ++i) {
    by_source.emplace(ascii_lower(b.entries[i].source), i);
    by_base.emplace(ascii_lower(base_name(b.entries[i].source)), i);
  }
  std::vector<const CollectorLogRow*> row_of(b.entries.size(), nullptr);
  std::vector<const CollectorLogRow*> unmatched;
  for (const auto& row : log.rows) {
    std::string expected = bundle_source_for(row.source_path, layout);
    auto it = expected.empty() ? by_source.end() : by_source.find(ascii_lower(expected));
    if (it == by_source.end() && layout == Layout::kUnknown && !expected.empty()) {
      // Without NTFS files the layout is unknown; try the other generation's place.
      std::string alt = bundle_source_for(row.source_path, Layout::kV12);
      it = by_source.find(ascii_lower(alt));
    }
    if (it == by_source.end()) {
      unmatched.push_back(&row);
      continue;
    }
    // A file collected twice (the UsnJrnl retry) has two rows: the later one describes it.
    row_of[it->second] = &row;
  }
  // Rows whose path follows no known rule: match a unique, still unmatched file of that name.
  for (const auto* row : unmatched) {
    std::string_view sp = row->source_path;
    std::size_t s = sp.find_last_of("\\/");
    std::string base = ascii_lower(s == std::string_view::npos ? sp : sp.substr(s + 1));
    auto [lo, hi] = by_base.equal_range(base);
    std::size_t candidate = SIZE_MAX, count = 0;
    for (auto it = lo; it != hi; ++it)
      if (row_of[it->second] == nullptr) {
        candidate = it->second;
        ++count;
      }
    if (count == 1) {
      row_of[candidate] = row;
    } else {
      hc.missing_from_bundle.push_back(row->source_path);
      diag.warning(log_file, std::nullopt,
                   "line " + std::to_string(row->line) + ": " + row->source_path +
                       " is listed in collector-log.txt but is not in the bundle");
    }
  }
  for (std::size_t i = 0; i < b.entries.size(); ++i) {
    ManifestEntry& e = b.entries[i];
    const CollectorLogRow* row = row_of[i];
    if (row == nullptr) {
      if (e.kind != Kind::kCollectorLog && e.kind != Kind::kMemory) {
        hc.not_in_log.push_back(e.source);
        diag.warning(e.path.empty() ? e.input_path : e.path, std::nullopt,
                     "not listed in collector-log.txt (added after collection?)");
      }
      continue;
    }
    e.collector_sha256 = row->sha256;
    e.windows_path = row->source_path;
    e.wevtutil = row->wevtutil;
    e.source_created = row->created;
    e.source_accessed = row->accessed;
    e.source_modified = row->modified;
    if (e.digests.sha256.empty() || !e.complete) {
      hc.not_verified.push_back(e.source);
      continue;
    }
    bool match = e.digests.sha256 == row->sha256 &&
                 (e.digests.md5.empty() || e.digests.md5 == row->md5) &&
                 (e.digests.sha1.empty() || e.digests.sha1 == row->sha1);
    e.hash_match = match;
    if (match) {
      ++hc.matched;
    } else {
      hc.mismatched.push_back(e.source);
      diag.warning(e.path, std::nullopt,
                   "hash differs from collector-log.txt line " + std::to_string(row->line) +
                       " (sha256 " + e.digests.sha256 + ", log " + row->sha256 +
                       "): the file changed after collection");
    }
  }
}

void summarise(Bundle& b) {
  auto& s = b.summary;
  bool has[kKindCount] = {};
  for (const auto& e : b.entries) {
    ++s.counts[static_cast<std::size_t>(e.kind)];
    has[static_cast<std::size_t>(e.kind)] = true;
    ++s.files;
    s.bytes += e.size;
    if (e.skipped) ++s.memory_skipped;
  }
  for (const auto& n : not_collected_by_cdir()) s.not_collected.emplace_back(n.id);
  // Categories CDIR-C collects by default (cdir.ini can turn each off).
  const std::pair<Kind, const char*> expected[] = {{Kind::kMft, "mft"},
                                                   {Kind::kUsnJrnl, "usnjrnl"},
                                                   {Kind::kEvtx, "evtx"},
                                                   {Kind::kPrefetch, "prefetch"},
                                                   {Kind::kRegistry, "registry"},
                                                   {Kind::kAmcache, "amcache"},
                                                   {Kind::kWmi, "wmi"},
                                                   {Kind::kSrum, "srum"},
                                                   {Kind::kWeb, "web"},
                                                   {Kind::kMemory, "memory"},
                                                   {Kind::kCollectorLog, "collector_log"}};
  for (const auto& [k, name] : expected)
    if (!has[static_cast<std::size_t>(k)]) s.categories_absent.emplace_back(name);
}

}  // namespace

bool unpack(const std::string& input, const std::string& out_dir, const UnpackOptions& options,
            Diagnostics& diag, UnpackResult& result) {
  struct stat st {};
  if (::stat(input.c_str(), &st) != 0) {
    result.unreadable = std::string("cannot open: ") + std::strerror(errno);
    diag.unreadable(input, result.unreadable);
    return false;
  }
  // The manifest's "path" is absolute (CONTRACT.md), whatever the caller passed.
  std::error_code ec;
  const std::string out_abs =
      out_dir.empty() ? out_dir
                      : std::filesystem::absolute(out_dir, ec).lexically_normal().string();
  Staged staged;
  bool ok;
  if (S_ISDIR(st.st_mode)) {
    ok = stage_folder(input, out_abs, options, diag, staged);
  } else if (S_ISREG(st.st_mode)) {
    result.archive = true;
    ok = stage_archive(input, out_abs, options, diag, staged);
  } else {
    result.unreadable = "neither a folder nor an archive file";
    diag.unreadable(input, result.unreadable);
    return false;
  }
  result.stopped = staged.stopped;
  result.truncated = staged.truncated;
  result.unreadable = staged.unreadable;
  result.read_cpu_seconds = staged.read_cpu_seconds;
  if (!staged.unreadable.empty()) return false;
  if (staged.reused > 0)
    diag.info(input, std::nullopt,
              std::to_string(staged.reused) + " file(s) already in " + out_abs +
                  " are identical to the archive's (MD5, SHA-1, SHA-256): verified and reused");

  std::vector<std::string> paths;
  paths.reserve(staged.files.size());
  for (const auto& f : staged.files) paths.push_back(f.input_path);
  const auto roots = find_bundle_roots(paths);
  bool any_encrypted = false;
  for (const auto& f : staged.files) any_encrypted = any_encrypted || f.encrypted;

  std::vector<bool> taken(staged.files.size(), false);
  for (const auto& root : roots) {
    Bundle b;
    auto& s = b.summary;
    s.root = root;
    s.time_zone = options.tz;
    s.archive_truncated = staged.truncated;
    // The folder's name carries host and time; a bundle zipped from inside its folder has
    // them in the archive's name instead.
    s.folder_name = !root.empty()    ? base_name(root)
                    : result.archive ? archive_stem(input)
                                     : folder_base_name(input);
    for (std::size_t i = 0; i < staged.files.size(); ++i) {
      const auto& f = staged.files[i];
      if (taken[i] || !inside(f.input_path, root)) continue;
      taken[i] = true;
      std::string source = root.empty() ? f.input_path : f.input_path.substr(root.size() + 1);
      b.entries.push_back(entry_from(f, std::move(source)));
      if (result.archive) b.entries.back().encrypted = f.encrypted;
      if (s.root_path.empty() && !f.path.empty()) {
        // DIR/<root> (archives, --copy) or INPUT/<root> (in place): strip the source suffix.
        const std::string& src = b.entries.back().source;
        if (f.path.size() > src.size())
          s.root_path = f.path.substr(0, f.path.size() - src.size() - 1);
      }
    }
    std::vector<std::string> sources;
    for (const auto& e : b.entries) sources.push_back(e.source);
    s.layout = detect_layout(sources);
    auto fn = parse_folder_name(s.folder_name, options.tz);
    if (!fn && result.archive && roots.size() == 1) {
      // A renamed folder ("evidence/") inside "PC01_20240501120405.zip": the archive keeps the
      // name.
      fn = parse_folder_name(archive_stem(input), options.tz);
      if (fn) s.folder_name = archive_stem(input);
    }
    if (fn) {
      s.host = fn->host;
      s.target_drive = fn->drive;
      s.folder_time = fn->time;
    } else {
      diag.warning(root.empty() ? input : root, std::nullopt,
                   "bundle folder name \"" + s.folder_name +
                       "\" is not <COMPUTERNAME>_<YYYYMMDDhhmmss>: host and collection time "
                       "unknown from it");
    }
    const ManifestEntry* log_entry = nullptr;
    for (const auto& e : b.entries)
      if (e.kind == Kind::kCollectorLog && !e.path.empty()) log_entry = &e;
    if (log_entry != nullptr) {
      std::string bytes;
      if (!read_small_file(log_entry->path, bytes)) {
        diag.report(Severity::kError, log_entry->path, std::nullopt,
                    "collector-log.txt cannot be read (or is over 512 MiB)");
      } else {
        CollectorLog log = parse_collector_log(bytes, options.tz);
        s.hash.log_present = true;
        s.log_encoding = std::string(encoding_name(log.encoding));
        s.log_language = log.language;
        s.collection_start = log.start;
        s.collection_end = log.end;
        for (const auto& p : log.problems)
          diag.warning(log_entry->path, p.offset,
                       "line " + std::to_string(p.line) + ": " + p.message);
        if (!log.start)
          diag.warning(log_entry->path, std::nullopt,
                       "no start time in the collector-log.txt header");
        check_hashes(log, s.layout, log_entry->path, b, diag);
      }
    } else {
      diag.warning(root.empty() ? input : root, std::nullopt,
                   "no collector-log.txt in the bundle: the chain of custody cannot be checked");
    }
    if (any_encrypted) {
      for (const auto& e : b.entries) {
        if (e.encrypted.value_or(true)) continue;
        s.hash.not_encrypted.push_back(e.source);
        diag.warning(input, std::nullopt,
                     "entry \"" + e.input_path +
                         "\" is stored without encryption in a password-protected archive: "
                         "anyone could have added or replaced it");
      }
    }
    if (s.folder_time && s.collection_start &&
        std::llabs(*s.folder_time - *s.collection_start) > 120LL * 1000000)
      diag.warning(
          root.empty() ? input : root, std::nullopt,
          "folder name time and collector-log.txt start time differ by more than 2 minutes");
    const std::optional<UtcMicros> collected =
        s.collection_start ? s.collection_start : s.folder_time;
    for (auto& e : b.entries) {
      e.host = s.host;
      e.collected_at = collected;
    }
    summarise(b);
    result.bundles.push_back(std::move(b));
  }
  std::size_t loose = 0;
  for (std::size_t i = 0; i < staged.files.size(); ++i) {
    if (taken[i]) continue;
    result.loose.push_back(entry_from(staged.files[i], staged.files[i].input_path));
    if (result.archive) result.loose.back().encrypted = staged.files[i].encrypted;
    ++loose;
  }
  // Not a bundle is an input that cannot be used (exit 1, as triage): one line, the files
  // still listed. After a stop, the stop reason says enough.
  if (roots.empty() && staged.stopped.empty()) {
    diag.unreadable(input,
                    "no CDIR-C bundle found (no collector-log.txt, NTFS/, Evtx/, "
                    "Registry/ ... folder)" +
                        (loose > 0 ? "; " + std::to_string(loose) +
                                         " file(s) listed with kind by name and no host"
                                   : std::string()));
    return false;
  }
  if (loose > 0)
    diag.warning(input, std::nullopt,
                 std::to_string(loose) +
                     " file(s) outside every CDIR-C bundle; listed with kind by name and no host");
  return ok;
}

}  // namespace kk::cdir
