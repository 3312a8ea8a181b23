#include "timeline/run_frames.hpp"

// The memory estimates (ZSTD_estimate*) are in zstd's "static linking only" part; Debian's
// shared libzstd exports them, and the budget needs them before a context exists.
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include <cstring>
#include <new>
#include <stdexcept>

namespace kk::timeline {

namespace {
// zstd's level -5 (a fast level): 2.3–2.6 GB/s of one core on sorted timeline lines here,
// 7–28× smaller (13× on the corpus's EVTX timeline). Level 1 packs 1.5–2× tighter at half
// the speed: the runs' bytes are already a tenth, so speed counts more (build-timeline
// spilling 1 M events: +0.2 CPU-s at -5 against +0.4 at 1).
constexpr int kLevel = -5;
}  // namespace

bool read_frame_header(const char* p, FrameHeader& h) {
  std::memcpy(&h.compressed, p, 4);
  std::memcpy(&h.raw, p + 4, 4);
  return h.compressed > 0 && h.raw > 0 && h.raw <= kMaxRawFrame &&
         h.compressed <= ZSTD_compressBound(h.raw);
}

struct FrameEncoder::Context {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ~Context() { ZSTD_freeCCtx(cctx); }
};

FrameEncoder::FrameEncoder(std::size_t frame) : ctx_(std::make_unique<Context>()) {
  if (!ctx_->cctx) throw std::bad_alloc();
  // The checksum (XXH64, some 0.05 CPU-s per GB) makes a run damaged on disk an error
  // instead of other lines: without it, a changed literal decompresses to a changed line.
  ZSTD_CCtx_setParameter(ctx_->cctx, ZSTD_c_compressionLevel, kLevel);
  ZSTD_CCtx_setParameter(ctx_->cctx, ZSTD_c_checksumFlag, 1);
  out_.reserve(kFrameHeader + ZSTD_compressBound(frame));  // counted in memory()
}

FrameEncoder::~FrameEncoder() = default;

std::size_t FrameEncoder::memory(std::size_t frame) {
  return kFrameHeader + ZSTD_compressBound(frame) +
         ZSTD_estimateCCtxSize_usingCParams(ZSTD_getCParams(kLevel, frame, 0));
}

std::string_view FrameEncoder::encode(const char* raw, std::size_t n) {
  const std::size_t bound = ZSTD_compressBound(n);
  out_.clear();
  out_.reserve(kFrameHeader + bound);  // more only for an event larger than a frame
  char* p = out_.room(kFrameHeader + bound);
  const std::size_t got = ZSTD_compress2(ctx_->cctx, p + kFrameHeader, bound, raw, n);
  if (ZSTD_isError(got))
    throw std::runtime_error(std::string("cannot compress a run frame: ") + ZSTD_getErrorName(got));
  const FrameHeader h{static_cast<std::uint32_t>(got), static_cast<std::uint32_t>(n)};
  std::memcpy(p, &h.compressed, 4);
  std::memcpy(p + 4, &h.raw, 4);
  out_.commit(p + kFrameHeader + got);
  return out_.view();
}

struct FrameDecoder::Context {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ~Context() { ZSTD_freeDCtx(dctx); }
};

FrameDecoder::FrameDecoder() : ctx_(std::make_unique<Context>()) {
  if (!ctx_->dctx) throw std::bad_alloc();
}

FrameDecoder::~FrameDecoder() = default;

std::size_t FrameDecoder::memory() {
  return ZSTD_estimateDCtxSize();
}

bool FrameDecoder::announces(const FrameHeader& h, const char* src) {
  return ZSTD_getFrameContentSize(src, h.compressed) == h.raw;
}

bool FrameDecoder::decode(const FrameHeader& h, const char* src, char* dst) {
  const std::size_t got = ZSTD_decompressDCtx(ctx_->dctx, dst, h.raw, src, h.compressed);
  return !ZSTD_isError(got) && got == h.raw;
}

}  // namespace kk::timeline
