#include "core/output.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "core/block_writer.hpp"
#include "core/thread_name.hpp"

namespace kk {

namespace {
constexpr std::size_t kBackgroundBuffer = 1 << 20;
constexpr std::size_t kBackgroundQueue = 4;
constexpr std::size_t kDirectBlock = 1 << 20;  // O_DIRECT writes of 1 MiB (core/block_writer)
}  // namespace

struct Output::Background {
  std::mutex mu;
  std::condition_variable cv;       // the writer waits for work
  std::condition_variable cv_room;  // the caller waits for room in the queue
  std::deque<OutBuffer> queue;
  std::vector<OutBuffer> spare;  // written buffers, reused
  OutBuffer pending;             // being filled by the caller
  bool done = false;
  std::atomic<bool> failed{false};
  std::unique_ptr<BlockWriter> blocks;  // a file of ours: written by BlockWriter instead
  std::thread thread;

  void run(std::FILE* f) {
    for (;;) {
      OutBuffer buf;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return done || !queue.empty(); });
        if (queue.empty()) return;
        buf = std::move(queue.front());
        queue.pop_front();
      }
      cv_room.notify_one();
      if (std::fwrite(buf.view().data(), 1, buf.size(), f) != buf.size()) failed = true;
      buf.clear();
      std::lock_guard<std::mutex> lock(mu);
      if (spare.size() < kBackgroundQueue) spare.push_back(std::move(buf));
    }
  }

  // Queues BUF (when it holds bytes) and gives it back as an empty buffer, a written one
  // when there is one (its memory is reused).
  void submit(OutBuffer& buf) {
    if (buf.empty()) return;
    std::unique_lock<std::mutex> lock(mu);
    cv_room.wait(lock, [&] { return queue.size() < kBackgroundQueue; });
    queue.push_back(std::move(buf));
    buf = OutBuffer();
    if (!spare.empty()) {
      buf = std::move(spare.back());
      spare.pop_back();
    }
    lock.unlock();
    cv.notify_one();
  }
  void submit() { submit(pending); }

  void stop() {
    if (blocks) {
      if (!blocks->finish()) failed = true;
      return;
    }
    submit();
    {
      std::lock_guard<std::mutex> lock(mu);
      done = true;
    }
    cv.notify_one();
    thread.join();
  }
};

Output::Output() = default;

Output::~Output() {
  if (owns_)
    abandon();
  else
    close();
}

void Output::write_in_background() {
  if (!f_ || bg_) return;
  bg_ = std::make_unique<Background>();
  Background* b = bg_.get();
  // A file of our own (not stdout, not a pipe) is written once and not read back soon:
  // O_DIRECT where the file system takes it, from where the buffered writes ended.
  if (owns_ && std::fflush(f_) == 0) {
    b->blocks = std::make_unique<BlockWriter>(fileno(f_), kDirectBlock);
    return;
  }
  bg_->pending.room(kBackgroundBuffer);
  std::FILE* f = f_;
  b->thread = std::thread([b, f] {
    name_this_thread("kk-out");
    b->run(f);
  });
}

bool Output::failed() const {
  return failed_ || (bg_ && (bg_->failed || (bg_->blocks && bg_->blocks->failed())));
}

bool Output::open(const std::string& path, std::string* error) {
  if (path.empty() || path == "-") {
    f_ = stdout;
    owns_ = false;
  } else {
    auto file = AtomicFile::create_at_path(path, AtomicFile::Replace::kExisting);
    if (!file) {
      if (error) *error = file.error().message;
      return false;
    }
    return open(std::move(*file), error);
  }
  std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
  return true;
}

bool Output::open(AtomicFile file, std::string* error) {
  int fd = file.is_open() ? ::fcntl(file.fd(), F_DUPFD_CLOEXEC, 0) : -1;
  f_ = fd >= 0 ? ::fdopen(fd, "wb") : nullptr;
  if (!f_) {
    if (error) *error = std::strerror(file.is_open() ? errno : EBADF);
    if (fd >= 0) ::close(fd);
    return false;
  }
  file_ = std::move(file);
  owns_ = true;
  std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
  return true;
}

void Output::write(OutBuffer& buf) {
  if (bg_ && bg_->blocks) {
    bg_->blocks->write(buf.view());
    buf.clear();
    return;
  }
  if (bg_ && f_) {
    bg_->submit();  // what was written before BUF goes first
    bg_->submit(buf);
    return;
  }
  write(buf.view());
  buf.clear();
}

void Output::write(std::string_view s) {
  if (!f_ || s.empty()) return;
  if (bg_ && bg_->blocks) return bg_->blocks->write(s);
  if (bg_) {
    bg_->pending.append(s);
    if (bg_->pending.size() >= kBackgroundBuffer) bg_->submit();
    return;
  }
  if (std::fwrite(s.data(), 1, s.size(), f_) != s.size()) failed_ = true;
}

bool Output::close() {
  if (bg_) {
    bg_->stop();
    if (bg_->failed) failed_ = true;
    bg_.reset();
  }
  if (!f_) return !failed_;
  if (std::fflush(f_) != 0) failed_ = true;
  if (owns_ && std::fclose(f_) != 0) failed_ = true;
  f_ = nullptr;
  if (owns_) {
    if (failed_)
      file_.abandon();
    else if (!file_.commit())
      failed_ = true;
  }
  return !failed_;
}

void Output::flush() {
  if (f_ && !bg_ && std::fflush(f_) != 0) failed_ = true;
}

void Output::abandon() {
  if (!owns_) {
    close();
    return;
  }
  if (bg_) {
    bg_->stop();
    bg_.reset();
  }
  if (f_) std::fclose(f_);
  f_ = nullptr;
  file_.abandon();
}

}  // namespace kk
