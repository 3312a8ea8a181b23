// Appends to a file with O_DIRECT where the file system takes it, through the page cache
// where it does not. Large files written once and not read back soon (the timeline's
// spilled runs, triage's records and timeline, 1–3 GB on a large bundle) gain nothing from
// the cache, and copying them into freshly allocated cache pages cost about 2 CPU-seconds per
// GB on a VM (each new page faulted in by the host) against 0.2 direct. The bytes on disk
// are the same either way: whole aligned blocks are written from an aligned buffer, the last
// one padded, and the file is cut back to its length.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace kk {

// O_DIRECT wants memory, offsets and lengths aligned to the device's logical block; 4 KiB
// covers every disk in use.
constexpr std::size_t kDirectAlign = 4096;

struct AlignedFree {
  void operator()(char* p) const noexcept;
};
using AlignedBuffer = std::unique_ptr<char[], AlignedFree>;
AlignedBuffer aligned_buffer(std::size_t bytes);
// BYTES rounded down to a multiple of kDirectAlign, at least kDirectAlign.
std::size_t direct_block_size(std::size_t bytes);

// False when the environment says KK_DIRECT_IO=0: everything through the page cache, for a
// disk slower than the cache's later write-back (a USB disk, a network share), where waiting
// for each write would cost more than the copy saves.
bool direct_io_allowed();

// Turns O_DIRECT off on FD: a file system that took it at open() may still refuse an I/O
// (alignment it wants larger, a short transfer leaving the offset unaligned).
void drop_direct_io(int fd);

// Turns O_DIRECT on for FD, at offset AT, when FD is a regular file, AT is aligned, the file
// system takes it and direct_io_allowed(). True when FD is then O_DIRECT (or already was).
bool enable_direct_io(int fd, std::int64_t at);

// Writes P[0, N) to FD at OFFSET (pwrite), or at its offset when OFFSET < 0 (write). An I/O
// that O_DIRECT refuses is done again through the page cache, and DIRECT is cleared; so is
// it after a short transfer that leaves the offset unaligned. Returns 0 or the errno.
int write_all(int fd, const char* p, std::size_t n, std::int64_t offset, std::atomic<bool>& direct);

// Writes a file's last USED bytes from BUF (room for them rounded up to kDirectAlign) at
// OFFSET as write_all does: under O_DIRECT padded with zeros, then the file cut back to END.
// Then O_DIRECT off and FD's offset at END, where a caller writing on expects it. Returns 0
// or the errno (FD then left as it is).
int finish_direct_file(int fd, char* buf, std::size_t used, std::int64_t offset, std::int64_t end,
                       std::atomic<bool>& direct);

class DirectWriter {
 public:
  // Writes to FD (not owned) from its current offset, BLOCK bytes at a time. TRY_DIRECT:
  // turn O_DIRECT on when the offset is aligned, the file system takes it and
  // direct_io_allowed().
  DirectWriter(int fd, std::size_t block, bool try_direct);
  DirectWriter(const DirectWriter&) = delete;
  DirectWriter& operator=(const DirectWriter&) = delete;

  // False once a write has failed (errno in error()); later calls do nothing.
  bool append(const char* p, std::size_t n);
  // Writes what is left and cuts the padding off; FD stays open, O_DIRECT off.
  bool finish();
  bool direct() const { return direct_.load(); }
  int error() const { return error_; }
  std::uint64_t bytes() const { return bytes_; }  // appended so far

 private:
  bool write_block(std::size_t n);  // buf_[0, n)
  int fd_;
  std::atomic<bool> direct_{false};
  int error_ = 0;
  AlignedBuffer buf_;
  std::size_t block_, used_ = 0;
  std::int64_t start_ = 0;  // FD's offset when we began
  std::uint64_t bytes_ = 0;
};

}  // namespace kk
