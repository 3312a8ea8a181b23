// What one log line becomes while it is parsed: vendor fields as views into the line (or
// into the arena, for unescaped values) and the syslog envelope around them. Private.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace kk::netlog {

struct Field {
  std::string_view key, value;
};

// The fields of one line. Not a std::vector: GCC outlines vector::push_back (one clone per
// file, ~20 instructions a field, ~30 fields a line); here the common case (room left) is a
// compare and a store, inline, and growing is out of line. Capacity is kept across lines.
class FieldList {
 public:
  FieldList() = default;
  FieldList(const FieldList& o) { *this = o; }
  FieldList& operator=(const FieldList& o) {
    if (this != &o) {
      clear();
      for (const Field& f : o) push_back(f);
    }
    return *this;
  }
  void push_back(Field f) {  // by value: F may be one of ours, which grow() frees
    if (size_ == cap_) [[unlikely]]
      grow();
    data_[size_++] = f;
  }
  void insert(const Field* at, Field f) {  // shifts the rest up by one
    const std::size_t i = static_cast<std::size_t>(at - data_.get());
    if (size_ == cap_) grow();
    std::move_backward(data_.get() + i, data_.get() + size_, data_.get() + size_ + 1);
    data_[i] = f;
    ++size_;
  }
  void resize(std::size_t n) {  // shrinks only (drops the fields after N)
    if (n < size_) size_ = n;
  }
  void clear() { size_ = 0; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Field& operator[](std::size_t i) { return data_[i]; }
  const Field& operator[](std::size_t i) const { return data_[i]; }
  Field& back() { return data_[size_ - 1]; }
  const Field& back() const { return data_[size_ - 1]; }
  Field* begin() { return data_.get(); }
  Field* end() { return data_.get() + size_; }
  const Field* begin() const { return data_.get(); }
  const Field* end() const { return data_.get() + size_; }

 private:
  [[gnu::noinline]] void grow() {
    const std::size_t cap = cap_ == 0 ? 64 : cap_ * 2;
    auto bigger = std::make_unique<Field[]>(cap);
    std::copy(data_.get(), data_.get() + size_, bigger.get());
    data_ = std::move(bigger);
    cap_ = cap;
  }
  std::unique_ptr<Field[]> data_;
  std::size_t size_ = 0, cap_ = 0;
};

// Storage for values that are not a plain slice of the line (unescaped, joined, rendered).
// Views it hands out stay valid until reset(): the main buffer never grows past its
// reserved capacity, and spilled strings live in a deque, which never moves its elements.
class Arena {
 public:
  void reset(std::size_t hint) {
    spill_.clear();
    used_ = 0;
    if (cap_ < hint) {
      main_.reset(new char[hint]);  // not zeroed: only bytes below used_ are ever read
      cap_ = hint;
    }
  }
  std::string_view keep(std::string_view s) {  // inline: a copy into the main buffer
    if (s.size() <= cap_ - used_) {
      char* at = main_.get() + used_;
      if (!s.empty()) std::memcpy(at, s.data(), s.size());
      used_ += s.size();
      return {at, s.size()};
    }
    spill_.emplace_back(s);
    return spill_.back();
  }
  std::string_view concat(std::string_view a, std::string_view sep, std::string_view b) {
    std::string& s = spill_.emplace_back();
    s.reserve(a.size() + sep.size() + b.size());
    s.append(a).append(sep).append(b);
    return s;
  }

 private:
  std::unique_ptr<char[]> main_;
  std::size_t used_ = 0, cap_ = 0;
  std::deque<std::string> spill_;
};

// The syntaxes, in the order detection tries them.
enum class Syntax : std::uint8_t {
  kNone,
  kCef,
  kLeef,
  kJson,
  kXml,
  kW3c,
  kSquid,
  kClf,
  kCsv,       // a known vendor column list or a header line
  kKv,        // key=value
  kColonKv,   // "Key: value, Key: value"
  kCiscoTag,  // %ASA-6-302013: text
  kText,      // free text after a syslog envelope
  kMplog,
  kDetectionHistory,
};
std::string_view syntax_name(Syntax s);

struct Envelope {
  bool present = false;
  std::string_view kind;  // "rfc3164", "rfc5424", "rfc3339"
  std::optional<int> pri;
  std::optional<UtcMicros> time;  // resolved to UTC, when it could be
  bool year_unknown = false;      // an RFC 3164 time whose year nothing gave
  std::string_view time_text;     // the envelope's time as written
  std::string_view host, app, procid, msgid, structured;
};

struct ParsedLine {
  Syntax syntax = Syntax::kNone;
  Envelope env;
  std::string_view payload;
  FieldList fields;
  std::string_view cef_vendor, cef_product;  // CEF/LEEF header (product detection)
  void clear() {
    syntax = Syntax::kNone;
    env = Envelope{};
    payload = {};
    fields.clear();
    cef_vendor = cef_product = {};
  }
  std::string_view get(std::string_view key) const;  // first field named KEY, "" if none
};

}  // namespace kk::netlog
