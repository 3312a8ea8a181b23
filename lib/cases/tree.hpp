// Walking and removing a folder tree by descriptor, never through a link and never onto
// another file system: what purge deletes and what add copies stays inside the case folder
// whatever links or mounts someone placed in it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kk::cases {

struct TreeEntry {
  std::string path;  // relative to the walked folder, '/'-separated
  enum class Type { kFile, kDir, kLink, kOther } type = Type::kFile;
  std::uint64_t size = 0;
  bool other_device = false;  // a mount point: not entered
};

// Every entry under the folder DIR_FD (depth first, a folder after its content), sorted by
// name within each folder. Links are listed, never followed; folders on another device are
// listed, not entered. ERRORS collects what could not be read.
std::vector<TreeEntry> list_tree(int dir_fd, std::vector<std::string>& errors);

// Opens the regular file PATH (relative to DIR_FD) read-only, refusing links in any
// component. -1 on failure.
int open_in_tree(int dir_fd, const std::string& path);

// Removes entry NAME of DIR_FD and everything under it (links themselves, never their
// targets; nothing on another device). Returns false, with ERRORS, if something stayed.
bool remove_tree(int dir_fd, const std::string& name, std::vector<std::string>& errors);

}  // namespace kk::cases
