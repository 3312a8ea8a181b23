#include "core/direct_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>

namespace kk {

void AlignedFree::operator()(char* p) const noexcept {
  ::operator delete[](p, std::align_val_t{kDirectAlign});
}

AlignedBuffer aligned_buffer(std::size_t bytes) {
  return AlignedBuffer(static_cast<char*>(::operator new[](bytes, std::align_val_t{kDirectAlign})));
}

std::size_t direct_block_size(std::size_t bytes) {
  return std::max(kDirectAlign, bytes / kDirectAlign * kDirectAlign);
}

bool direct_io_allowed() {
  const char* v = std::getenv("KK_DIRECT_IO");
  return v == nullptr || std::string_view(v) != "0";
}

void drop_direct_io(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0 && (flags & O_DIRECT)) ::fcntl(fd, F_SETFL, flags & ~O_DIRECT);
}

bool enable_direct_io(int fd, std::int64_t at) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return false;
  if (flags & O_DIRECT) return true;
  struct stat st;
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);  // not a device or pipe
  return regular && direct_io_allowed() && at >= 0 &&
         at % static_cast<std::int64_t>(kDirectAlign) == 0 &&
         ::fcntl(fd, F_SETFL, flags | O_DIRECT) == 0;
}

int write_all(int fd, const char* p, std::size_t n, std::int64_t offset,
              std::atomic<bool>& direct) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t w = offset < 0
                          ? ::write(fd, p + done, n - done)
                          : ::pwrite(fd, p + done, n - done,
                                     static_cast<off_t>(offset + static_cast<std::int64_t>(done)));
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EINVAL && direct.load()) {
        drop_direct_io(fd);
        direct = false;
        continue;
      }
      return errno;
    }
    if (w == 0) return ENOSPC;
    done += static_cast<std::size_t>(w);
    if (direct.load() && done < n && done % kDirectAlign != 0) {  // a short write: unaligned
      drop_direct_io(fd);
      direct = false;
    }
  }
  return 0;
}

DirectWriter::DirectWriter(int fd, std::size_t block, bool try_direct)
    : fd_(fd), buf_(aligned_buffer(direct_block_size(block))), block_(direct_block_size(block)) {
  const off_t at = ::lseek(fd, 0, SEEK_CUR);
  start_ = at < 0 ? 0 : static_cast<std::int64_t>(at);
  const int flags = ::fcntl(fd, F_GETFL);
  direct_ = (flags >= 0 && (flags & O_DIRECT) != 0) ||
            (try_direct && at >= 0 && enable_direct_io(fd, at));
}

bool DirectWriter::write_block(std::size_t n) {
  error_ = write_all(fd_, buf_.get(), n, -1, direct_);
  return error_ == 0;
}

bool DirectWriter::append(const char* p, std::size_t n) {
  if (error_) return false;
  bytes_ += n;
  while (n > 0) {
    std::size_t k = std::min(n, block_ - used_);
    std::memcpy(buf_.get() + used_, p, k);
    used_ += k;
    p += k;
    n -= k;
    if (used_ == block_) {
      if (!write_block(block_)) return false;
      used_ = 0;
    }
  }
  return true;
}

bool DirectWriter::finish() {
  if (error_) return false;
  if (used_ > 0) {
    std::size_t n = used_;
    const bool pad = direct_ && used_ % kDirectAlign != 0;
    if (pad) {  // O_DIRECT writes whole blocks: pad, then cut the file back
      n = (used_ + kDirectAlign - 1) / kDirectAlign * kDirectAlign;
      std::memset(buf_.get() + used_, 0, n - used_);
    }
    if (!write_block(n)) return false;
    used_ = 0;
    if (pad &&
        ::ftruncate(fd_, static_cast<off_t>(start_ + static_cast<std::int64_t>(bytes_))) != 0) {
      error_ = errno;
      return false;
    }
  }
  if (direct_) {
    drop_direct_io(fd_);
    direct_ = false;
  }
  // Where a caller writing on through FD expects to be.
  ::lseek(fd_, static_cast<off_t>(start_ + static_cast<std::int64_t>(bytes_)), SEEK_SET);
  return true;
}

}  // namespace kk
