// The timeline sorter's spilled runs: written once in order, read once by the merge.
//
// A run is a sequence of events, each a 24-byte header (timestamp i64, batch u64,
// host_pos u32, length u32) and its line, grouped in compressed frames (run_frames.hpp).
// Runs are written and read with O_DIRECT where
// the file system takes it (else through the page cache as before): a run is read back
// once, soon, so caching it bought nothing, and copying it into freshly allocated page
// cache cost about 2 CPU-seconds per GB written on a VM (each new page faulted in by the
// host) against 0.2 direct — most of what spilling added to build-timeline and triage —
// and pushed other files out of the cache. Blocks are 4 KiB-aligned; a merge reads the
// next block of every run on a helper thread (RunPrefetcher) while it consumes the
// current one, so the disk's latency is not added to its own.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/direct_writer.hpp"
#include "core/out_buffer.hpp"
#include "core/time.hpp"
#include "timeline/event_sorter.hpp"
#include "timeline/run_frames.hpp"

namespace kk::timeline {

class RunWriter {
 public:
  // Throws std::runtime_error when PATH cannot be created. Events are compressed in frames
  // of about FRAME bytes and written BLOCK bytes at a time. DIRECT false: page cache.
  RunWriter(const std::string& path, std::size_t block, std::size_t frame, bool direct);
  ~RunWriter();
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;
  void write(UtcMicros ts, std::uint64_t batch, std::uint32_t host_pos, std::string_view line);
  void close();                                          // throws when a write failed (disk full)
  std::uint64_t bytes() const { return out_->bytes(); }  // on disk, compressed
  // What a writer holds: its block, its frame and the frame's encoder.
  static std::size_t memory(std::size_t block, std::size_t frame);

 private:
  [[noreturn]] void failed() const;
  void write_frame(const char* raw, std::size_t n);
  std::string path_;
  int fd_ = -1;
  std::unique_ptr<DirectWriter> out_;
  std::size_t frame_;
  std::unique_ptr<char[]> raw_;  // the frame being filled
  std::size_t used_ = 0;
  FrameEncoder encoder_;
};

// Two helper threads that fill run blocks, oldest request first (two reads in flight read
// a virtual disk ~1.6× faster than one).
class RunPrefetcher {
 public:
  struct Request {
    int fd = -1;
    char* buf = nullptr;
    std::size_t len = 0;
    std::uint64_t offset = 0;
    long long got = 0;  // bytes read, or -1 with err
    int err = 0;
    bool done = true;
  };
  RunPrefetcher();
  ~RunPrefetcher();
  RunPrefetcher(const RunPrefetcher&) = delete;
  RunPrefetcher& operator=(const RunPrefetcher&) = delete;
  void post(Request& r);
  void wait(Request& r);

 private:
  void loop();
  std::mutex m_;
  std::condition_variable work_, done_;
  std::deque<Request*> queue_;
  bool stop_ = false;
  std::thread threads_[2];
};

// Reads a run block by block (two blocks: one consumed, one being read ahead), decompresses
// it a frame at a time and hands out views into the frame; a frame's compressed bytes are
// copied only when they span two blocks.
class RunReader {
 public:
  // DECODER is shared by the merge's readers (one thread decompresses for all).
  RunReader(const std::string& path, std::size_t block, bool direct, RunPrefetcher& fetch,
            FrameDecoder& decoder);
  ~RunReader();
  RunReader(const RunReader&) = delete;
  RunReader& operator=(const RunReader&) = delete;
  // Loads the next event; false at the end of the run. Throws on a damaged run.
  bool next();
  const SortedEvent& current() const { return ev_; }

 private:
  void request(int slot);
  bool advance();  // makes the other block current; false at the end of the run
  // Copies N bytes from the stream into DST, across blocks; false at the end.
  bool take(char* dst, std::size_t n);
  bool load_frame();  // the next frame decompressed; false at the end of the run
  [[noreturn]] void damaged() const;
  std::string path_;
  RunPrefetcher& fetch_;
  FrameDecoder& decoder_;
  int fd_ = -1;
  std::uint64_t size_ = 0, next_offset_ = 0;
  std::size_t block_ = 0;
  AlignedBuffer bufs_[2];
  RunPrefetcher::Request req_[2];
  int cur_ = 0;
  bool first_ = true;
  std::size_t pos_ = 0, len_ = 0;  // in the current block
  OutBuffer carry_;                // a frame that spans two blocks
  OutBuffer raw_;                  // the current frame, decompressed
  std::size_t raw_pos_ = 0;        // the next event in raw_
  SortedEvent ev_{};
};

}  // namespace kk::timeline
