// zlib rather than libarchive for gzip: a rotated log is one gzip stream (or several
// concatenated members), zlib inflates it in place in bounded blocks and tells exactly where
// a truncated stream stopped, and it is already linked (libarchive depends on it).
#include "netlog/input.hpp"

#include <zlib.h>

#include <cstring>
#include <span>

#include "core/utf.hpp"

namespace kk::netlog {

namespace {

// Splits text into lines across blocks; a line cut by a block boundary waits in carry_.
class Splitter {
 public:
  Splitter(const LineFn& fn, InputFacts& facts) : fn_(fn), facts_(facts) {}

  // Feeds a decoded block. Returns false when the callback asked to stop.
  bool feed(std::string_view block, bool last) {
    std::size_t i = 0;
    while (i < block.size()) {
      const void* nl = std::memchr(block.data() + i, '\n', block.size() - i);
      if (!nl) break;
      const std::size_t e = static_cast<std::size_t>(static_cast<const char*>(nl) - block.data());
      bool go;
      if (!carry_.empty()) {
        carry_.append(block.substr(i, e - i));
        go = emit(carry_, consumed_ + i - carry_start_back_, block);
        carry_.clear();
        carry_start_back_ = 0;
      } else {
        go = emit(block.substr(i, e - i), consumed_ + i, block);
      }
      if (!go) return false;
      i = e + 1;
    }
    if (i < block.size()) {
      std::string_view rest = block.substr(i);
      if (carry_.empty()) carry_start_back_ = 0;
      if (carry_.size() + rest.size() > kMaxLine) {
        // A line longer than kMaxLine: emitted in pieces, counted once per line.
        const std::size_t take = kMaxLine - std::min(carry_.size(), kMaxLine);
        carry_.append(rest.substr(0, take));
        if (facts_.long_lines++ == 0) facts_.first_long_line = line_no_ + 1;
        if (!emit(carry_, consumed_ + i - carry_start_back_, block)) return false;
        carry_.clear();
        carry_start_back_ = 0;
        rest.remove_prefix(take);
      }
      carry_.append(rest);
    }
    consumed_ += block.size();
    // Bytes of the pending line that came before the next block starts.
    carry_start_back_ = carry_.size();
    if (last && !carry_.empty()) {
      if (!emit(carry_, consumed_ - carry_.size(), block)) return false;
      carry_.clear();
    }
    return true;
  }
  // The last line, when the input does not end with a newline.
  void finish() {
    if (!carry_.empty()) emit(carry_, consumed_ - carry_.size(), carry_);
    carry_.clear();
  }

 private:
  bool emit(std::string_view line, std::uint64_t offset, std::string_view block) {
    ++line_no_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return fn_(line, line_no_, offset, block);
  }
  const LineFn& fn_;
  InputFacts& facts_;
  std::string carry_;
  std::uint64_t line_no_ = 0, consumed_ = 0, carry_start_back_ = 0;
};

// Turns raw blocks into UTF-8 blocks (BOM removed, UTF-16 converted), keeping an odd byte
// or a lone high surrogate for the next block.
class Decoder {
 public:
  explicit Decoder(InputFacts& facts) : facts_(facts) {}

  std::string_view decode(std::string_view raw, bool first) {
    if (first) {
      if (raw.size() >= 3 && raw.substr(0, 3) == "\xEF\xBB\xBF") {
        facts_.encoding = "utf-8-bom";
        raw.remove_prefix(3);
      } else if (raw.size() >= 2 && raw.substr(0, 2) == "\xFF\xFE") {
        facts_.encoding = "utf-16le";
        raw.remove_prefix(2);
      } else if (raw.size() >= 2 && raw.substr(0, 2) == "\xFE\xFF") {
        facts_.encoding = "utf-16be";
        raw.remove_prefix(2);
      } else if (raw.size() >= 16) {
        // No BOM: ASCII text in UTF-16LE has a NUL in every odd byte.
        int zeros_odd = 0, zeros_even = 0;
        for (std::size_t i = 0; i < 16; ++i)
          if (raw[i] == '\0') ++(i % 2 ? zeros_odd : zeros_even);
        if (zeros_odd >= 7 && zeros_even == 0) facts_.encoding = "utf-16le";
        if (zeros_even >= 7 && zeros_odd == 0) facts_.encoding = "utf-16be";
      }
    }
    if (facts_.encoding != "utf-16le" && facts_.encoding != "utf-16be") return raw;
    pending_.append(raw);
    std::size_t n = pending_.size() & ~std::size_t{1};
    const bool be = facts_.encoding == "utf-16be";
    if (be) {
      for (std::size_t i = 0; i + 1 < n; i += 2) std::swap(pending_[i], pending_[i + 1]);
    }
    // Keep a trailing high surrogate with the next block.
    if (n >= 2) {
      const unsigned hi = static_cast<unsigned char>(pending_[n - 1]);
      if (hi >= 0xD8 && hi <= 0xDB) n -= 2;
    }
    out_.clear();
    append_utf16le(out_, std::span(reinterpret_cast<const std::uint8_t*>(pending_.data()), n));
    if (be) {  // restore the kept bytes' order for the next round
      for (std::size_t i = n; i + 1 < pending_.size(); i += 2)
        std::swap(pending_[i], pending_[i + 1]);
    }
    pending_.erase(0, n);
    return out_;
  }

 private:
  InputFacts& facts_;
  std::string pending_, out_;
};

}  // namespace

bool looks_gzip(std::string_view b) {
  return b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0x1f &&
         static_cast<unsigned char>(b[1]) == 0x8b && b[2] == 8;
}

InputFacts read_lines(std::string_view bytes, const LineFn& fn) {
  constexpr std::size_t kBlock = 4u << 20;
  std::size_t at = 0;
  return read_lines(
      [&]() {
        std::string_view b = bytes.substr(std::min(at, bytes.size()), kBlock);
        at += b.size();
        return b;
      },
      fn);
}

InputFacts read_lines(const BlockFn& next_block, const LineFn& fn) {
  InputFacts facts;
  Splitter split(fn, facts);
  Decoder dec(facts);
  std::string_view raw = next_block();
  if (!looks_gzip(raw)) {
    bool first = true;
    while (!raw.empty()) {
      if (!split.feed(dec.decode(raw, first), false)) return facts;
      first = false;
      raw = next_block();
    }
    split.finish();
    return facts;
  }
  facts.container = "gzip";
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) {
    facts.error = "zlib cannot start";
    return facts;
  }
  std::string out(1u << 20, '\0');
  bool first = true;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  zs.avail_in = static_cast<uInt>(raw.size());
  bool input_done = false;
  while (true) {
    if (zs.avail_in == 0 && !input_done) {
      raw = next_block();
      if (raw.empty()) input_done = true;
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
      zs.avail_in = static_cast<uInt>(raw.size());
    }
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int r = inflate(&zs, Z_NO_FLUSH);
    const std::size_t produced = out.size() - zs.avail_out;
    if (produced && !split.feed(dec.decode(std::string_view(out.data(), produced), first), false))
      break;
    if (produced) first = false;
    if (r == Z_STREAM_END) {
      // Another member (rotated logs concatenated), or the end.
      if (zs.avail_in == 0 && !input_done) {
        raw = next_block();
        if (raw.empty()) input_done = true;
        zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
        zs.avail_in = static_cast<uInt>(raw.size());
      }
      if (zs.avail_in == 0) break;
      if (!looks_gzip(std::string_view(reinterpret_cast<const char*>(zs.next_in), zs.avail_in))) {
        facts.error = "data after the last gzip member";
        break;
      }
      inflateReset(&zs);
      continue;
    }
    if (r == Z_BUF_ERROR && input_done && zs.avail_in == 0) {
      facts.truncated = true;
      break;
    }
    if (r != Z_OK && r != Z_BUF_ERROR) {
      facts.error = zs.msg ? zs.msg : "inflate failed";
      break;
    }
  }
  split.finish();
  inflateEnd(&zs);
  return facts;
}

}  // namespace kk::netlog
