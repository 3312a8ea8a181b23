// Scratch space for harnesses whose library reads a path (EVTX, WMI, archives): a folder
// in /dev/shm (tmpfs) made once per process, so that writing each input costs no disk
// I/O (on /tmp the file writes and removals were most of cdir_archive's time). The folder is
// removed when the process exits normally (tmpfs is memory).
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

namespace kk_fuzz {

// A private folder for this process, in /dev/shm when there is one, else /tmp.
inline const std::string& scratch_dir() {
  struct Dir {
    std::string path;
    bool made = false;
    Dir() {
      char shm[] = "/dev/shm/kk-fuzz-XXXXXX", tmp[] = "/tmp/kk-fuzz-XXXXXX";
      const char* d = mkdtemp(shm);
      if (!d) d = mkdtemp(tmp);
      made = d != nullptr;
      path = d ? d : "/tmp";
    }
    ~Dir() {
      std::error_code ec;
      if (made) std::filesystem::remove_all(path, ec);
    }
  };
  static const Dir dir;
  return dir.path;
}

// Writes HEAD (may be empty) then DATA to PATH (replaced); false when it cannot.
inline bool write_file(const std::string& path, const std::uint8_t* head, std::size_t head_size,
                       const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  bool ok = !head_size || std::fwrite(head, 1, head_size, f) == head_size;
  ok = (!size || std::fwrite(data, 1, size, f) == size) && ok;
  return std::fclose(f) == 0 && ok;
}

}  // namespace kk_fuzz
