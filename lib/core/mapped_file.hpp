// Read-only memory mapping of an evidence file.
//
// Evidence is never modified: the file is opened O_RDONLY and mapped
// PROT_READ/MAP_PRIVATE. Zero-length files map to an empty span.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace kk {

class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  MappedFile(MappedFile&& o) noexcept;
  MappedFile& operator=(MappedFile&& o) noexcept;
  ~MappedFile();

  // Opens PATH; on failure returns false and sets *error to a one-line reason.
  bool open(const std::string& path, std::string* error);

  std::span<const std::uint8_t> bytes() const { return {data_, size_}; }
  std::size_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Gives back the pages that lie wholly in bytes [BEGIN, END): they leave the process's
  // memory, and are read from the file again if touched. For a reader that is done with them.
  // Returns where the pages given back end (END rounded down to a page; BEGIN if none were).
  std::size_t release(std::size_t begin, std::size_t end) const;

 private:
  void reset();
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::string path_;
};

}  // namespace kk
