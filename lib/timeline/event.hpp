// One timeline event while it is being built by a mapper, and its JSON rendering.
//
// Mappers fill an Event through typed setters: a Field declared as integer can only be
// set from an integer, so a key can never change JSON type (vocabulary.hpp). A record
// that yields several events (prefetch run times, MACB groups) reuses one Event and
// changes only what differs between them.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/out_buffer.hpp"
#include "core/time.hpp"
#include "timeline/vocabulary.hpp"

namespace kk::timeline {

class Event {
 public:
  // Clears every field (keeps capacity for the next record).
  void reset();

  void set_time(UtcMicros t, std::string_view desc) {
    timestamp_ = t;
    timestamp_desc_.assign(desc);
  }
  UtcMicros timestamp() const { return timestamp_; }
  std::string& message() { return message_; }
  const std::string& message() const { return message_; }

  void set_artifact(std::string_view a) { artifact_.assign(a); }
  void set_source(std::string_view s) { source_.assign(s); }
  void set_host(std::string_view h) { host_.assign(h); }
  void set_data_type(std::string_view d) { data_type_.assign(d); }
  const std::string& artifact() const { return artifact_; }
  const std::string& source() const { return source_; }
  const std::string& host() const { return host_; }

  // Typed setters; each throws std::logic_error when F's declared type differs (a
  // programming error in a mapper, caught by the schema tests). Empty strings are
  // not stored: an absent value is an absent key.
  void set(Field f, std::string_view v);
  void set(Field f, std::int64_t v);
  void set_bool(Field f, bool v);
  void append(Field f, std::string_view v);  // for array fields
  void clear(Field f);
  bool has(Field f) const { return state_[index(f)] != 0; }
  std::string_view get_string(Field f) const;
  std::int64_t get_int(Field f, std::int64_t fallback = 0) const;
  std::optional<bool> get_bool(Field f) const;

  void tag(Tag t) { tags_.set(static_cast<std::size_t>(t)); }
  void untag(Tag t) { tags_.reset(static_cast<std::size_t>(t)); }
  bool tagged(Tag t) const { return tags_.test(static_cast<std::size_t>(t)); }
  void clear_tags() { tags_.reset(); }

  // Rendered members of the "details" object ("\"k\":v,…", no braces).
  std::string& details() { return details_; }
  // Renders "details" as one JSON string holding the object's text instead of an object,
  // for OpenSearch indexes whose field limit the many EVTX data names would exceed.
  void set_details_as_text(bool on) { details_as_text_ = on; }

  // Appends the event as one JSONL line (with '\n'). When the host is not known yet,
  // the line holds no value after "host": and *host_pos gets the byte position where
  // the value must be inserted; otherwise *host_pos is kNoHostSlot.
  static constexpr std::uint32_t kNoHostSlot = 0xFFFFFFFFu;
  void render(OutBuffer& out, std::uint32_t* host_pos) const;

 private:
  static std::size_t index(Field f) { return static_cast<std::size_t>(f); }
  void check_type(Field f, FieldType t) const;

  UtcMicros timestamp_ = 0;
  std::string timestamp_desc_, message_, artifact_, source_, host_, data_type_, details_;
  bool details_as_text_ = false;
  mutable std::string details_text_;  // render's room for the details object as text
  std::bitset<kTagCount> tags_;
  std::array<std::uint8_t, kFieldCount> state_{};  // 0 unset, 1 set
  std::array<std::int64_t, kFieldCount> ints_{};
  std::array<std::string, kFieldCount> strings_;
  std::array<std::vector<std::string>, kFieldCount> arrays_;
  std::vector<std::uint8_t> set_list_;  // which fields to clear on reset
};

}  // namespace kk::timeline
