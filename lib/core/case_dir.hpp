// The folder a run writes its results into, held open by descriptor.
//
// The tools run as root in folders other users can reach (issue #22). Everything a run
// writes goes through a CaseDir: the folder is one the tool created itself, or an existing
// one it checked (not a link, owned by this user, empty unless the caller allows content),
// and every file or subfolder is then created relative to its descriptor, never by path:
// files as AtomicFile (O_CREAT|O_EXCL|O_NOFOLLOW under a temporary name, renamed when
// complete), subfolders with mkdirat (they must not exist yet) and opened O_NOFOLLOW. A
// folder that is refused is left exactly as it was: nothing is written into it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/result.hpp"

namespace kk {

class CaseDir {
 public:
  struct Policy {
    // false: an existing folder must be empty (a case folder: one run each).
    // true: it may hold earlier results (a batch's OUTROOT, unpack-cdir's -o DIR).
    bool allow_content = false;
    // Input folders and files of the run: the output folder may not be one of them, nor lie
    // inside one (a bundle folder is evidence; nothing is added to it).
    std::vector<std::string> inputs;
  };

  CaseDir() = default;
  CaseDir(CaseDir&& other) noexcept;
  CaseDir& operator=(CaseDir&& other) noexcept;
  CaseDir(const CaseDir&) = delete;
  CaseDir& operator=(const CaseDir&) = delete;
  ~CaseDir();

  // Creates PATH (and missing parents: links in the parents are the analyst's choice) or
  // takes the existing folder PATH if POLICY allows it. Refuses, writing nothing: PATH a
  // symbolic link or not a folder, a folder owned by another user (another user could plant
  // links in it), a non-empty folder (unless allowed), PATH being or lying inside an input.
  // Errors are whole sentences naming PATH.
  static Result<CaseDir> open(const std::string& path, const Policy& policy);

  bool is_open() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  std::string path_of(std::string_view name) const { return path_ + "/" + std::string(name); }
  // True when this run created the folder (rather than taking an existing empty one).
  bool created() const { return created_; }

  // A new subfolder NAME (one component); fails if anything has that name already.
  Result<CaseDir> create_dir(std::string_view name) const;
  // An existing subfolder NAME, not through a link; must be owned by this user.
  Result<CaseDir> open_dir(std::string_view name) const;
  // A new file NAME, see AtomicFile. Errors name the file.
  Result<AtomicFile> create_file(std::string_view name,
                                 AtomicFile::Replace replace = AtomicFile::Replace::kNever) const;
  // create_file + write + commit.
  Result<bool> write_file(std::string_view name, std::string_view content,
                          AtomicFile::Replace replace = AtomicFile::Replace::kNever) const;
  // Renames the entry FROM to TO inside this folder; fails if TO exists.
  Result<bool> rename(std::string_view from, std::string_view to) const;
  // Whether an entry NAME exists (links not followed).
  bool exists(std::string_view name) const;

 private:
  int fd_ = -1;
  bool created_ = false;
  std::string path_;
};

}  // namespace kk
