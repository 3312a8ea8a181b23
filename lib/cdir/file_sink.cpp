#include "cdir/file_sink.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kk::cdir {

FileSinks::FileSinks(bool threaded, HashSet hashes, std::size_t buffers, std::size_t buffer_size)
    : threaded_(threaded), hashes_(hashes), buffer_size_(buffer_size) {
  if (!threaded_) buffers = 1;
  for (std::size_t i = 0; i < buffers; ++i) {
    pool_.push_back(std::make_unique<std::vector<std::uint8_t>>(buffer_size_));
    free_.push_back(pool_.back().get());
  }
  if (threaded_) thread_ = std::thread([this] { worker(); });
}

FileSinks::~FileSinks() {
  if (threaded_) {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_work_.notify_all();
    thread_.join();
  }
  for (auto& f : files_)
    if (f->fd >= 0) ::close(f->fd);
}

std::size_t FileSinks::begin(int fd) {
  std::lock_guard lock(mu_);
  files_.push_back(std::make_unique<File>(fd, hashes_));
  return files_.size() - 1;
}

std::vector<std::uint8_t>* FileSinks::acquire() {
  std::unique_lock lock(mu_);
  cv_free_.wait(lock, [&] { return !free_.empty(); });
  auto* b = free_.back();
  free_.pop_back();
  return b;
}

void FileSinks::release(std::vector<std::uint8_t>* buf) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(buf);
  }
  cv_free_.notify_one();
}

void FileSinks::run(const Task& t) {
  File& f = *t.file;
  if (t.buf == nullptr) {
    f.outcome.digests = f.hasher.finish();
    if (f.fd >= 0 && ::close(f.fd) != 0 && f.outcome.error.empty())
      f.outcome.error = std::string("close failed: ") + std::strerror(errno);
    f.fd = -1;
    return;
  }
  f.hasher.update(t.buf->data(), t.n);
  f.outcome.bytes += t.n;
  if (f.fd >= 0 && f.outcome.error.empty()) {
    const std::uint8_t* p = t.buf->data();
    std::size_t left = t.n;
    while (left > 0) {
      ssize_t w = ::write(f.fd, p, left);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        f.outcome.error = std::string("write failed: ") + std::strerror(w < 0 ? errno : EIO);
        failed_ = true;
        break;
      }
      p += w;
      left -= static_cast<std::size_t>(w);
    }
  }
}

void FileSinks::submit(std::size_t id, std::vector<std::uint8_t>* buf, std::size_t n) {
  File* f;
  {
    std::lock_guard lock(mu_);
    f = files_[id].get();
  }
  if (!threaded_) {
    run({f, buf, n});
    release(buf);
    return;
  }
  {
    std::lock_guard lock(mu_);
    queue_.push_back({f, buf, n});
  }
  cv_work_.notify_one();
}

void FileSinks::end(std::size_t id) {
  File* f;
  {
    std::lock_guard lock(mu_);
    f = files_[id].get();
  }
  if (!threaded_) {
    run({f, nullptr, 0});
    return;
  }
  {
    std::lock_guard lock(mu_);
    queue_.push_back({f, nullptr, 0});
  }
  cv_work_.notify_one();
}

void FileSinks::drain() {
  if (!threaded_) return;
  std::unique_lock lock(mu_);
  cv_idle_.wait(lock, [&] { return queue_.empty() && busy_ == 0; });
}

void FileSinks::worker() {
  for (;;) {
    Task t{nullptr, nullptr, 0};
    {
      std::unique_lock lock(mu_);
      cv_work_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stop_ with nothing left
      t = queue_.front();
      queue_.pop_front();
      ++busy_;
    }
    run(t);
    {
      std::lock_guard lock(mu_);
      --busy_;
      if (t.buf) free_.push_back(t.buf);
    }
    cv_free_.notify_one();
    cv_idle_.notify_all();
  }
}

}  // namespace kk::cdir
