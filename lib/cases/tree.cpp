#include "cases/tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace kk::cases {
namespace {

int open_dir_at(int dir_fd, const std::string& name) {
  return ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

// Names in the folder FD (not . and ..), sorted; the descriptor stays the caller's.
bool read_names(int fd, std::vector<std::string>& names) {
  int dup = ::dup(fd);
  if (dup < 0) return false;
  DIR* d = ::fdopendir(dup);
  if (!d) {
    ::close(dup);
    return false;
  }
  ::rewinddir(d);
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    names.emplace_back(e->d_name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return true;
}

void walk(int fd, dev_t dev, const std::string& prefix, std::vector<TreeEntry>& out,
          std::vector<std::string>& errors) {
  std::vector<std::string> names;
  if (!read_names(fd, names)) {
    errors.push_back((prefix.empty() ? "." : prefix) + ": cannot list: " + std::strerror(errno));
    return;
  }
  for (const std::string& n : names) {
    std::string path = prefix.empty() ? n : prefix + "/" + n;
    struct stat st {};
    if (::fstatat(fd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      errors.push_back(path + ": " + std::strerror(errno));
      continue;
    }
    TreeEntry e;
    e.path = path;
    if (S_ISLNK(st.st_mode)) {
      e.type = TreeEntry::Type::kLink;
    } else if (S_ISDIR(st.st_mode)) {
      e.type = TreeEntry::Type::kDir;
      if (st.st_dev != dev) {
        e.other_device = true;
      } else {
        int sub = open_dir_at(fd, n);
        if (sub < 0) {
          errors.push_back(path + ": cannot open: " + std::strerror(errno));
        } else {
          walk(sub, dev, path, out, errors);
          ::close(sub);
        }
      }
    } else if (S_ISREG(st.st_mode)) {
      e.type = TreeEntry::Type::kFile;
      e.size = static_cast<std::uint64_t>(st.st_size);
    } else {
      e.type = TreeEntry::Type::kOther;
    }
    out.push_back(std::move(e));
  }
}

}  // namespace

std::vector<TreeEntry> list_tree(int dir_fd, std::vector<std::string>& errors) {
  std::vector<TreeEntry> out;
  struct stat st {};
  if (::fstat(dir_fd, &st) != 0) {
    errors.push_back(std::string(".: ") + std::strerror(errno));
    return out;
  }
  walk(dir_fd, st.st_dev, "", out, errors);
  return out;
}

int open_in_tree(int dir_fd, const std::string& path) {
  int fd = ::dup(dir_fd);
  std::size_t start = 0;
  while (fd >= 0) {
    std::size_t slash = path.find('/', start);
    std::string part =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty() || part == "." || part == "..") {
      ::close(fd);
      return -1;
    }
    int next = slash == std::string::npos
                   // O_NONBLOCK: a FIFO planted under a file's name must not hang us.
                   ? ::openat(fd, part.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
                   : open_dir_at(fd, part);
    ::close(fd);
    fd = next;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (fd >= 0) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return -1;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  }
  return fd;
}

namespace {
bool remove_at(int dir_fd, dev_t dev, const std::string& name, const std::string& display,
               std::vector<std::string>& errors) {
  struct stat st {};
  if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return true;
    errors.push_back(display + ": " + std::strerror(errno));
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    if (st.st_dev != dev) {
      errors.push_back(display + ": another file system is mounted here; not entered");
      return false;
    }
    int sub = open_dir_at(dir_fd, name);
    if (sub < 0) {
      errors.push_back(display + ": cannot open: " + std::strerror(errno));
      return false;
    }
    std::vector<std::string> names;
    bool ok = read_names(sub, names);
    if (!ok) errors.push_back(display + ": cannot list: " + std::strerror(errno));
    for (const std::string& n : names) ok = remove_at(sub, dev, n, display + "/" + n, errors) && ok;
    ::close(sub);
    if (!ok) return false;
    if (::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) != 0) {
      errors.push_back(display + ": cannot remove: " + std::strerror(errno));
      return false;
    }
    return true;
  }
  // A file, a link (the link itself goes, its target stays) or anything else.
  if (::unlinkat(dir_fd, name.c_str(), 0) != 0) {
    errors.push_back(display + ": cannot remove: " + std::strerror(errno));
    return false;
  }
  return true;
}
}  // namespace

bool remove_tree(int dir_fd, const std::string& name, std::vector<std::string>& errors) {
  struct stat st {};
  if (::fstat(dir_fd, &st) != 0) {
    errors.push_back(name + ": " + std::strerror(errno));
    return false;
  }
  return remove_at(dir_fd, st.st_dev, name, name, errors);
}

}  // namespace kk::cases
