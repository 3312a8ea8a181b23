#include "cdir/safe_tree.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kk::cdir {

Result<std::vector<std::string>> safe_components(std::string_view name) {
  using R = Result<std::vector<std::string>>;
  if (name.empty()) return R::fail("empty name");
  if (name.find('\0') != std::string_view::npos) return R::fail("name contains a NUL byte");
  if (name.front() == '/' || name.front() == '\\') return R::fail("absolute path");
  if (name.size() >= 2 && name[1] == ':' &&
      ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')))
    return R::fail("drive-letter path");
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view c = name.substr(start, end - start);
    start = end + 1;
    if (c.empty() || c == ".") continue;
    if (c == "..") return R::fail("path escapes the output directory (\"..\")");
    if (c.size() > 255) return R::fail("path component longer than 255 bytes");
    parts.emplace_back(c);
  }
  if (parts.empty()) return R::fail("empty name");
  return parts;
}

void SafeTree::close_transient() {
  for (int fd : transient_) ::close(fd);
  transient_.clear();
}

SafeTree::~SafeTree() {
  close_transient();
  for (auto& [k, fd] : dirs_) ::close(fd);
  if (root_fd_ >= 0) ::close(root_fd_);
}

Result<bool> SafeTree::open(const std::string& root, int root_fd) {
  root_ = root;
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  if (root_fd >= 0) {
    root_fd_ = ::fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
    if (root_fd_ < 0)
      return Result<bool>::fail("cannot open " + root_ + ": " + std::strerror(errno));
    return true;
  }
  if (::mkdir(root_.c_str(), 0755) != 0 && errno != EEXIST)
    return Result<bool>::fail("cannot create " + root_ + ": " + std::strerror(errno));
  // The output root itself was named by the analyst: following a link there is their choice.
  root_fd_ = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd_ < 0) return Result<bool>::fail("cannot open " + root_ + ": " + std::strerror(errno));
  return true;
}

Result<int> SafeTree::dir_fd(const std::vector<std::string>& comps, std::size_t count,
                             bool create) {
  int fd = root_fd_;
  std::string key;
  for (std::size_t i = 0; i < count; ++i) {
    key += (i ? "/" : "") + comps[i];
    auto it = dirs_.find(key);
    if (it != dirs_.end()) {
      fd = it->second;
      continue;
    }
    if (create && ::mkdirat(fd, comps[i].c_str(), 0755) != 0 && errno != EEXIST)
      return Result<int>::fail("cannot create directory " + key + ": " + std::strerror(errno));
    // O_NOFOLLOW: a symbolic link where a directory should be is refused, never followed.
    int next = ::openat(fd, comps[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0)
      return Result<int>::fail(
          "cannot open directory " + key + ": " +
          (errno == ELOOP ? std::string("it is a symbolic link") : std::strerror(errno)));
    // Bundles have a few dozen folders; a hostile archive with endless ones must not run the
    // process out of descriptors: past the cache size, descriptors live for one call only.
    if (dirs_.size() < kMaxCachedDirs)
      dirs_.emplace(key, next);
    else
      transient_.push_back(next);
    fd = next;
  }
  return fd;
}

Result<bool> SafeTree::make_dirs(const std::vector<std::string>& comps, bool is_dir) {
  std::size_t count = is_dir ? comps.size() : (comps.empty() ? 0 : comps.size() - 1);
  auto r = dir_fd(comps, count, true);
  close_transient();
  if (!r) return Result<bool>::fail(r.error().message);
  return true;
}

Result<int> SafeTree::create_file(const std::vector<std::string>& comps) {
  if (comps.empty()) return Result<int>::fail("empty name");
  auto dir = dir_fd(comps, comps.size() - 1, true);
  if (!dir) {
    close_transient();
    return dir;
  }
  int fd = ::openat(*dir, comps.back().c_str(),
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  close_transient();
  if (fd < 0) {
    if (errno == EEXIST) return Result<int>::fail(kAlreadyExists);
    return Result<int>::fail(std::string("cannot create: ") + std::strerror(errno));
  }
  return fd;
}

Result<int> SafeTree::open_existing(const std::vector<std::string>& comps) {
  if (comps.empty()) return Result<int>::fail("empty name");
  auto dir = dir_fd(comps, comps.size() - 1, false);
  if (!dir) {
    close_transient();
    return dir;
  }
  int fd = ::openat(*dir, comps.back().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  close_transient();
  if (fd < 0)
    return Result<int>::fail(errno == ELOOP ? std::string("it is a symbolic link")
                                            : std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Result<int>::fail("not a regular file");
  }
  return fd;
}

void SafeTree::remove_file(const std::vector<std::string>& comps) {
  if (comps.empty()) return;
  auto dir = dir_fd(comps, comps.size() - 1, false);
  if (dir) ::unlinkat(*dir, comps.back().c_str(), 0);
  close_transient();
}

std::string SafeTree::path_of(const std::vector<std::string>& comps) const {
  std::string p = root_;
  for (const auto& c : comps) p += "/" + c;
  return p;
}

}  // namespace kk::cdir
