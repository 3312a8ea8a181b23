#include "core/block_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/thread_name.hpp"

namespace kk {

BlockWriter::BlockWriter(int fd, std::size_t block, unsigned threads)
    : fd_(fd), block_(direct_block_size(block)), threads_wanted_(std::max(1u, threads)) {
  const off_t at = ::lseek(fd, 0, SEEK_CUR);
  start_ = at < 0 ? 0 : static_cast<std::int64_t>(at);
  direct_ = enable_direct_io(fd, at);
}

BlockWriter::~BlockWriter() {
  finish();
}

AlignedBuffer BlockWriter::take_block() {
  std::unique_lock<std::mutex> lock(mu_);
  if (free_.empty() && blocks_ < threads_wanted_ + 2) {
    ++blocks_;
    return aligned_buffer(block_);
  }
  free_cv_.wait(lock, [&] { return !free_.empty(); });
  AlignedBuffer b = std::move(free_.back());
  free_.pop_back();
  return b;
}

void BlockWriter::write(std::string_view s) {
  while (!s.empty() && !failed()) {
    if (!cur_) cur_ = take_block();
    const std::size_t k = std::min(s.size(), block_ - used_);
    std::memcpy(cur_.get() + used_, s.data(), k);
    used_ += k;
    bytes_ += k;
    s.remove_prefix(k);
    if (used_ == block_) hand_over();
  }
}

void BlockWriter::hand_over() {
  const std::int64_t offset = start_ + static_cast<std::int64_t>(bytes_ - used_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back({std::move(cur_), offset});
    if (threads_.size() < threads_wanted_) threads_.emplace_back([this] { run(); });
  }
  used_ = 0;
  work_cv_.notify_one();
}

void BlockWriter::run() {
  name_this_thread("kk-out");
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return done_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    if (!failed()) {
      const int e = write_all(fd_, job.data.get(), block_, job.offset, direct_);
      if (e != 0) {
        int none = 0;
        error_.compare_exchange_strong(none, e);
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      free_.push_back(std::move(job.data));
    }
    free_cv_.notify_one();
  }
}

bool BlockWriter::finish() {
  if (std::exchange(finished_, true)) return !failed();
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
  if (failed()) return false;
  const std::int64_t end = start_ + static_cast<std::int64_t>(bytes_);
  const int e = finish_direct_file(fd_, cur_.get(), used_, end - static_cast<std::int64_t>(used_),
                                   end, direct_);
  if (e != 0) error_ = e;
  used_ = 0;
  return !failed();
}

}  // namespace kk
