// Bounds-checked little-endian reads over untrusted bytes.
//
// Evidence is hostile: every read is checked and a read past the end yields
// std::nullopt (ByteReader) or a sticky failure flag (ByteCursor), never UB.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>

namespace kk {

using Bytes = std::span<const std::uint8_t>;

// Random-access view: each accessor takes an absolute offset.
class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(Bytes data) : data_(data) {}
  ByteReader(const void* p, std::size_t n) : data_(static_cast<const std::uint8_t*>(p), n) {}

  std::size_t size() const { return data_.size(); }
  Bytes bytes() const { return data_; }
  const std::uint8_t* data() const { return data_.data(); }

  bool has(std::size_t off, std::size_t n) const {
    return off <= data_.size() && n <= data_.size() - off;
  }

  template <typename T>
  std::optional<T> le(std::size_t off) const {
    if (!has(off, sizeof(T))) return std::nullopt;
    return load<T>(data_.data() + off);
  }
  std::optional<std::uint8_t> u8(std::size_t off) const { return le<std::uint8_t>(off); }
  std::optional<std::uint16_t> u16(std::size_t off) const { return le<std::uint16_t>(off); }
  std::optional<std::uint32_t> u32(std::size_t off) const { return le<std::uint32_t>(off); }
  std::optional<std::uint64_t> u64(std::size_t off) const { return le<std::uint64_t>(off); }
  std::optional<std::int32_t> i32(std::size_t off) const { return le<std::int32_t>(off); }
  std::optional<std::int64_t> i64(std::size_t off) const { return le<std::int64_t>(off); }

  // A sub-span of exactly n bytes, or nullopt when it does not fit.
  std::optional<Bytes> span(std::size_t off, std::size_t n) const {
    if (!has(off, n)) return std::nullopt;
    return data_.subspan(off, n);
  }
  // A sub-view clamped to what exists (possibly empty): for "parse as far as possible".
  ByteReader clamp(std::size_t off, std::size_t n) const {
    if (off >= data_.size()) return {};
    return ByteReader(data_.subspan(off, std::min(n, data_.size() - off)));
  }
  bool starts_with(std::size_t off, std::string_view magic) const {
    return has(off, magic.size()) && std::memcmp(data_.data() + off, magic.data(), magic.size()) == 0;
  }

  // Unchecked load for callers that already proved the range with has().
  template <typename T>
  static T load(const std::uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));  // all supported hosts are little-endian (static_assert below)
    return v;
  }

 private:
  Bytes data_;
};

static_assert(std::endian::native == std::endian::little, "kakekomi assumes a little-endian host");

// Sequential reader with a sticky error: after the first short read every
// further read returns 0 and ok() stays false, so a parser can read a whole
// structure and check once.
class ByteCursor {
 public:
  explicit ByteCursor(ByteReader r, std::size_t pos = 0) : r_(r), pos_(pos) {}

  bool ok() const { return ok_; }
  std::size_t pos() const { return pos_; }
  std::size_t remaining() const { return pos_ <= r_.size() ? r_.size() - pos_ : 0; }
  void seek(std::size_t pos) { pos_ = pos; }
  void skip(std::size_t n) {
    if (!r_.has(pos_, n)) ok_ = false;
    pos_ += ok_ ? n : 0;
  }

  template <typename T>
  T le() {
    if (!ok_ || !r_.has(pos_, sizeof(T))) {
      ok_ = false;
      return T{};
    }
    T v = ByteReader::load<T>(r_.data() + pos_);
    pos_ += sizeof(T);
    return v;
  }
  std::uint8_t u8() { return le<std::uint8_t>(); }
  std::uint16_t u16() { return le<std::uint16_t>(); }
  std::uint32_t u32() { return le<std::uint32_t>(); }
  std::uint64_t u64() { return le<std::uint64_t>(); }
  Bytes take(std::size_t n) {
    if (!ok_ || !r_.has(pos_, n)) {
      ok_ = false;
      return {};
    }
    Bytes b = r_.bytes().subspan(pos_, n);
    pos_ += n;
    return b;
  }

 private:
  ByteReader r_;
  std::size_t pos_;
  bool ok_ = true;
};

}  // namespace kk
