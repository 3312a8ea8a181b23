#include "ntfs/usnjrnl.hpp"

#include <cstring>
#include <unordered_map>
#include <vector>

#include "core/csv.hpp"
#include "core/json_writer.hpp"
#include "core/progress.hpp"
#include "core/utf.hpp"
#include "ntfs/file_attributes.hpp"
#include "ntfs/usn_record.hpp"

namespace kk::ntfs {

namespace {

constexpr int kMaxDepth = 512;
constexpr std::size_t kAlign = 8;  // USN records start on 8-byte boundaries

std::uint64_t key(FileReference r) {
  return r.entry | (std::uint64_t{r.sequence} << 48);
}

// What the journal itself says about one directory (entry, sequence): its name and parent.
struct DirName {
  FileReference parent;
  std::string name;
};

// Walks the journal: calls FN(offset, record) for each record; skips zero fill fast
// and garbage 8 bytes at a time, reporting each garbage run once.
template <typename Fn>
void scan(Bytes j, const UsnOptions& opts, Diagnostics* diag, UsnStats& stats, Fn fn) {
  std::size_t off = 0;
  std::optional<std::size_t> garbage_start;
  // Garbage before the first record is reported only once a record shows the input is a
  // journal: a file with none at all (random bytes, another format) is one line by the caller.
  bool any_record = false;
  std::vector<std::pair<std::size_t, std::string>> held;
  auto end_garbage = [&](std::size_t at) {
    if (!garbage_start) return;
    ++stats.garbage_runs;
    stats.garbage_bytes += at - *garbage_start;
    std::string what = std::to_string(at - *garbage_start) +
                       " bytes that are not USN records, skipped to the next record";
    if (diag && any_record)
      diag->warning(opts.file, *garbage_start, what);
    else if (diag)
      held.emplace_back(*garbage_start, std::move(what));
    garbage_start.reset();
  };
  auto first_record = [&] {
    if (any_record) return;
    any_record = true;
    for (auto& [at, what] : held) diag->warning(opts.file, at, what);
    held.clear();
  };
  while (off + kAlign <= j.size()) {
    std::uint64_t word;
    std::memcpy(&word, j.data() + off, 8);
    if (word == 0) {
      // Zero fill: page padding or a sparse region. Skip whole words.
      const std::size_t from = off;
      while (off + kAlign <= j.size()) {
        std::memcpy(&word, j.data() + off, 8);
        if (word) break;
        off += kAlign;
      }
      end_garbage(from);
      stats.zero_bytes += off - from;
      continue;
    }
    if (auto rec = decode_usn_record(j.subspan(off))) {
      end_garbage(off);
      if (diag) first_record();
      fn(off, *rec);
      off += rec->length;
      continue;
    }
    // A record header whose length runs past the end: the file was cut mid-record.
    const std::uint32_t len = static_cast<std::uint32_t>(word);
    const std::uint16_t major = static_cast<std::uint16_t>(word >> 32);
    if (len >= kUsnMinRecord && len % 8 == 0 && len <= kUsnMaxRecord && major >= 2 && major <= 4 &&
        off + len > j.size()) {
      end_garbage(off);
      if (diag)
        diag->warning(opts.file, off,
                      "truncated USN record: " + std::to_string(len) + " bytes claimed, " +
                          std::to_string(j.size() - off) + " left in the file, skipped");
      ++stats.truncated;
      off = j.size();
      break;
    }
    if (!garbage_start) garbage_start = off;
    off += kAlign;
  }
  end_garbage(off);
  if (off < j.size() && diag && any_record &&
      std::any_of(j.begin() + static_cast<std::ptrdiff_t>(off), j.end(),
                  [](auto c) { return c != 0; }))
    diag->warning(
        opts.file, off,
        std::to_string(j.size() - off) + " trailing bytes shorter than a record, skipped");
}

class Resolver {
 public:
  Resolver(const PathTable* mft) : mft_(mft) {}
  void learn(const UsnRecord& r, std::string name) {
    if (!(r.file_attributes & kFileAttributeDirectory)) return;
    dirs_[key(r.file)] = {r.parent, std::move(name)};
  }
  void learn_first(const UsnRecord& r, const std::string& name) {
    if (!(r.file_attributes & kFileAttributeDirectory)) return;
    dirs_.try_emplace(key(r.file), DirName{r.parent, name});
  }
  std::size_t directories() const { return dirs_.size(); }

  // Path of NAME in directory PARENT: the journal's own naming first (it is the
  // name at the time of the change), then the $MFT. Nullopt when the chain breaks.
  std::optional<std::string> resolve(FileReference parent, std::string_view name) const {
    parts_.clear();
    parts_.push_back(name);
    FileReference cur = parent;
    for (int depth = 0; depth < kMaxDepth; ++depth) {
      if (cur.entry == kRootEntry) return join();
      if (auto it = dirs_.find(key(cur)); it != dirs_.end()) {
        parts_.push_back(it->second.name);
        cur = it->second.parent;
        continue;
      }
      if (mft_) {
        const PathTable::Node* n = mft_->find(cur.entry);
        if (n && (n->flags & PathTable::kHasName) &&
            PathTable::sequence_matches(*n, cur.sequence)) {
          parts_.push_back(mft_->name(*n));
          cur = {n->parent, n->parent_sequence};
          continue;
        }
      }
      return std::nullopt;
    }
    return std::nullopt;
  }

 private:
  std::string join() const {
    std::string p;
    for (auto it = parts_.rbegin(); it != parts_.rend(); ++it) {
      p.push_back('\\');
      p.append(*it);
    }
    return p;
  }
  const PathTable* mft_;
  std::unordered_map<std::uint64_t, DirName> dirs_;
  mutable std::vector<std::string_view> parts_;
};

void render(const UsnRecord& r, std::uint64_t offset, const std::string& name,
            const std::optional<std::string>& path, const UsnOptions& opts, std::string& out) {
  std::optional<UtcMicros> t;
  if (r.major != 4) t = from_filetime(r.timestamp);
  if (opts.format == OutputFormat::kCsv) {
    out += std::to_string(offset) + ',' + std::to_string(r.usn) + ',';
    if (t) append_iso(out, *t);
    out += ',' + std::to_string(r.file.entry) + ',' + std::to_string(r.file.sequence) + ',' +
           std::to_string(r.parent.entry) + ',' + std::to_string(r.parent.sequence) + ',';
    append_csv_field(out, name);
    out += ',';
    if (path) append_csv_field(out, *path);
    out += ',';
    std::string list;
    for (auto n : usn_reason_names(r.reason)) list.append(list.empty() ? "" : "|").append(n);
    out += list + ',';
    list.clear();
    for (auto n : file_attribute_names(r.file_attributes))
      list.append(list.empty() ? "" : "|").append(n);
    out += list + ',' + std::to_string(r.major) + "\r\n";
    return;
  }
  JsonWriter w(out);
  w.begin_object();
  w.field("artifact", "usnjrnl").field("source", opts.source);
  w.field("offset", offset).field("usn", std::int64_t{r.usn});
  w.key("time");
  if (t.has_value())
    w.time(t.value_or(0));
  else
    w.null();
  w.field("entry", r.file.entry).field("sequence", unsigned{r.file.sequence});
  w.field("parent_entry", r.parent.entry).field("parent_sequence", unsigned{r.parent.sequence});
  w.key("name");
  if (r.major == 4)
    w.null();
  else
    w.string(name);
  w.key("path");
  if (path)
    w.string(*path);
  else
    w.null();
  w.key("reasons").begin_array();
  for (auto n : usn_reason_names(r.reason)) w.string(n);
  w.end_array();
  w.key("attributes").begin_array();
  for (auto n : file_attribute_names(r.file_attributes)) w.string(n);
  w.end_array();
  w.field("version", unsigned{r.major});
  // Appended fields.
  w.key("source_info").begin_array();
  for (auto n : usn_source_names(r.source_info)) w.string(n);
  w.end_array();
  w.field("security_id", unsigned{r.security_id});
  if (r.file_id_high || r.parent_id_high) {
    // Not an NTFS 64-bit reference (ReFS): keep the full 128-bit ids.
    w.field("file_id_high", r.file_id_high).field("parent_id_high", r.parent_id_high);
  }
  if (r.major == 4) {
    w.field("remaining_extents", unsigned{r.remaining_extents});
    w.key("extents").begin_array();
    for (const auto& x : r.extents)
      w.begin_object().field("offset", x.offset).field("length", x.length).end_object();
    w.end_array();
  }
  w.end_object();
  w.end_line();
}

}  // namespace

UsnStats parse_usnjrnl(Bytes journal, const UsnOptions& opts, Diagnostics& diag,
                       const std::function<void(std::string_view)>& sink) {
  UsnStats stats;
  Resolver resolver(opts.mft);
  std::string name;
  // Pass 1: every directory's first name in the journal, so a record can be placed
  // under a folder whose later records (or deletion) are all that is left.
  {
    UsnStats ignored;
    scan(journal, opts, nullptr, ignored, [&](std::uint64_t, const UsnRecord& r) {
      if (!(r.file_attributes & kFileAttributeDirectory) || r.major == 4) return;
      name.clear();
      append_utf16le(name, r.name_utf16);
      resolver.learn_first(r, name);
    });
  }
  stats.history_directories = resolver.directories();
  // Pass 2: emit, updating each directory's name as the journal renames it.
  std::string out;
  std::uint64_t reported = 0;
  scan(journal, opts, &diag, stats, [&](std::uint64_t off, const UsnRecord& r) {
    ++stats.records;
    ++stats.by_version[r.major <= 4 ? r.major : 0];
    name.clear();
    append_utf16le(name, r.name_utf16);
    std::optional<std::string> path;
    if (r.major != 4) {
      path = resolver.resolve(r.parent, name);
      resolver.learn(r, name);
      ++(path ? stats.resolved : stats.unresolved);
    }
    if (opts.since) {
      auto t = from_filetime(r.timestamp);
      if (r.major == 4 || !t || *t < *opts.since) return;
    }
    if (opts.path_filter &&
        !opts.path_filter(path ? std::string_view(*path) : std::string_view(name)))
      return;
    render(r, off, name, path, opts, out);
    ++stats.emitted;
    if (out.size() >= (1 << 16)) {
      sink(out);
      out.clear();
    }
    if (opts.progress && off - reported >= (1 << 20)) {
      opts.progress->advance(off - reported);
      reported = off;
    }
  });
  if (!out.empty()) sink(out);
  if (opts.progress) opts.progress->advance(journal.size() - reported);
  return stats;
}

std::string_view usn_csv_header() {
  return "offset,usn,time,entry,sequence,parent_entry,parent_sequence,name,path,reasons,attributes,"
         "version\r\n";
}

}  // namespace kk::ntfs
