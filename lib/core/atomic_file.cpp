#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace kk {

namespace {

std::string errno_text(int e) {
  if (e == ELOOP) return "it is a symbolic link";
  return std::strerror(e);
}

// ".NAME.3f9a0c1b2d4e.part": hidden, unpredictable, and never a name a tool writes.
std::string temp_name_for(std::string_view name) {
  unsigned char r[6] = {};
  if (::getrandom(r, sizeof r, 0) != static_cast<ssize_t>(sizeof r)) {
    static unsigned counter = 0;
    unsigned v = static_cast<unsigned>(::getpid()) * 2654435761u + ++counter;
    std::memcpy(r, &v, sizeof v);
  }
  char hex[13];
  for (int i = 0; i < 6; ++i) std::snprintf(hex + 2 * i, 3, "%02x", r[i]);
  std::string n = ".";
  n.append(name.substr(0, 200));  // stay within NAME_MAX whatever the name
  n += ".";
  n += hex;
  n += ".part";
  return n;
}

bool is_one_component(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

}  // namespace

bool write_all(int fd, std::string_view data) {
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    ssize_t w = ::write(fd, p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      if (w == 0) errno = EIO;
      return false;
    }
    p += w;
    left -= static_cast<std::size_t>(w);
  }
  return true;
}

AtomicFile::AtomicFile(AtomicFile&& o) noexcept {
  *this = std::move(o);
}

AtomicFile& AtomicFile::operator=(AtomicFile&& o) noexcept {
  if (this != &o) {
    abandon();
    dir_fd_ = std::exchange(o.dir_fd_, -1);
    fd_ = std::exchange(o.fd_, -1);
    direct_ = o.direct_;
    replace_ = o.replace_;
    name_ = std::move(o.name_);
    temp_name_ = std::move(o.temp_name_);
    temp_path_ = std::move(o.temp_path_);
    display_ = std::move(o.display_);
  }
  return *this;
}

AtomicFile::~AtomicFile() {
  abandon();
}

Result<AtomicFile> AtomicFile::create(int dir_fd, std::string_view name, Replace replace,
                                      std::string display) {
  using R = Result<AtomicFile>;
  if (!is_one_component(name)) return R::fail("not a file name");
  AtomicFile f;
  f.replace_ = replace;
  f.name_ = std::string(name);
  f.display_ = std::move(display);
  f.dir_fd_ = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
  if (f.dir_fd_ < 0) return R::fail(errno_text(errno));
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string tmp = temp_name_for(name);
    int fd = ::openat(f.dir_fd_, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      0666);
    if (fd >= 0) {
      f.fd_ = fd;
      f.temp_name_ = tmp;
      std::size_t slash = f.display_.rfind('/');
      f.temp_path_ =
          (slash == std::string::npos ? std::string() : f.display_.substr(0, slash + 1)) + tmp;
      return f;
    }
    if (errno != EEXIST) return R::fail(errno_text(errno));
  }
  return R::fail("no free temporary name");
}

Result<AtomicFile> AtomicFile::create_at_path(const std::string& path, Replace replace) {
  using R = Result<AtomicFile>;
  struct stat st {};
  // A device or FIFO is a place to write to, not a file to create: /dev/null must never be
  // replaced by a regular file (the tools run as root).
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) return R::fail(std::strerror(EISDIR));
  bool special = path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0 ||
                 (exists && !S_ISREG(st.st_mode));
  if (special) {
    AtomicFile f;
    f.direct_ = true;
    f.display_ = path;
    f.temp_path_ = path;
    f.fd_ = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (f.fd_ < 0) return R::fail(errno_text(errno));
    return f;
  }
  std::string dir = ".", name = path;
  if (std::size_t slash = path.rfind('/'); slash != std::string::npos) {
    dir = slash == 0 ? "/" : path.substr(0, slash);
    name = path.substr(slash + 1);
  }
  if (!is_one_component(name)) return R::fail("not a file name");
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return R::fail(errno_text(errno));
  auto f = create(dfd, name, replace, path);
  ::close(dfd);
  return f;
}

Result<bool> AtomicFile::commit() {
  using R = Result<bool>;
  if (fd_ < 0) return R::fail("not open");
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) {
    int e = errno;
    abandon();
    return R::fail(std::strerror(e));
  }
  if (direct_) return true;
  int r;
  if (replace_ == Replace::kExisting) {
    r = ::renameat(dir_fd_, temp_name_.c_str(), dir_fd_, name_.c_str());
  } else {
    r = ::renameat2(dir_fd_, temp_name_.c_str(), dir_fd_, name_.c_str(), RENAME_NOREPLACE);
    if (r != 0 && (errno == EINVAL || errno == ENOSYS)) {
      // A filesystem without RENAME_NOREPLACE: a hard link fails just the same on EEXIST.
      r = ::linkat(dir_fd_, temp_name_.c_str(), dir_fd_, name_.c_str(), 0);
      if (r == 0) ::unlinkat(dir_fd_, temp_name_.c_str(), 0);
    }
  }
  if (r != 0) {
    int e = errno;
    abandon();
    return R::fail(e == EEXIST ? std::string("it already exists (not replaced)")
                               : std::string(std::strerror(e)));
  }
  temp_name_.clear();
  ::close(std::exchange(dir_fd_, -1));
  return true;
}

void AtomicFile::abandon() {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  if (dir_fd_ >= 0) {
    if (!direct_ && !temp_name_.empty()) ::unlinkat(dir_fd_, temp_name_.c_str(), 0);
    ::close(std::exchange(dir_fd_, -1));
  }
  temp_name_.clear();
}

}  // namespace kk
