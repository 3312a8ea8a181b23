// JSON lines gathered for matching on another thread (detect --jobs): copied once into one
// buffer with simdjson's padding behind the last, so each line is parsed in place there.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace kk::detect {

class LineBatch {
 public:
  // LINE: one JSON text without its line end.
  void add(std::string_view line) {
    unpad();
    text_.append(line);
    text_.push_back('\n');
    ++lines_;
  }
  std::size_t lines() const { return lines_; }
  std::size_t bytes() const { return text_.size() - (padded_ ? simdjson::SIMDJSON_PADDING : 0); }
  void clear() {
    text_.clear();
    lines_ = 0;
    padded_ = false;
  }
  // Calls FN(line) for every line in order; a line's bytes are followed by at least
  // SIMDJSON_PADDING readable ones (the next lines, or the padding).
  template <typename Fn>
  void for_each(Fn&& fn) {
    if (!padded_) {
      text_.append(simdjson::SIMDJSON_PADDING, '\0');
      padded_ = true;
    }
    std::string_view rest(text_.data(), text_.size() - simdjson::SIMDJSON_PADDING);
    while (!rest.empty()) {
      std::size_t end = rest.find('\n');
      fn(rest.substr(0, end));
      rest.remove_prefix(end + 1);
    }
  }

 private:
  void unpad() {
    if (padded_) text_.resize(text_.size() - simdjson::SIMDJSON_PADDING);
    padded_ = false;
  }
  std::string text_;
  std::size_t lines_ = 0;
  bool padded_ = false;
};

}  // namespace kk::detect
