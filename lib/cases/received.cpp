#include "cases/received.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <random>

#include "cases/tree.hpp"
#include "cdir/bundle_layout.hpp"
#include "core/atomic_file.hpp"
#include "core/hash.hpp"

namespace kk::cases {
namespace {

namespace fs = std::filesystem;

std::string base_name(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return fs::path(p).filename().string();
}

// Entry names of an archive (headers only: an encrypted zip still lists its names).
// nullopt when libarchive does not read PATH as an archive.
std::optional<std::vector<std::string>> archive_names(const std::string& path) {
  std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
  if (!a) return std::nullopt;
  archive_read_support_filter_all(a.get());
  archive_read_support_format_all(a.get());  // not "raw": a log must not pass as an archive
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK) return std::nullopt;
  std::vector<std::string> names;
  archive_entry* e = nullptr;
  int rc;
  while ((rc = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
    const char* n = archive_entry_pathname(e);
    if (n) names.emplace_back(n);
    if (names.size() > 2000000) break;  // enough to find the bundle's root
  }
  if (names.empty()) return std::nullopt;
  return names;
}

std::vector<std::string> folder_names(const std::string& path) {
  std::vector<std::string> names;
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return names;
  std::vector<std::string> errors;
  for (const TreeEntry& e : list_tree(fd, errors))
    if (e.type == TreeEntry::Type::kFile) names.push_back(e.path);
  ::close(fd);
  return names;
}

}  // namespace

Result<InputKind> classify_input(const std::string& path, const std::string& host_override,
                                 const std::string& tz) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return Result<InputKind>::fail(path + ": cannot read: " + std::strerror(errno));
  std::vector<std::string> names;
  bool is_dir = S_ISDIR(st.st_mode);
  if (is_dir) {
    names = folder_names(path);
  } else if (!S_ISREG(st.st_mode)) {
    return Result<InputKind>::fail(path + ": not a file or folder");
  } else if (auto listed = archive_names(path)) {
    names = std::move(*listed);
  } else {
    return InputKind{"netlog", ""};
  }
  for (std::string& n : names) {
    while (n.starts_with("./")) n.erase(0, 2);
  }
  std::vector<std::string> roots = cdir::find_bundle_roots(names);
  if (roots.empty()) {
    if (!is_dir) return InputKind{"netlog", ""};  // a compressed log is an archive of one
    return Result<InputKind>::fail(path + ": no CDIR-C bundle in this folder");
  }
  if (roots.size() > 1) {
    std::string list;
    for (const auto& r : roots) list += (list.empty() ? "" : ", ") + (r.empty() ? "." : r);
    return Result<InputKind>::fail(path + ": holds " + std::to_string(roots.size()) + " bundles (" +
                                   list + "); add each PC's bundle on its own");
  }
  InputKind k{"bundle", host_override};
  if (k.host.empty()) {
    std::string name = roots[0].empty() ? base_name(path) : base_name(roots[0]);
    if (!is_dir && roots[0].empty()) {
      // The archive itself is the bundle root: its own name, without the extension.
      if (auto dot = name.find('.'); dot != std::string::npos) name.resize(dot);
    }
    auto parsed = cdir::parse_folder_name(name, tz);
    if (!parsed || parsed->host.empty())
      return Result<InputKind>::fail(path + ": cannot tell the PC from the bundle name \"" + name +
                                     "\" (expected <HOST>_<YYYYMMDDhhmmss>); give --host NAME");
    k.host = parsed->host;
  }
  return k;
}

namespace {

std::string random_hex() {
  std::random_device rd;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return buf;
}

// Copies the open file IN to a new AtomicFile NAME in DIR while hashing it.
Result<std::string> copy_file(int in, const CaseDir& dir, const std::string& name,
                              std::uint64_t* size) {
  auto out = dir.create_file(name);
  if (!out) return Result<std::string>::fail(out.error().message);
  Hasher h(HashSet::sha256_only());
  std::vector<char> buf(1 << 20);
  *size = 0;
  for (;;) {
    ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Result<std::string>::fail(name + ": read failed: " + std::strerror(errno));
    if (n == 0) break;
    h.update(buf.data(), static_cast<std::size_t>(n));
    if (!write_all(out->fd(), std::string_view(buf.data(), static_cast<std::size_t>(n))))
      return Result<std::string>::fail(dir.path_of(name) +
                                       ": write failed: " + std::strerror(errno));
    *size += static_cast<std::uint64_t>(n);
  }
  auto c = out->commit();
  if (!c) return Result<std::string>::fail(c.error().message);
  return h.finish().sha256;
}

// A free name in DIR: NAME, NAME-2, NAME-3 …
std::string free_name(const CaseDir& dir, const std::string& name) {
  if (!dir.exists(name)) return name;
  for (int i = 2;; ++i) {
    std::string n = name + "-" + std::to_string(i);
    if (!dir.exists(n)) return n;
  }
}

}  // namespace

Result<StoredInput> store_input(const CaseDir& case_dir, const std::string& path) {
  using R = Result<StoredInput>;
  if (!case_dir.exists("received")) {
    auto made = case_dir.create_dir("received");
    if (!made) return R::fail(made.error().message);
  }
  auto received = case_dir.open_dir("received");
  if (!received) return R::fail(received.error().message);
  std::string name = base_name(path);
  if (name.empty() || name == "." || name == "..") name = "input";
  StoredInput stored;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return R::fail(path + ": " + std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) {
    int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) return R::fail(path + ": cannot read: " + std::strerror(errno));
    std::string final_name = free_name(*received, name);
    auto sha = copy_file(in, *received, final_name, &stored.size);
    ::close(in);
    if (!sha) return R::fail(sha.error().message);
    stored.sha256 = *sha;
    stored.stored_as = "received/" + final_name;
    return stored;
  }
  // A folder: copied under a temporary name, renamed when complete.
  int src = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (src < 0) return R::fail(path + ": cannot read: " + std::strerror(errno));
  std::string temp = ".partial-" + random_hex();
  auto top = received->create_dir(temp);
  if (!top) {
    ::close(src);
    return R::fail(top.error().message);
  }
  std::vector<std::string> errors;
  std::vector<TreeEntry> entries = list_tree(src, errors);
  std::sort(entries.begin(), entries.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
  std::string listing;
  auto fail = [&](std::string why) {
    ::close(src);
    std::vector<std::string> ignored;
    remove_tree(received->fd(), temp, ignored);
    return R::fail(std::move(why));
  };
  if (!errors.empty()) return fail(path + "/" + errors.front());
  std::map<std::string, CaseDir> dirs;  // copied folders by path ("" = the top)
  dirs.emplace("", std::move(*top));
  for (const TreeEntry& e : entries) {
    auto slash = e.path.rfind('/');
    std::string parent = slash == std::string::npos ? "" : e.path.substr(0, slash);
    std::string leaf = slash == std::string::npos ? e.path : e.path.substr(slash + 1);
    auto dir = dirs.find(parent);
    if (dir == dirs.end()) continue;  // under a folder that was not copied (a mount point)
    if (e.type == TreeEntry::Type::kDir) {
      if (e.other_device) continue;
      auto made = dir->second.create_dir(leaf);
      if (!made) return fail(made.error().message);
      dirs.emplace(e.path, std::move(*made));
    } else if (e.type == TreeEntry::Type::kFile) {
      int in = open_in_tree(src, e.path);
      if (in < 0) return fail(path + "/" + e.path + ": cannot read: " + std::strerror(errno));
      std::uint64_t size = 0;
      auto sha = copy_file(in, dir->second, leaf, &size);
      ::close(in);
      if (!sha) return fail(sha.error().message);
      stored.size += size;
      listing += *sha + "  " + e.path + "\n";
    }
    // Links and special files are not evidence CDIR-C writes: not copied.
  }
  ::close(src);
  std::string final_name = free_name(*received, name);
  auto renamed = received->rename(temp, final_name);
  if (!renamed) {
    std::vector<std::string> ignored;
    remove_tree(received->fd(), temp, ignored);
    return R::fail(renamed.error().message);
  }
  stored.sha256 = sha256_hex(listing);
  stored.stored_as = "received/" + final_name;
  return stored;
}

void remove_stored(const CaseDir& case_dir, const std::string& stored_as) {
  std::vector<std::string> ignored;
  auto received = case_dir.open_dir("received");
  if (!received) return;
  remove_tree(received->fd(), stored_as.substr(stored_as.find('/') + 1), ignored);
}

}  // namespace kk::cases
