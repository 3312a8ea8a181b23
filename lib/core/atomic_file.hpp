// A result file that appears under its name only when it is complete, and whose writing a
// link planted by someone else cannot redirect.
//
// Root runs these tools in folders other users can reach (issue #22): opening "notice.html"
// by name follows a link another user planted there and overwrites its target. An
// AtomicFile is created under a temporary name (".NAME.XXXXXX.part") with
// O_CREAT|O_EXCL|O_NOFOLLOW relative to a directory descriptor, so nothing that already
// exists is ever opened, and commit() renames it onto NAME: a rename replaces the directory
// entry, it never follows a link there. Destroyed without commit() (a failed or interrupted
// run), the temporary file is removed and a previous NAME stays as it was.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace kk {

class AtomicFile {
 public:
  // What commit() does when NAME already exists.
  enum class Replace {
    kNever,    // fail: a case folder's files are written once (renameat2 RENAME_NOREPLACE)
    kExisting  // replace the entry (a tool's -o FILE: reruns replace the result on success)
  };

  AtomicFile() = default;
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();  // abandon() unless committed

  // Errors are the reason alone ("it is a symbolic link"); callers name the file.
  // Creates the temporary file in the directory DIR_FD (duplicated; the caller keeps its
  // own). NAME is one path component. DISPLAY is the path messages name ("case/notice.html").
  static Result<AtomicFile> create(int dir_fd, std::string_view name, Replace replace,
                                   std::string display);
  // The same for a path the analyst gave (-o FILE): its folder is opened by path (links in
  // it are the analyst's choice), the file itself as above. A path that names a device or
  // FIFO ("/dev/null", "/dev/stdout", a pipe) is opened for writing as it is: nothing is
  // created there and committing does nothing but close it.
  static Result<AtomicFile> create_at_path(const std::string& path, Replace replace);

  bool is_open() const { return fd_ >= 0; }
  // The descriptor to write to (owned: commit/abandon close it).
  int fd() const { return fd_; }
  // Where the content is while it is written (the temporary name; for reading it back).
  const std::string& temp_path() const { return temp_path_; }
  const std::string& display_path() const { return display_; }

  // Closes and renames the file onto its name. Fails (removing the temporary file) if the
  // close fails or, with Replace::kNever, if the name exists.
  Result<bool> commit();
  // Closes and removes the temporary file.
  void abandon();

 private:
  int dir_fd_ = -1;
  int fd_ = -1;
  bool direct_ = false;  // a device or FIFO written in place
  Replace replace_ = Replace::kNever;
  std::string name_, temp_name_, temp_path_, display_;
};

// Writes all of DATA to FD (retrying short writes and EINTR); false on error (errno set).
bool write_all(int fd, std::string_view data);

}  // namespace kk
