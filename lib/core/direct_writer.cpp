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

int finish_direct_file(int fd, char* buf, std::size_t used, std::int64_t offset, std::int64_t end,
                       std::atomic<bool>& direct) {
  if (used > 0) {
    std::size_t n = used;
    const bool pad = direct && used % kDirectAlign != 0;
    if (pad) {  // O_DIRECT writes whole blocks: pad, then cut the file back
      n = (used + kDirectAlign - 1) / kDirectAlign * kDirectAlign;
      std::memset(buf + used, 0, n - used);
    }
    if (const int e = write_all(fd, buf, n, offset, direct); e != 0) return e;
    if (pad && ::ftruncate(fd, static_cast<off_t>(end)) != 0) return errno;
  }
  if (direct) {
    drop_direct_io(fd);
    direct = false;
  }
  ::lseek(fd, static_cast<off_t>(end), SEEK_SET);  // where a caller writing on expects to be
  return 0;
}

DirectWriter::DirectWriter(int fd, std::size_t block, bool try_direct)
    : fd_(fd), buf_(aligned_buffer(direct_block_size(block))), block_(direct_block_size(block)) {
  const off_t at = ::lseek(fd, 0, SEEK_CUR);
  start_ = at < 0 ? 0 : static_cast<std::int64_t>(at);
  const int flags = ::fcntl(fd, F_GETFL);
  direct_ = (flags >= 0 && (flags & O_DIRECT) != 0) || (try_direct && enable_direct_io(fd, at));
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
  error_ = finish_direct_file(fd_, buf_.get(), used_, -1,
                              start_ + static_cast<std::int64_t>(bytes_), direct_);
  if (error_) return false;
  used_ = 0;
  return true;
}

}  // namespace kk
