#include "core/jsonl_reader.hpp"

#include "core/ascii_case.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <sys/stat.h>

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

void JsonlReader::open_mapped(const MappedFile& file) {
  path_ = file.path();
  map_ = reinterpret_cast<const char*>(file.bytes().data());
  size_ = file.size();
  pos_ = 0;
  eof_ = true;
}

bool JsonlReader::open_sequential(const std::string& path, std::string* error) {
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
    return open(path, error);  // a stream, or what open() says about the path
  auto file = std::make_unique<MappedFile>();
  if (!file->open(path, error)) return false;
  own_map_ = std::move(file);
  open_mapped(*own_map_);
  return true;
}

namespace {
constexpr std::size_t kBlock = 1 << 20;
constexpr std::size_t kReleaseEvery = 32 << 20;  // open_sequential's mapping
}  // namespace

// The format check: a NUL byte in the first block means a binary file, not JSON Lines.
bool JsonlReader::binary_start(const char* data, std::size_t size) {
  if (!check_format_ || first_block_checked_) return false;
  first_block_checked_ = true;
  not_jsonl_ = std::memchr(data, '\0', size) != nullptr;
  return not_jsonl_;
}

bool JsonlReader::read_mapped_line() {
  if (pos_ == 0 && binary_start(map_, std::min(size_, kBlock))) return false;
  if (pos_ >= size_) return false;
  if (own_map_ && pos_ - released_ >= kReleaseEvery) {  // the lines before are done with
    released_ = own_map_->release(released_, pos_);
  }
  const char* start = map_ + pos_;
  const auto* nl = static_cast<const char*>(std::memchr(start, '\n', size_ - pos_));
  const std::size_t len = nl ? static_cast<std::size_t>(nl - start) : size_ - pos_;
  const std::size_t after = size_ - pos_ - len;  // bytes behind the line in the mapping
  pos_ += len + (nl ? 1 : 0);
  stable_ = nl && !own_map_ ? std::string_view(start, len + 1) : std::string_view();
  if (len > max_line_) {
    too_long_ = true;
    stable_ = view_ = {};
    return true;
  }
  if (after >= simdjson::SIMDJSON_PADDING) {
    view_ = std::string_view(start, len);  // later bytes of the mapping are the padding
    return true;
  }
  line_.assign(start, len);
  line_.reserve(len + simdjson::SIMDJSON_PADDING);
  view_ = line_;
  return true;
}

// Appends to line_, the start of a line that spans blocks, unless the line grows past the
// limit: then it is too long and nothing more of it is kept.
void JsonlReader::append_capped(const char* data, std::size_t size) {
  if (too_long_) return;
  if (size > max_line_ - line_.size()) {
    too_long_ = true;
    line_.clear();
    line_.shrink_to_fit();
    return;
  }
  line_.append(data, size);
}

bool JsonlReader::read_line() {
  line_offset_ = block_start_ + pos_;  // a mapping is one block, at 0
  too_long_ = false;
  if (map_) return read_mapped_line();
  if (!buf_) buf_ = std::make_unique<char[]>(kBlock + simdjson::SIMDJSON_PADDING);
  bool spanning = false;  // line_ holds the start of a line from the previous block
  line_.clear();
  for (;;) {
    if (pos_ < size_) {
      const char* start = buf_.get() + pos_;
      const void* nl = std::memchr(start, '\n', size_ - pos_);
      if (nl) {
        std::size_t len = static_cast<const char*>(nl) - start;
        pos_ += len + 1;
        if (!spanning && len <= max_line_) {
          view_ = std::string_view(start, len);  // the padding or later lines follow it
          return true;
        }
        append_capped(start, len);
        break;
      }
      append_capped(start, size_ - pos_);
      spanning = true;
      pos_ = size_;
    }
    if (eof_ || !f_) {
      if (line_.empty() && !too_long_) return false;
      break;
    }
    block_start_ += size_;
    size_ = std::fread(buf_.get(), 1, kBlock, f_);
    pos_ = 0;
    if (size_ == 0) eof_ = true;
    if (binary_start(buf_.get(), size_)) return false;  // no line to read
  }
  if (too_long_) {
    view_ = {};
    return true;
  }
  line_.reserve(line_.size() + simdjson::SIMDJSON_PADDING);
  view_ = line_;
  return true;
}

bool JsonlReader::next_nonblank() {
  for (;;) {
    if (!read_line()) return false;
    ++line_no_;
    if (too_long_) return true;  // not blank, whatever it holds
    if (!view_.empty() && view_.back() == '\r') view_.remove_suffix(1);
    std::size_t i = 0;
    while (i < view_.size() && (view_[i] == ' ' || view_[i] == '\t')) ++i;
    if (i < view_.size()) return true;  // else a blank line
  }
}

// The format check's second half: the first line that is not blank must be a record, a JSON
// object (a line too long to read is none). False (and not JSON Lines) when it is not.
bool JsonlReader::first_line_is(bool record) {
  if (!check_format_ || format_checked_) return true;
  format_checked_ = true;
  not_jsonl_ = !record;
  return record;
}

bool JsonlReader::first_line_is_record(
    const simdjson::simdjson_result<simdjson::dom::element>& res) {
  return first_line_is(!res.error() && res.value_unsafe().is_object());
}

std::string JsonlReader::too_long_message() const {
  return "longer than " + std::to_string(max_line_) + " bytes, not read";
}

bool JsonlReader::next_unparsed() {
  if (!next_nonblank()) return false;
  if (too_long_) return first_line_is(false);
  if (!check_format_ || format_checked_) return true;
  return first_line_is_record(parser_.parse(view_.data(), view_.size(), false));
}

bool JsonlReader::next(simdjson::dom::element* doc, std::string* error) {
  if (error) error->clear();
  if (!next_nonblank()) return false;
  if (too_long_) {
    if (!first_line_is(false)) return false;
    if (error) *error = too_long_message();
    return true;
  }
  // In place: SIMDJSON_PADDING readable bytes follow the line in buf_ or line_.
  auto res = parser_.parse(view_.data(), view_.size(), false);
  if (!first_line_is_record(res)) return false;
  if (res.error()) {
    if (error) *error = invalid_json_message(res.error());
    return true;
  }
  ++records_;
  *doc = res.value_unsafe();
  return true;
}

std::string invalid_json_message(simdjson::error_code error) {
  return std::string("invalid JSON: ") + simdjson::error_message(error);
}

std::string not_json_lines_message(std::string_view path) {
  std::string name(path.substr(path.find_last_of('/') + 1));
  name = ascii_lower(name);
  const char* parser = nullptr;
  if (iends_with(name, ".evtx"))
    parser = "parse-evtx";
  else if (iends_with(name, ".pf"))
    parser = "parse-prefetch";
  else if (name.find("usnjrnl") != std::string::npos || iends_with(name, "$j"))
    parser = "parse-usnjrnl";
  else if (name.find("mft") != std::string::npos)
    parser = "parse-mft";
  else if (iends_with(name, ".dat") || iends_with(name, ".hve") || name == "system" ||
           name == "software" || name == "sam" || name == "security")
    parser = "parse-registry";
  if (parser) return std::string("not JSON Lines — run ") + parser + " on it first";
  return "not JSON Lines — run the parser for its kind (parse-evtx, parse-prefetch, parse-mft, "
         "parse-usnjrnl, parse-registry) on it first";
}

void JsonlInputTally::add(const JsonlReader& r) {
  add(r, r.records());
}

void JsonlInputTally::add(const JsonlReader& r, std::uint64_t records) {
  records_ += records;
  if (records == 0 && !r.not_json_lines()) empty_.push_back(r.path());
}

bool JsonlInputTally::report_if_empty(Diagnostics& diag) const {
  if (records_ > 0) return false;
  bool named = false;
  for (const auto& path : empty_) {
    if (path == "-") {
      diag.warning("standard input", std::nullopt, "no records in it (empty)");
      continue;
    }
    named = true;
    diag.unreadable(path,
                    "no records in it (empty): the step that writes it failed or did not run");
  }
  return named || empty_.empty();  // empty_.empty(): every input was unreadable or not JSONL
}

std::string_view json_str(simdjson::dom::element e, std::string_view key,
                          std::string_view fallback) {
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
