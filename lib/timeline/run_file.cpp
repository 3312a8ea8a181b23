#include "timeline/run_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>

namespace kk::timeline {

namespace {
constexpr std::size_t kHeader = 24;

[[noreturn]] void io_failure(const std::string& what, const std::string& path, int err) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(err));
}

// O_DIRECT when asked for and the file system takes it, else through the page cache.
int open_for_reading(const std::string& path, bool direct) {
  int fd = direct ? ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECT) : -1;
  return fd >= 0 ? fd : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
}
}  // namespace

RunWriter::RunWriter(const std::string& path, std::size_t block, bool direct) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) io_failure("cannot create run file", path, errno);
  out_ = std::make_unique<DirectWriter>(fd_, block, direct);
}

RunWriter::~RunWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void RunWriter::failed() const {
  io_failure("cannot write run file", path_, out_->error());
}

void RunWriter::write(UtcMicros ts, std::uint64_t seq, std::uint32_t host_pos,
                      std::string_view line) {
  char h[kHeader];
  std::uint32_t len = static_cast<std::uint32_t>(line.size());
  std::memcpy(h, &ts, 8);
  std::memcpy(h + 8, &seq, 8);
  std::memcpy(h + 16, &host_pos, 4);
  std::memcpy(h + 20, &len, 4);
  if (!out_->append(h, kHeader) || !out_->append(line.data(), line.size())) failed();
}

void RunWriter::close() {
  if (!out_->finish()) failed();
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) io_failure("cannot write run file", path_, errno);
}

RunPrefetcher::RunPrefetcher() {
  try {
    for (auto& t : threads_) t = std::thread(&RunPrefetcher::loop, this);
  } catch (...) {  // the second thread could not start: stop the first before giving up
    {
      std::lock_guard<std::mutex> lk(m_);
      stop_ = true;
    }
    work_.notify_all();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
    throw;
  }
}

RunPrefetcher::~RunPrefetcher() {
  {
    std::lock_guard<std::mutex> lk(m_);
    stop_ = true;
  }
  work_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void RunPrefetcher::post(Request& r) {
  {
    std::lock_guard<std::mutex> lk(m_);
    r.done = false;
    queue_.push_back(&r);
  }
  work_.notify_one();
}

void RunPrefetcher::wait(Request& r) {
  std::unique_lock<std::mutex> lk(m_);
  done_.wait(lk, [&] { return r.done; });
}

void RunPrefetcher::loop() {
  std::unique_lock<std::mutex> lk(m_);
  for (;;) {
    work_.wait(lk, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left to read
    Request* r = queue_.front();
    queue_.pop_front();
    lk.unlock();
    std::size_t total = 0;
    long long got = 0;
    int err = 0;
    while (total < r->len) {
      ssize_t n =
          ::pread(r->fd, r->buf + total, r->len - total, static_cast<off_t>(r->offset + total));
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EINVAL && (::fcntl(r->fd, F_GETFL) & O_DIRECT)) {
          drop_direct_io(r->fd);
          continue;
        }
        err = errno;
        break;
      }
      if (n == 0) break;
      total += static_cast<std::size_t>(n);
    }
    got = err ? -1 : static_cast<long long>(total);
    lk.lock();
    r->got = got;
    r->err = err;
    r->done = true;
    done_.notify_all();
  }
}

RunReader::RunReader(const std::string& path, std::size_t block, bool direct, RunPrefetcher& fetch)
    : path_(path), fetch_(fetch), block_(direct_block_size(block)) {
  fd_ = open_for_reading(path, direct);
  if (fd_ < 0) io_failure("cannot read run file", path, errno);
  struct stat st;
  if (::fstat(fd_, &st) != 0) io_failure("cannot read run file", path, errno);
  size_ = static_cast<std::uint64_t>(st.st_size);
  bufs_[0] = aligned_buffer(block_);
  bufs_[1] = aligned_buffer(block_);
  request(0);
  request(1);
  cur_ = 1;  // advance() makes block 0 current on the first next()
  pos_ = len_ = 0;
  first_ = true;
}

RunReader::~RunReader() {
  fetch_.wait(req_[0]);  // the helper may still be filling a block
  fetch_.wait(req_[1]);
  if (fd_ >= 0) ::close(fd_);
}

void RunReader::request(int slot) {
  RunPrefetcher::Request& r = req_[slot];
  r.fd = fd_;
  r.buf = bufs_[slot].get();
  r.len = block_;
  r.offset = next_offset_;
  if (next_offset_ >= size_) {  // past the end: an empty block, nothing to read
    r.got = 0;
    r.err = 0;
    return;
  }
  next_offset_ += block_;
  fetch_.post(r);
}

bool RunReader::advance() {
  if (!first_) request(cur_);  // the block just consumed reads ahead again
  first_ = false;
  cur_ ^= 1;
  RunPrefetcher::Request& r = req_[cur_];
  fetch_.wait(r);
  if (r.got < 0) io_failure("cannot read run file", path_, r.err);
  std::uint64_t expected =
      r.offset >= size_ ? 0 : std::min<std::uint64_t>(block_, size_ - r.offset);
  if (static_cast<std::uint64_t>(r.got) != expected)
    throw std::runtime_error("run file truncated: " + path_);
  pos_ = 0;
  len_ = static_cast<std::size_t>(r.got);
  return len_ > 0;
}

bool RunReader::take(char* dst, std::size_t n) {
  while (n > 0) {
    if (pos_ == len_ && !advance()) return false;
    std::size_t k = std::min(n, len_ - pos_);
    std::memcpy(dst, bufs_[cur_].get() + pos_, k);
    pos_ += k;
    dst += k;
    n -= k;
  }
  return true;
}

bool RunReader::next() {
  if (pos_ == len_ && !advance()) return false;  // the run ends between two events
  char h[kHeader];
  if (len_ - pos_ >= kHeader) {
    std::memcpy(h, bufs_[cur_].get() + pos_, kHeader);
    pos_ += kHeader;
  } else if (!take(h, kHeader)) {
    throw std::runtime_error("run file truncated: " + path_);
  }
  std::uint32_t len;
  std::memcpy(&ev_.timestamp, h, 8);
  std::memcpy(&ev_.sequence, h + 8, 8);
  std::memcpy(&ev_.host_pos, h + 16, 4);
  std::memcpy(&len, h + 20, 4);
  if (len_ - pos_ >= len) {
    ev_.line = std::string_view(bufs_[cur_].get() + pos_, len);
    pos_ += len;
    return true;
  }
  carry_.resize(len);
  if (!take(carry_.data(), len)) throw std::runtime_error("run file truncated: " + path_);
  ev_.line = carry_;
  return true;
}

}  // namespace kk::timeline
