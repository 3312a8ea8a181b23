// Writing files from an untrusted archive under one directory, and nowhere else.
//
// Every entry name is checked before anything is created: no "..", no absolute path, no
// drive letter, no empty or over-long component. Files and directories are created relative
// to directory descriptors opened with O_NOFOLLOW, so a symbolic link planted in DIR (or a
// race) cannot redirect a write, and files are created O_EXCL, so nothing existing is ever
// overwritten.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace kk::cdir {

// Splits an archive entry name (already UTF-8) into safe components. Both '/' and '\' are
// separators (Windows zip tools write either; neither can be part of a Windows file name).
// "." and empty components are dropped. Fails, naming the reason, on "..", a leading '/',
// a drive letter ("C:"), a NUL byte or a component longer than 255 bytes.
Result<std::vector<std::string>> safe_components(std::string_view entry_name);

class SafeTree {
 public:
  SafeTree() = default;
  SafeTree(const SafeTree&) = delete;
  SafeTree& operator=(const SafeTree&) = delete;
  ~SafeTree();

  // Opens (creating if needed) ROOT. Fails if it cannot be created or is not a directory.
  // ROOT_FD >= 0: ROOT is already open as that descriptor (a folder of a case folder,
  // core/case_dir.hpp); it is duplicated and ROOT only names it in messages and paths.
  Result<bool> open(const std::string& root, int root_fd = -1);
  const std::string& root() const { return root_; }

  // Creates the directories of COMPONENTS (all of them when IS_DIR, else all but the last).
  Result<bool> make_dirs(const std::vector<std::string>& components, bool is_dir);
  // Creates a new file; fails if anything already has that name (message kAlreadyExists).
  // Returns an fd opened for writing (caller closes).
  Result<int> create_file(const std::vector<std::string>& components);
  static constexpr const char* kAlreadyExists =
      "already exists in the output directory; not overwritten";
  // Opens an existing regular file read-only, never through a symbolic link (caller closes):
  // a rerun into the same evidence folder compares what is there with the archive.
  Result<int> open_existing(const std::vector<std::string>& components);
  // "ROOT/a/b/c".
  std::string path_of(const std::vector<std::string>& components) const;
  // Removes a file created by create_file (used only for cleanup of refused content).
  void remove_file(const std::vector<std::string>& components);

 private:
  Result<int> dir_fd(const std::vector<std::string>& components, std::size_t count, bool create);
  std::string root_;
  int root_fd_ = -1;
  void close_transient();
  static constexpr std::size_t kMaxCachedDirs = 1024;
  std::vector<int> transient_;       // opened past the cache size, closed after each call
  std::map<std::string, int> dirs_;  // "a/b" -> fd (kept open: bundles have few folders)
};

}  // namespace kk::cdir
