// Writing and hashing file content off the decompression thread.
//
// libarchive decompresses one entry at a time on one thread; with --jobs > 1 the disk
// writes and the digests run on a worker thread so the two overlap. Memory is bounded by a
// fixed pool of buffers that the producer waits for when all are in flight.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/hash.hpp"

namespace kk::cdir {

class FileSinks {
 public:
  struct Outcome {
    Digests digests;
    std::uint64_t bytes = 0;
    std::string error;  // first write error, if any
  };

  // THREADED: run writes and hashing on a worker thread. BUFFERS x BUFFER_SIZE bounds memory.
  FileSinks(bool threaded, HashSet hashes, std::size_t buffers = 8,
            std::size_t buffer_size = 1 << 20);
  FileSinks(const FileSinks&) = delete;
  FileSinks& operator=(const FileSinks&) = delete;
  ~FileSinks();

  // Starts a file writing to FD (taken over and closed at end; -1: hash only). Returns its id.
  std::size_t begin(int fd);
  // A free buffer of buffer_size() bytes to fill (waits while all are in flight).
  std::vector<std::uint8_t>* acquire();
  std::size_t buffer_size() const { return buffer_size_; }
  // Hands N bytes of BUF (from acquire) to file ID.
  void submit(std::size_t id, std::vector<std::uint8_t>* buf, std::size_t n);
  // Returns BUF unused.
  void release(std::vector<std::uint8_t>* buf);
  // No more data for ID: finish its digests and close its fd.
  void end(std::size_t id);
  // Waits until every submitted piece of work is done.
  void drain();
  // True once any write failed (disk full...): the producer should stop.
  bool failed() const { return failed_.load(); }
  // Valid after drain().
  const Outcome& outcome(std::size_t id) const { return files_[id]->outcome; }

 private:
  struct File {
    int fd = -1;
    Hasher hasher;
    Outcome outcome;
    explicit File(int f, HashSet h) : fd(f), hasher(h) {}
  };
  struct Task {
    File* file;
    std::vector<std::uint8_t>* buf;  // null: end of file
    std::size_t n;
  };
  void run(const Task& t);
  void worker();

  bool threaded_;
  HashSet hashes_;
  std::size_t buffer_size_;
  std::vector<std::unique_ptr<File>> files_;
  std::vector<std::unique_ptr<std::vector<std::uint8_t>>> pool_;
  std::vector<std::vector<std::uint8_t>*> free_;
  std::deque<Task> queue_;
  std::mutex mu_;
  std::condition_variable cv_work_, cv_free_, cv_idle_;
  std::size_t busy_ = 0;
  bool stop_ = false;
  std::atomic<bool> failed_{false};
  std::thread thread_;
};

}  // namespace kk::cdir
