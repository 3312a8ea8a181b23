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

RunWriter::RunWriter(const std::string& path, std::size_t block, std::size_t frame, bool direct)
    : path_(path),
      frame_(std::max(frame, kHeader)),
      raw_(std::make_unique_for_overwrite<char[]>(frame_)),
      encoder_(frame_) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) io_failure("cannot create run file", path, errno);
  out_ = std::make_unique<DirectWriter>(fd_, block, direct);
}

RunWriter::~RunWriter() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t RunWriter::memory(std::size_t block, std::size_t frame) {
  return block + frame + FrameEncoder::memory(frame);
}

void RunWriter::failed() const {
  io_failure("cannot write run file", path_, out_->error());
}

void RunWriter::write_frame(const char* raw, std::size_t n) {
  const std::string_view f = encoder_.encode(raw, n);
  if (!out_->append(f.data(), f.size())) failed();
}

namespace {
char* put_event(char* p, UtcMicros ts, std::uint64_t batch, std::uint32_t host_pos,
                std::string_view line) {
  const std::uint32_t len = static_cast<std::uint32_t>(line.size());
  std::memcpy(p, &ts, 8);
  std::memcpy(p + 8, &batch, 8);
  std::memcpy(p + 16, &host_pos, 4);
  std::memcpy(p + 20, &len, 4);
  std::memcpy(p + kHeader, line.data(), line.size());
  return p + kHeader + line.size();
}
}  // namespace

void RunWriter::write(UtcMicros ts, std::uint64_t batch, std::uint32_t host_pos,
                      std::string_view line) {
  const std::size_t need = kHeader + line.size();
  if (used_ + need > frame_ && used_ > 0) {
    write_frame(raw_.get(), used_);
    used_ = 0;
  }
  if (need > frame_) {  // a line longer than a frame: a frame of its own
    auto big = std::make_unique_for_overwrite<char[]>(need);
    put_event(big.get(), ts, batch, host_pos, line);
    write_frame(big.get(), need);
    return;
  }
  put_event(raw_.get() + used_, ts, batch, host_pos, line);
  used_ += need;
}

void RunWriter::close() {
  if (used_ > 0) write_frame(raw_.get(), used_);
  used_ = 0;
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

RunReader::RunReader(const std::string& path, std::size_t block, bool direct, RunPrefetcher& fetch,
                     FrameDecoder& decoder)
    : path_(path), fetch_(fetch), decoder_(decoder), block_(direct_block_size(block)) {
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

void RunReader::damaged() const {
  throw std::runtime_error("run file damaged: " + path_);
}

bool RunReader::load_frame() {
  if (pos_ == len_ && !advance()) return false;  // the run ends between two frames
  char h[kFrameHeader];
  if (len_ - pos_ >= kFrameHeader) {
    std::memcpy(h, bufs_[cur_].get() + pos_, kFrameHeader);
    pos_ += kFrameHeader;
  } else if (!take(h, kFrameHeader)) {
    throw std::runtime_error("run file truncated: " + path_);
  }
  FrameHeader frame;
  if (!read_frame_header(h, frame)) damaged();
  // What is left of the file bounds the bytes to gather (a damaged size asks for no room).
  if (frame.compressed > size_ - (req_[cur_].offset + pos_))
    throw std::runtime_error("run file truncated: " + path_);
  const char* src;
  if (len_ - pos_ >= frame.compressed) {
    src = bufs_[cur_].get() + pos_;
    pos_ += frame.compressed;
  } else {
    carry_.clear();
    carry_.reserve(frame.compressed);
    char* c = carry_.room(frame.compressed);
    if (!take(c, frame.compressed)) throw std::runtime_error("run file truncated: " + path_);
    src = c;
  }
  if (!FrameDecoder::announces(frame, src)) damaged();
  raw_.clear();
  raw_.reserve(frame.raw);
  char* dst = raw_.room(frame.raw);
  if (!decoder_.decode(frame, src, dst)) damaged();
  raw_.commit(dst + frame.raw);
  raw_pos_ = 0;
  return true;
}

bool RunReader::next() {
  if (raw_pos_ == raw_.size() && !load_frame()) return false;
  const std::string_view frame = raw_.view();
  if (frame.size() - raw_pos_ < kHeader) damaged();  // frames hold whole events
  const char* h = frame.data() + raw_pos_;
  std::uint32_t len;
  std::memcpy(&ev_.timestamp, h, 8);
  std::memcpy(&ev_.batch, h + 8, 8);
  std::memcpy(&ev_.host_pos, h + 16, 4);
  std::memcpy(&len, h + 20, 4);
  if (len > frame.size() - raw_pos_ - kHeader) damaged();
  ev_.line = std::string_view(h + kHeader, len);
  raw_pos_ += kHeader + len;
  return true;
}

}  // namespace kk::timeline
