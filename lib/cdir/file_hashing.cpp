#include "cdir/file_hashing.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/cpu_time.hpp"

namespace kk::cdir {

namespace {

constexpr std::size_t kStep = 1 << 20;  // bytes read at a time

// One file being read: opened, then read a step at a time into its copy.
class FileReading {
 public:
  // BUF: the lane's buffer, kept from file to file.
  FileReading(std::size_t index, FileToHash f, std::vector<std::uint8_t>& buf)
      : index_(index), copy_fd_(f.copy_fd), hasher_(f.hashes), buf_(buf) {
    fd_ = ::open(f.path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd_ < 0)
      out_.error = std::string("cannot open: ") + std::strerror(errno);
    else
      ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~FileReading() {
    if (fd_ >= 0) ::close(fd_);
    if (copy_fd_ >= 0) ::close(copy_fd_);
  }
  FileReading(const FileReading&) = delete;
  FileReading& operator=(const FileReading&) = delete;

  std::size_t index() const { return index_; }
  Hasher& hasher() { return hasher_; }
  void add_cpu(double seconds) { out_.cpu_seconds += seconds; }

  // The next bytes read (and copied), not yet hashed; empty at the end or after an error.
  std::span<const std::uint8_t> step() {
    if (fd_ < 0 || !out_.error.empty()) return {};
    ssize_t n;
    do n = ::read(fd_, buf_.data(), buf_.size());
    while (n < 0 && errno == EINTR);
    if (n < 0) out_.error = std::string("read failed: ") + std::strerror(errno);
    if (n <= 0) return {};
    out_.bytes += static_cast<std::uint64_t>(n);
    const std::span<const std::uint8_t> got(buf_.data(), static_cast<std::size_t>(n));
    if (copy_fd_ >= 0 && !copy(got)) return {};
    return got;
  }

  HashOutcome finish() {
    out_.digests = hasher_.finish();
    return std::move(out_);
  }

 private:
  bool copy(std::span<const std::uint8_t> bytes) {
    if (write_all(copy_fd_, {reinterpret_cast<const char*>(bytes.data()), bytes.size()}))
      return true;
    out_.error = std::string("copy failed: ") + std::strerror(errno);
    return false;
  }

  std::size_t index_;
  int fd_ = -1, copy_fd_;
  Hasher hasher_;
  std::vector<std::uint8_t>& buf_;
  HashOutcome out_;
};

// The threads' shared state: the next file to take, and the outcomes to hand on in order.
class Lanes {
 public:
  Lanes(std::size_t n, const std::function<bool(std::size_t, FileToHash&, HashOutcome&)>& prepare,
        const std::function<void(std::size_t, HashOutcome&&)>& done)
      : n_(n), prepare_(prepare), done_(done), outcomes_(n) {}

  // One thread: two lanes, each taking the next file when its own ends.
  void run() {
    std::optional<FileReading> lane[2];
    std::vector<std::uint8_t> bufs[2] = {std::vector<std::uint8_t>(kStep),
                                         std::vector<std::uint8_t>(kStep)};
    for (;;) {
      for (int k = 0; k < 2; ++k)
        if (!lane[k] && !take(lane[k], bufs[k])) break;
      if (!lane[0] && !lane[1]) return;
      const double cpu = thread_cpu_seconds();
      std::span<const std::uint8_t> got[2];
      for (int k = 0; k < 2; ++k)
        if (lane[k]) got[k] = lane[k]->step();
      if (!got[0].empty() && !got[1].empty())
        update_pair(lane[0]->hasher(), got[0], lane[1]->hasher(), got[1]);
      else
        for (int k = 0; k < 2; ++k)
          if (!got[k].empty()) lane[k]->hasher().update(got[k]);
      const int active = (lane[0] ? 1 : 0) + (lane[1] ? 1 : 0);
      const double each = (thread_cpu_seconds() - cpu) / active;
      for (int k = 0; k < 2; ++k) {
        if (!lane[k]) continue;
        lane[k]->add_cpu(each);
        if (got[k].empty()) {  // ended (or failed): its outcome is final
          const std::size_t i = lane[k]->index();
          HashOutcome out = lane[k]->finish();
          lane[k].reset();
          if (!deliver(i, std::move(out))) return;
        }
      }
    }
  }

  void rethrow() {
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  // Opens the next file that must be read into L (reading into BUF); files that need no reading are
  // delivered on the way. False when none is left (or the run failed).
  bool take(std::optional<FileReading>& l, std::vector<std::uint8_t>& buf) {
    for (;;) {
      std::size_t i;
      {
        std::lock_guard lock(mu_);
        if (stop_ || next_ >= n_) return false;
        i = next_++;
      }
      FileToHash f;
      HashOutcome out;
      bool read = false;
      try {
        read = prepare_(i, f, out);
      } catch (...) {
        fail(std::current_exception());
        return false;
      }
      if (read) {
        l.emplace(i, std::move(f), buf);
        return true;
      }
      if (!deliver(i, std::move(out))) return false;
    }
  }

  // Keeps OUT; hands on every outcome now in line. False once the run failed.
  bool deliver(std::size_t i, HashOutcome&& out) {
    std::lock_guard lock(mu_);
    outcomes_[i] = std::move(out);
    while (!stop_ && delivered_ < n_ && outcomes_[delivered_]) {
      try {
        done_(delivered_, std::move(*outcomes_[delivered_]));
      } catch (...) {
        failure_ = std::current_exception();
        stop_ = true;
        break;
      }
      outcomes_[delivered_].reset();
      ++delivered_;
    }
    return !stop_;
  }

  void fail(std::exception_ptr e) {
    std::lock_guard lock(mu_);
    if (!failure_) failure_ = e;
    stop_ = true;
  }

  const std::size_t n_;
  const std::function<bool(std::size_t, FileToHash&, HashOutcome&)>& prepare_;
  const std::function<void(std::size_t, HashOutcome&&)>& done_;
  std::mutex mu_;
  std::size_t next_ = 0, delivered_ = 0;
  std::vector<std::optional<HashOutcome>> outcomes_;
  bool stop_ = false;
  std::exception_ptr failure_;
};

}  // namespace

void hash_files(std::size_t n, unsigned threads,
                const std::function<bool(std::size_t, FileToHash&, HashOutcome&)>& prepare,
                const std::function<void(std::size_t, HashOutcome&&)>& done) {
  Lanes lanes(n, prepare, done);
  // Two files per thread: no more threads than half the files.
  const unsigned t =
      static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, (n + 1) / 2)));
  // The caller only waits: the files' CPU (HashOutcome::cpu_seconds) is all the reading
  // threads', not counted twice by a caller that also reads.
  std::vector<std::thread> readers;
  for (unsigned k = 0; k < t; ++k) readers.emplace_back([&] { lanes.run(); });
  for (auto& r : readers) r.join();
  lanes.rethrow();
}

}  // namespace kk::cdir
