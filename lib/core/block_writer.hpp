// A large file written in whole blocks by two threads at once, while the caller fills the
// next block in place.
//
// Output's background writing (core/output.hpp) copied each 1 MiB buffer into DirectWriter's
// aligned block and then wrote it, on one thread: the disk waited for every copy, and had one
// write in flight at a time. A VM's disk here took 1.1 GB/s with one O_DIRECT write in flight
// and 1.36 GB/s with two. So the caller's bytes are copied once, straight into an aligned
// block, and each full block is written at its own offset (pwrite) by whichever of two
// threads is free. O_DIRECT is used as DirectWriter would (core/direct_writer.hpp); without
// it the same blocks go through the page cache. The bytes on disk are the same either way.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "core/direct_writer.hpp"

namespace kk {

class BlockWriter {
 public:
  // Writes FD (not owned) from its current offset, BLOCK bytes at a time (rounded to the
  // alignment), with up to THREADS writes in flight; at most THREADS + 2 blocks are held.
  explicit BlockWriter(int fd, std::size_t block = 1 << 20, unsigned threads = 2);
  BlockWriter(const BlockWriter&) = delete;
  BlockWriter& operator=(const BlockWriter&) = delete;
  ~BlockWriter();  // finish()es

  // Does nothing once a write has failed.
  void write(std::string_view s);
  // Waits for the blocks in flight, writes the last one (under O_DIRECT padded, then the file
  // cut back to its length), turns O_DIRECT off and leaves FD's offset at the end. False if
  // any write failed (errno in error()).
  bool finish();
  bool failed() const { return error_.load() != 0; }
  int error() const { return error_.load(); }
  bool direct() const { return direct_.load(); }

 private:
  struct Job {
    AlignedBuffer data;
    std::int64_t offset = 0;
  };
  AlignedBuffer take_block();
  void hand_over();  // the full current block to the threads
  void run();

  const int fd_;
  const std::size_t block_;
  const unsigned threads_wanted_;
  std::int64_t start_ = 0;   // FD's offset when we began
  std::uint64_t bytes_ = 0;  // written by the caller so far
  std::atomic<bool> direct_{false};
  std::atomic<int> error_{0};
  AlignedBuffer cur_;  // being filled by the caller
  std::size_t used_ = 0;
  std::size_t blocks_ = 0;  // allocated so far
  bool finished_ = false;

  std::mutex mu_;
  std::condition_variable work_cv_, free_cv_;
  std::deque<Job> queue_;
  std::vector<AlignedBuffer> free_;
  bool done_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace kk
