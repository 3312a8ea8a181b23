// A spilled run's events travel in frames, each compressed on its own with one of zstd's
// fast levels. Timeline lines repeat their keys, sources and paths: a frame of sorted lines
// shrinks 7–28× at 2.3–2.6 GB/s of one core, and what a run costs is the disk: written
// once, read once by the merge and freed at the end (on a file system mounted with
// `discard`, freeing is a synchronous TRIM: 1.5 GB of runs took 1 s at the very end of
// triage). A frame is an 8-byte header (compressed size u32, raw size u32, in the machine's
// order as the events' own headers: a run is read back by the process that wrote it) and a
// zstd frame with its checksum; an event never spans two frames.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/out_buffer.hpp"

namespace kk::timeline {

constexpr std::size_t kFrameHeader = 8;
// The largest raw frame a reader accepts: one event of the longest line, with its header.
constexpr std::uint64_t kMaxRawFrame = (std::uint64_t{1} << 31) + 64;

struct FrameHeader {
  std::uint32_t compressed = 0;
  std::uint32_t raw = 0;
};
// False when the header cannot be a frame's (sizes zero or past any frame written).
bool read_frame_header(const char* p, FrameHeader& h);

// Compresses frames of up to FRAME raw bytes (a larger one grows its room for that call).
class FrameEncoder {
 public:
  explicit FrameEncoder(std::size_t frame);
  ~FrameEncoder();
  FrameEncoder(const FrameEncoder&) = delete;
  FrameEncoder& operator=(const FrameEncoder&) = delete;
  // The frame (header and compressed bytes) of RAW[0, n): valid until the next call.
  std::string_view encode(const char* raw, std::size_t n);
  // What an encoder of frames of FRAME bytes holds: its context and its output room.
  static std::size_t memory(std::size_t frame);

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
  OutBuffer out_;  // the last frame encoded
};

// Decompresses frames, one after another (a merge shares one between its runs).
class FrameDecoder {
 public:
  FrameDecoder();
  ~FrameDecoder();
  FrameDecoder(const FrameDecoder&) = delete;
  FrameDecoder& operator=(const FrameDecoder&) = delete;
  // Whether SRC[0, h.compressed) begins a frame of h.raw bytes: checked before the room
  // for them is taken, so a damaged header cannot ask for gigabytes.
  static bool announces(const FrameHeader& h, const char* src);
  // Decompresses SRC[0, h.compressed) into DST (h.raw bytes); false when the bytes are not
  // the frame H announced.
  bool decode(const FrameHeader& h, const char* src, char* dst);
  static std::size_t memory();

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

}  // namespace kk::timeline
