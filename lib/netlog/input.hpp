// Log bytes to text lines, streaming: gzip members (rotated "*.gz" files) inflated in
// blocks, UTF-16 (Defender's MPLog) and UTF-8 BOMs decoded, CR LF and LF endings. Lines
// are views valid during the callback only. Private to lib/netlog.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace kk::netlog {

struct InputFacts {
  std::string_view container = "plain";  // "plain" or "gzip"
  std::string_view encoding = "utf-8";   // "utf-8", "utf-8-bom", "utf-16le", "utf-16be"
  bool truncated = false;                // the gzip stream ended early
  std::string error;                     // zlib's reason, when inflation stopped
  std::uint64_t long_lines = 0;          // lines cut at kMaxLine
  std::uint64_t first_long_line = 0;
};

inline constexpr std::size_t kMaxLine = 16u << 20;

// Calls LINE(text, line_number, offset, block) for each line of BYTES; OFFSET is in the
// decoded text, BLOCK the decoded text around the line (for look-ahead). Stops early when
// LINE returns false.
using LineFn = std::function<bool(std::string_view line, std::uint64_t line_no,
                                  std::uint64_t offset, std::string_view block)>;
// The raw input in blocks: each call returns the next one (valid until the following
// call), empty at the end. A file is read block by block, so memory stays flat.
using BlockFn = std::function<std::string_view()>;
InputFacts read_lines(const BlockFn& next_block, const LineFn& line);
InputFacts read_lines(std::string_view bytes, const LineFn& line);

bool looks_gzip(std::string_view bytes);

}  // namespace kk::netlog
