#include "core/case_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace kk {

namespace {

struct FileId {
  dev_t dev;
  ino_t ino;
  bool operator==(const FileId& o) const { return dev == o.dev && ino == o.ino; }
};

std::string trim_slashes(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

std::string parent_of(const std::string& p) {
  std::size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : p.substr(0, slash);
}

// Whether the folder DIR_FD is one of INPUTS or lies inside one: walks up through ".." by
// descriptor (links resolved as the kernel does) comparing device and inode.
bool inside_inputs(int dir_fd, const std::vector<FileId>& inputs) {
  if (inputs.empty()) return false;
  int cur = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
  bool found = false;
  for (int depth = 0; cur >= 0 && depth < 4096; ++depth) {
    struct stat st {};
    if (::fstat(cur, &st) != 0) break;
    FileId id{st.st_dev, st.st_ino};
    for (const auto& in : inputs) found = found || in == id;
    if (found) break;
    int up = ::openat(cur, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct stat ust {};
    bool at_root =
        up < 0 || ::fstat(up, &ust) != 0 || (ust.st_dev == st.st_dev && ust.st_ino == st.st_ino);
    ::close(cur);
    cur = up;
    if (at_root) break;
  }
  if (cur >= 0) ::close(cur);
  return found;
}

bool is_empty_dir(int dir_fd) {
  int dup = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) return false;
  DIR* d = ::fdopendir(dup);
  if (d == nullptr) {
    ::close(dup);
    return false;
  }
  ::rewinddir(d);
  bool empty = true;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
      empty = false;
      break;
    }
  }
  ::closedir(d);
  return empty;
}

// The checks every folder this module hands out passes: a folder, owned by this user.
std::string ownership_problem(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return path + ": " + std::strerror(errno);
  if (!S_ISDIR(st.st_mode)) return path + " is not a folder";
  if (st.st_uid != ::geteuid())
    return "output folder " + path + " belongs to user id " + std::to_string(st.st_uid) +
           ", not to this user (" + std::to_string(::geteuid()) +
           "): another user could plant links in it; use a new folder";
  return {};
}

}  // namespace

CaseDir::CaseDir(CaseDir&& o) noexcept {
  *this = std::move(o);
}

CaseDir& CaseDir::operator=(CaseDir&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    created_ = o.created_;
    path_ = std::move(o.path_);
  }
  return *this;
}

CaseDir::~CaseDir() {
  if (fd_ >= 0) ::close(fd_);
}

Result<CaseDir> CaseDir::open(const std::string& path_in, const Policy& policy) {
  using R = Result<CaseDir>;
  if (path_in.empty()) return R::fail("no output folder given");
  const std::string path = trim_slashes(path_in);
  std::vector<FileId> inputs;
  for (const auto& in : policy.inputs) {
    struct stat st {};
    if (::stat(in.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      inputs.push_back({st.st_dev, st.st_ino});
  }
  auto inside_message = [&] {
    return "output folder " + path + " is, or lies inside, the input " +
           (policy.inputs.size() == 1 ? policy.inputs[0] : std::string("folder")) +
           ": nothing is written into evidence; choose a folder outside it";
  };
  // Before anything is created: the nearest existing folder of PATH must not be in an input.
  {
    std::string p = path;
    struct stat st {};
    for (int i = 0; i < 4096 && ::stat(p.c_str(), &st) != 0 && errno == ENOENT; ++i) {
      std::string up = parent_of(p);
      if (up == p) break;
      p = up;
    }
    int near = ::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (near >= 0) {
      bool bad = inside_inputs(near, inputs);
      ::close(near);
      if (bad) return R::fail(inside_message());
    }
  }
  CaseDir d;
  d.path_ = path;
  struct stat lst {};
  if (::lstat(path.c_str(), &lst) == 0) {
    if (S_ISLNK(lst.st_mode))
      return R::fail("output folder " + path +
                     " is a symbolic link: give the real folder (links are not followed)");
    if (!S_ISDIR(lst.st_mode)) return R::fail("output " + path + " exists and is not a folder");
  } else if (errno == ENOENT) {
    std::error_code ec;
    std::string parent = parent_of(path);
    if (parent != "." && parent != "/") std::filesystem::create_directories(parent, ec);
    if (::mkdir(path.c_str(), 0755) != 0)
      return R::fail("cannot create output folder " + path + ": " + std::strerror(errno));
    d.created_ = true;
  } else {
    return R::fail("cannot use output folder " + path + ": " + std::strerror(errno));
  }
  d.fd_ = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (d.fd_ < 0)
    return R::fail("cannot open output folder " + path + ": " +
                   (errno == ELOOP ? std::string("it is a symbolic link") : std::strerror(errno)));
  // Checked on the descriptor: what was created or inspected above may have been swapped.
  std::string problem = ownership_problem(d.fd_, path);
  if (problem.empty() && !policy.allow_content && !is_empty_dir(d.fd_))
    problem = "output folder " + path + " is not empty (use a new folder for each case)";
  if (problem.empty() && inside_inputs(d.fd_, inputs)) problem = inside_message();
  if (!problem.empty()) {
    if (d.created_ && is_empty_dir(d.fd_)) ::rmdir(path.c_str());
    return R::fail(problem);
  }
  return d;
}

Result<CaseDir> CaseDir::create_dir(std::string_view name) const {
  using R = Result<CaseDir>;
  std::string n(name);
  if (n.empty() || n == "." || n == ".." || n.find('/') != std::string::npos)
    return R::fail("not a folder name: " + n);
  if (::mkdirat(fd_, n.c_str(), 0755) != 0)
    return R::fail("cannot create " + path_of(n) + ": " + std::strerror(errno));
  auto d = open_dir(n);
  if (d) d->created_ = true;
  return d;
}

Result<CaseDir> CaseDir::open_dir(std::string_view name) const {
  using R = Result<CaseDir>;
  std::string n(name);
  CaseDir d;
  d.path_ = path_of(n);
  d.fd_ = ::openat(fd_, n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (d.fd_ < 0)
    return R::fail("cannot open " + d.path_ + ": " +
                   (errno == ELOOP ? std::string("it is a symbolic link") : std::strerror(errno)));
  if (std::string problem = ownership_problem(d.fd_, d.path_); !problem.empty())
    return R::fail(problem);
  return d;
}

Result<AtomicFile> CaseDir::create_file(std::string_view name, AtomicFile::Replace replace) const {
  auto f = AtomicFile::create(fd_, name, replace, path_of(name));
  if (!f)
    return Result<AtomicFile>::fail("cannot write " + path_of(name) + ": " + f.error().message);
  return f;
}

Result<bool> CaseDir::write_file(std::string_view name, std::string_view content,
                                 AtomicFile::Replace replace) const {
  using R = Result<bool>;
  auto f = create_file(name, replace);
  if (!f) return R::fail(f.error().message);
  if (!write_all(f->fd(), content))
    return R::fail("cannot write " + path_of(name) + ": " + std::strerror(errno));
  if (auto c = f->commit(); !c)
    return R::fail("cannot write " + path_of(name) + ": " + c.error().message);
  return true;
}

Result<bool> CaseDir::rename(std::string_view from, std::string_view to) const {
  std::string f(from), t(to);
  if (::renameat2(fd_, f.c_str(), fd_, t.c_str(), RENAME_NOREPLACE) != 0)
    return Result<bool>::fail("cannot rename " + path_of(f) + " to " + t + ": " +
                              std::strerror(errno));
  return true;
}

bool CaseDir::exists(std::string_view name) const {
  struct stat st {};
  return ::fstatat(fd_, std::string(name).c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

}  // namespace kk
