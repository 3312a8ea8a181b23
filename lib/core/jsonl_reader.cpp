#include "core/jsonl_reader.hpp"

#include <cerrno>
#include <cstring>

namespace kk {

JsonlReader::~JsonlReader() {
  if (f_ && owns_) std::fclose(f_);
}

bool JsonlReader::open(const std::string& path, std::string* error) {
  path_ = path;
  if (path == "-") {
    f_ = stdin;
    owns_ = false;
    return true;
  }
  f_ = std::fopen(path.c_str(), "rb");
  if (!f_) {
    if (error) *error = std::strerror(errno);
    return false;
  }
  owns_ = true;
  return true;
}

bool JsonlReader::read_line() {
  line_.clear();
  for (;;) {
    if (pos_ < buf_.size()) {
      const char* start = buf_.data() + pos_;
      const void* nl = std::memchr(start, '\n', buf_.size() - pos_);
      if (nl) {
        std::size_t len = static_cast<const char*>(nl) - start;
        line_.append(start, len);
        pos_ += len + 1;
        return true;
      }
      line_.append(start, buf_.size() - pos_);
      pos_ = buf_.size();
    }
    if (eof_ || !f_) return !line_.empty();
    buf_.resize(1 << 20);
    std::size_t n = std::fread(buf_.data(), 1, buf_.size(), f_);
    buf_.resize(n);
    pos_ = 0;
    if (n == 0) eof_ = true;
  }
}

bool JsonlReader::next(simdjson::dom::element* doc, std::string* error) {
  if (error) error->clear();
  for (;;) {
    if (!read_line()) return false;
    ++line_no_;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    std::size_t i = 0;
    while (i < line_.size() && (line_[i] == ' ' || line_[i] == '\t')) ++i;
    if (i == line_.size()) continue;  // blank line
    auto res = parser_.parse(line_.data(), line_.size(), true);
    if (res.error()) {
      if (error) *error = std::string("invalid JSON: ") + simdjson::error_message(res.error());
      return true;
    }
    *doc = res.value_unsafe();
    return true;
  }
}

std::string_view json_str(simdjson::dom::element e, std::string_view key, std::string_view fallback) {
  std::string_view v;
  if (e[key].get(v) == simdjson::SUCCESS) return v;
  return fallback;
}

std::int64_t json_int(simdjson::dom::element e, std::string_view key, std::int64_t fallback) {
  std::int64_t v;
  if (e[key].get(v) == simdjson::SUCCESS) return v;
  std::uint64_t u;
  if (e[key].get(u) == simdjson::SUCCESS) return static_cast<std::int64_t>(u);
  return fallback;
}

bool json_bool(simdjson::dom::element e, std::string_view key, bool fallback) {
  bool v;
  if (e[key].get(v) == simdjson::SUCCESS) return v;
  return fallback;
}

}  // namespace kk
