#include "timeline/event.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "core/json_writer.hpp"
#include "core/time.hpp"

namespace kk::timeline {

void Event::reset() {
  timestamp_ = 0;
  timestamp_desc_.clear();
  message_.clear();
  artifact_.clear();
  source_.clear();
  host_.clear();
  data_type_.clear();
  details_.clear();
  tags_.reset();
  for (std::uint8_t i : set_list_) {
    state_[i] = 0;
    strings_[i].clear();
    arrays_[i].clear();
  }
  set_list_.clear();
}

void Event::check_type(Field f, FieldType t) const {
  if (field_info(f).type != t)
    throw std::logic_error("timeline field \"" + std::string(field_info(f).name) + "\" is " +
                           std::string(field_type_name(field_info(f).type)) + ", not " +
                           std::string(field_type_name(t)));
}

void Event::set(Field f, std::string_view v) {
  check_type(f, FieldType::kString);
  if (v.empty()) {
    clear(f);
    return;
  }
  std::size_t i = index(f);
  strings_[i].assign(v);
  if (!state_[i]) set_list_.push_back(static_cast<std::uint8_t>(i));
  state_[i] = 1;
}

void Event::set(Field f, std::int64_t v) {
  check_type(f, FieldType::kInteger);
  std::size_t i = index(f);
  ints_[i] = v;
  if (!state_[i]) set_list_.push_back(static_cast<std::uint8_t>(i));
  state_[i] = 1;
}

void Event::set_bool(Field f, bool v) {
  check_type(f, FieldType::kBoolean);
  std::size_t i = index(f);
  ints_[i] = v ? 1 : 0;
  if (!state_[i]) set_list_.push_back(static_cast<std::uint8_t>(i));
  state_[i] = 1;
}

void Event::append(Field f, std::string_view v) {
  check_type(f, FieldType::kStringArray);
  std::size_t i = index(f);
  arrays_[i].emplace_back(v);
  if (!state_[i]) set_list_.push_back(static_cast<std::uint8_t>(i));
  state_[i] = 1;
}

void Event::clear(Field f) {
  std::size_t i = index(f);
  state_[i] = 0;
  strings_[i].clear();
  arrays_[i].clear();
}

std::string_view Event::get_string(Field f) const {
  std::size_t i = index(f);
  return state_[i] && field_info(f).type == FieldType::kString ? std::string_view(strings_[i])
                                                               : std::string_view();
}

std::int64_t Event::get_int(Field f, std::int64_t fallback) const {
  std::size_t i = index(f);
  return state_[i] && field_info(f).type == FieldType::kInteger ? ints_[i] : fallback;
}

std::optional<bool> Event::get_bool(Field f) const {
  std::size_t i = index(f);
  if (!state_[i] || field_info(f).type != FieldType::kBoolean) return std::nullopt;
  return ints_[i] != 0;
}

namespace {
// `"name":` of every field, escaped once.
const std::array<std::string, kFieldCount>& field_keys() {
  static const std::array<std::string, kFieldCount> keys = [] {
    std::array<std::string, kFieldCount> k;
    for (std::size_t i = 0; i < kFieldCount; ++i) {
      const std::string_view name = field_info(static_cast<Field>(i)).name;
      std::string buf(json_string_bound(name.size()), '\0');
      buf.resize(static_cast<std::size_t>(write_json_string(buf.data(), name) - buf.data()));
      k[i] = buf + ':';
    }
    return k;
  }();
  return keys;
}

// Copies a literal (without its terminating NUL).
template <std::size_t N>
char* put(char* p, const char (&s)[N]) {
  std::memcpy(p, s, N - 1);
  return p + N - 1;
}
char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}
char* put_int(char* p, std::int64_t v) {
  return std::to_chars(p, p + 24, v).ptr;
}
}  // namespace

// The line is written at a pointer into OUT's room, sized for it in advance: piece by
// piece, a line's ~40 short keys and values cost more in calls than in bytes (a tenth of
// mapping's time), and a line written aside was one more copy. The bytes are JsonWriter's.
void Event::render(OutBuffer& out, std::uint32_t* host_pos) const {
  const auto& keys = field_keys();
  std::size_t bound = 256 + kIsoMax + json_string_bound(timestamp_desc_.size()) +
                      json_string_bound(message_.size()) + json_string_bound(artifact_.size()) +
                      json_string_bound(source_.size()) + json_string_bound(host_.size()) +
                      json_string_bound(data_type_.size()) + details_.size();
  for (std::size_t t = 0; t < kTagCount; ++t)
    if (tags_.test(t)) bound += 1 + json_string_bound(tag_info(static_cast<Tag>(t)).name.size());
  // The fields set, one bit each in field order (set_list_ is in the order they were set,
  // and may name one unset since, or twice): a line has a dozen of the ~130.
  std::array<std::uint64_t, (kFieldCount + 63) / 64> set{};
  for (std::uint8_t i : set_list_)
    if (state_[i]) set[i / 64] |= std::uint64_t{1} << (i % 64);
  auto for_each_set = [&](auto&& f) {
    for (std::size_t w = 0; w < set.size(); ++w)
      for (std::uint64_t bits = set[w]; bits != 0; bits &= bits - 1)
        f(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
  };
  for_each_set([&](std::size_t i) {
    bound += 1 + keys[i].size() + 24 + json_string_bound(strings_[i].size());
    for (const auto& a : arrays_[i]) bound += 1 + json_string_bound(a.size());
  });
  if (details_as_text_) {
    details_text_.assign("{");
    details_text_ += details_;
    details_text_ += '}';
    bound += json_text_string_bound(details_text_.size());
  }
  // Straight into OUT: no copy of the line, no zero fill of its room.
  char* const begin = out.room(bound);
  char* p = put(begin, "{\"datetime\":\"");
  p = write_iso(p, timestamp_);
  p = put(p, "\",\"timestamp\":");
  p = put_int(p, timestamp_);
  p = write_json_string(put(p, ",\"timestamp_desc\":"), timestamp_desc_);
  p = write_json_string(put(p, ",\"message\":"), message_);
  p = write_json_string(put(p, ",\"artifact\":"), artifact_);
  p = write_json_string(put(p, ",\"source\":"), source_);
  p = put(p, ",\"host\":");
  if (host_.empty()) {  // the value is inserted when the bundle's host is known (build output)
    *host_pos = static_cast<std::uint32_t>(out.size() + static_cast<std::size_t>(p - begin));
  } else {
    *host_pos = kNoHostSlot;
    p = write_json_string(p, host_);
  }
  p = write_json_string(put(p, ",\"data_type\":"), data_type_);
  p = put(p, ",\"tags\":[");
  bool first = true;
  for (std::size_t t = 0; t < kTagCount; ++t) {
    if (!tags_.test(t)) continue;
    if (!std::exchange(first, false)) *p++ = ',';
    p = write_json_string(p, tag_info(static_cast<Tag>(t)).name);
  }
  *p++ = ']';
  for_each_set([&](std::size_t i) {
    *p++ = ',';
    p = put(p, keys[i]);
    switch (field_info(static_cast<Field>(i)).type) {
      case FieldType::kString:
        p = write_json_string(p, strings_[i]);
        break;
      case FieldType::kInteger:
        p = put_int(p, ints_[i]);
        break;
      case FieldType::kBoolean:
        p = ints_[i] != 0 ? put(p, "true") : put(p, "false");
        break;
      case FieldType::kStringArray:
        *p++ = '[';
        for (std::size_t k = 0; k < arrays_[i].size(); ++k) {
          if (k) *p++ = ',';
          p = write_json_string(p, arrays_[i][k]);
        }
        *p++ = ']';
        break;
    }
  });
  p = put(p, ",\"");
  p = put(p, kDetailsKey);
  p = put(p, "\":");
  if (details_as_text_) {
    p = write_json_text_string(p, details_text_);  // JSON text: its quotes are most to escape
    p = put(p, "}\n");
  } else {
    *p++ = '{';
    p = put(p, details_);
    p = put(p, "}}\n");
  }
  out.commit(p);
}

}  // namespace kk::timeline
