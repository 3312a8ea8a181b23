// One input record (a parse-* record or a timeline event) seen the way rules see it:
// a few header values (artifact, source, channel, event id, time, where the evidence is)
// and a flat list of named text fields.
//
// Field values are views into the simdjson document the record was parsed from (valid
// until the next record is read); numbers and lower-cased copies live in an arena that
// is reused from record to record, so steady-state loading does not allocate.
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/ascii_case.hpp"
#include "core/out_buffer.hpp"
#include "core/time.hpp"

namespace kk::detect {

struct Field {
  std::string_view name;   // Sigma field name: EventData name, record key or dotted path
  std::string_view value;  // as in the record (numbers rendered in decimal)
  std::string_view lower;  // ASCII lower-cased value, for case-insensitive matching
};

// Field names the loaded rules use, numbered once, so that an event finds a field by
// number instead of comparing names (thousands of rules look up the same few fields).
class FieldIds {
 public:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  std::uint32_t intern(std::string_view name);
  std::uint32_t find(std::string_view name) const;
  std::size_t size() const { return names_.size(); }

 private:
  // Every field of every record is looked up here: a few multiplies over the first and last
  // eight bytes instead of a hash of every byte (field names are short; equal hashes are
  // told apart by comparing the names).
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const {
      std::uint64_t head = 0, tail = 0;
      if (!s.empty()) std::memcpy(&head, s.data(), std::min<std::size_t>(s.size(), 8));
      if (s.size() > 8) std::memcpy(&tail, s.data() + s.size() - 8, 8);
      std::uint64_t h = (head * 0x9E3779B97F4A7C15ull) ^ (tail * 0xC2B2AE3D27D4EB4Full) ^ s.size();
      return static_cast<std::size_t>(h ^ (h >> 29));
    }
  };
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> names_;
};

class Event {
 public:
  // Numbers the fields with IDS (kept by pointer; may grow between loads).
  void use_field_ids(const FieldIds* ids) { ids_ = ids; }
  // Loads RECORD. Returns false when it is not an object (nothing to match).
  bool load(simdjson::dom::element record) {
    if (!load_head(record)) return false;
    load_fields();
    return true;
  }
  // The same in two steps, so that a record no rule can match is not read further: the
  // header values, the route and the time when the header holds it (false: not an object)…
  bool load_head(simdjson::dom::element record);
  // …then the fields, and the time from them when the header had none. Needs RECORD's
  // document alive since load_head().
  void load_fields();

  std::string_view artifact;  // "evtx", "prefetch", … (for timeline events: the origin)
  std::string_view source;
  std::string_view channel;  // EVTX channel (empty for other artifacts)
  std::string_view provider;
  std::string_view computer;
  std::string route;  // index key: lower-cased channel, or "artifact:<name>"
  std::optional<std::int64_t> event_id, record_id, offset;
  std::optional<UtcMicros> time;
  bool timeline = false;  // the input was a timeline event (build-timeline)
  std::vector<Field> fields;

  // Every value of field NAME (there can be several: arrays, unnamed Data).
  template <typename F>
  bool any_value(std::string_view name, F&& pred) const {
    for (const Field& f : fields)
      if (f.name == name && pred(f)) return true;
    return false;
  }
  const Field* find(std::string_view name) const {
    for (const Field& f : fields)
      if (f.name == name) return &f;
    return nullptr;
  }
  bool has(std::string_view name) const { return find(name) != nullptr; }

  // The same by field number (FieldIds), in constant time.
  template <typename F>
  bool any_value(std::uint32_t id, F&& pred) const {
    if (id >= slot_gen_.size() || slot_gen_[id] != gen_) return false;
    for (std::uint32_t i = slot_first_[id]; i != UINT32_MAX; i = next_[i])
      if (pred(fields[i])) return true;
    return false;
  }
  bool has(std::uint32_t id) const { return id < slot_gen_.size() && slot_gen_[id] == gen_; }

 private:
  struct Pending {
    std::string_view name;
    std::string_view value;
    std::uint32_t name_off = UINT32_MAX, value_off = UINT32_MAX;  // arena-owned parts
    std::uint32_t name_len = 0, value_len = 0;
  };
  void flatten(simdjson::dom::element e, std::string_view name, std::size_t prefix_len,
               bool leaf_names);
  void add_scalar(std::string_view name, simdjson::dom::element e);
  std::uint32_t stash(std::string_view s);
  void finish_fields();

  void number_fields();

  // What load_head() found, for load_fields().
  enum class Shape { kNone, kTimeline, kEvtxRecord, kOther };
  Shape shape_ = Shape::kNone;
  simdjson::dom::object obj_;
  simdjson::dom::element data_;  // an EVTX record's "data"
  std::string_view user_sid_;    // an EVTX record's "user_sid"

  const FieldIds* ids_ = nullptr;
  std::uint32_t gen_ = 0;                  // load counter: slots of older loads are stale
  std::vector<std::uint32_t> slot_gen_;    // per field id: the load that filled the slot
  std::vector<std::uint32_t> slot_first_;  // per field id: first field index with that id
  std::vector<std::uint32_t> next_;        // per field: next field index with the same id
  OutBuffer arena_;   // numbers and lower-cased copies (core/out_buffer.hpp: no zero fill)
  std::string path_;  // dotted path while flattening nested objects
  std::vector<Pending> pending_;
  // A timeline's "details" written as one JSON text (build-timeline's default since issue
  // #20) is parsed here; its names and values are read in place while the event lives.
  std::unique_ptr<simdjson::dom::parser> details_parser_;
};

// Parses "2024-05-01T03:04:05.123456Z" (any fraction length, "Z" or "+00:00").
std::optional<UtcMicros> parse_iso_utc(std::string_view text);

// Sigma's case-insensitive matching is defined on ASCII letters: kk::ascii_lower.

}  // namespace kk::detect
