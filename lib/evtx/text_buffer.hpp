// An append-only text buffer for the rendering hot loop: unlike std::string it
// grows without zero-filling, so writers can reserve a worst-case span, write
// through a raw pointer and commit only what they used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>

namespace kk::evtx {

class TextBuffer {
 public:
  TextBuffer() = default;
  TextBuffer(const TextBuffer&) = delete;
  TextBuffer& operator=(const TextBuffer&) = delete;
  TextBuffer(TextBuffer&& o) noexcept : p_(o.p_), size_(o.size_), cap_(o.cap_) {
    o.p_ = nullptr;
    o.size_ = o.cap_ = 0;
  }
  TextBuffer& operator=(TextBuffer&& o) noexcept {
    if (this != &o) {
      std::free(p_);
      p_ = o.p_;
      size_ = o.size_;
      cap_ = o.cap_;
      o.p_ = nullptr;
      o.size_ = o.cap_ = 0;
    }
    return *this;
  }
  ~TextBuffer() { std::free(p_); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const char* data() const { return p_; }
  std::string_view view() const { return {p_, size_}; }
  void clear() { size_ = 0; }
  void resize_down(std::size_t n) {
    if (n < size_) size_ = n;
  }

  // Returns a pointer where N more bytes may be written; commit() what was used.
  char* reserve_tail(std::size_t n) {
    if (cap_ - size_ < n) grow(n);
    return p_ + size_;
  }
  void commit(std::size_t n) { size_ += n; }
  char* end_ptr() { return p_ + size_; }
  void set_end(char* e) { size_ = static_cast<std::size_t>(e - p_); }

  void push(char c) {
    if (size_ == cap_) grow(1);
    p_[size_++] = c;
  }
  void push_back(char c) { push(c); }  // as std::string (kk::append_csv_field)
  void append(std::string_view s) {
    if (cap_ - size_ < s.size()) grow(s.size());
    if (!s.empty()) std::memcpy(p_ + size_, s.data(), s.size());
    size_ += s.size();
  }
  void append_uint(std::uint64_t v);
  void append_int(std::int64_t v);

 private:
  void grow(std::size_t n) {
    std::size_t want = cap_ ? cap_ * 2 : 4096;
    while (want - size_ < n) want *= 2;
    void* q = std::realloc(p_, want);
    if (!q) throw std::bad_alloc();
    p_ = static_cast<char*>(q);
    cap_ = want;
  }
  char* p_ = nullptr;
  std::size_t size_ = 0, cap_ = 0;
};

inline void TextBuffer::append_uint(std::uint64_t v) {
  char tmp[24];
  char* e = tmp + sizeof tmp;
  char* b = e;
  do {
    *--b = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  append(std::string_view(b, static_cast<std::size_t>(e - b)));
}

inline void TextBuffer::append_int(std::int64_t v) {
  if (v < 0) {
    push('-');
    append_uint(static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(v));
  } else {
    append_uint(static_cast<std::uint64_t>(v));
  }
}

// How text is escaped when appended.
enum class Escape : std::uint8_t {
  kNone,         // plain UTF-8
  kJson,         // inside a JSON string (RFC 8259)
  kXmlText,      // XML element content: & < >
  kXmlAttr,      // XML attribute value: & < > "
  kJsonXmlText,  // XML text escaping, then JSON string escaping (--xml inside JSON)
  kJsonXmlAttr,
};

// Appends UTF-16LE code units (N units at P) as UTF-8 with escaping E. Stops at
// the first U+0000 (Windows renders strings up to their terminator). Unpaired
// surrogates become U+FFFD.
void append_utf16(TextBuffer& out, const std::uint8_t* p, std::size_t units, Escape e);
// Appends Windows-1252 bytes as UTF-8 with escaping E, stopping at NUL.
void append_ansi(TextBuffer& out, const std::uint8_t* p, std::size_t n, Escape e);
// Appends already valid UTF-8 text S with escaping E.
void append_escaped(TextBuffer& out, std::string_view s, Escape e);

}  // namespace kk::evtx
