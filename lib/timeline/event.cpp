#include "timeline/event.hpp"

#include <stdexcept>

#include "core/json_writer.hpp"

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

void Event::render(std::string& out, std::uint32_t* host_pos) const {
  JsonWriter w(out);
  w.begin_object();
  w.key("datetime").time(timestamp_);
  w.field("timestamp", static_cast<std::int64_t>(timestamp_));
  w.field("timestamp_desc", timestamp_desc_);
  w.field("message", message_);
  w.field("artifact", artifact_);
  w.field("source", source_);
  w.key("host");
  if (host_.empty()) {
    *host_pos = static_cast<std::uint32_t>(out.size());
    w.raw("");  // the value is inserted when the bundle's host is known (build output)
  } else {
    *host_pos = kNoHostSlot;
    w.string(host_);
  }
  w.field("data_type", data_type_);
  w.key("tags").begin_array();
  for (std::size_t t = 0; t < kTagCount; ++t)
    if (tags_.test(t)) w.string(tag_info(static_cast<Tag>(t)).name);
  w.end_array();
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    if (!state_[i]) continue;
    const FieldInfo& info = field_info(static_cast<Field>(i));
    w.key(info.name);
    switch (info.type) {
      case FieldType::kString:
        w.string(strings_[i]);
        break;
      case FieldType::kInteger:
        w.integer(ints_[i]);
        break;
      case FieldType::kBoolean:
        w.boolean(ints_[i] != 0);
        break;
      case FieldType::kStringArray:
        w.begin_array();
        for (const auto& s : arrays_[i]) w.string(s);
        w.end_array();
        break;
    }
  }
  if (details_as_text_) {
    details_text_.assign("{");
    details_text_ += details_;
    details_text_ += '}';
    w.key(kDetailsKey);
    append_json_text_string(out, details_text_);  // JSON text: its quotes are most to escape
    out += "}\n";
    return;
  }
  w.key(kDetailsKey).raw("{");
  out += details_;
  out += "}}\n";
}

}  // namespace kk::timeline
