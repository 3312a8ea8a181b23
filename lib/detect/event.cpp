#include "detect/event.hpp"

#include <array>
#include <charconv>
#include <cstring>

namespace kk::detect {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// Non-EVTX records carry their own time fields; the first present one dates the evidence
// (per ../shared/CONTRACT.md: usnjrnl "time", prefetch "last_run_times", amcache "first_seen",
// mft "si.created", shimcache "modified", registry records "key_last_write").
constexpr std::string_view kTimeKeys[] = {"time",          "last_run",   "last_run_times",
                                          "last_run_time", "first_seen", "si.created",
                                          "modified",      "created",    "key_last_write"};

// Writes IN with A-Z lowered to OUT (IN.size() bytes); true when any letter was upper case.
// Eight bytes at a time (bit tricks per byte lane): lowering every value of every record
// byte by byte was a tenth of detect's instructions.
bool lower_ascii(std::string_view in, char* out) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  std::uint64_t seen = 0;
  std::size_t i = 0;
  for (; i + 8 <= in.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, in.data() + i, 8);
    std::uint64_t low7 = w & ~kHigh;                       // per lane: the byte without its top bit
    std::uint64_t ge_a = low7 + kOnes * (0x80 - 'A');      // top bit: lane >= 'A'
    std::uint64_t gt_z = low7 + kOnes * (0x80 - 'Z' - 1);  // top bit: lane > 'Z'
    std::uint64_t upper = ge_a & ~gt_z & ~w & kHigh;       // top bit: lane in 'A'..'Z'
    seen |= upper;
    w |= upper >> 2;  // 0x80 >> 2 = 0x20, the case bit
    std::memcpy(out + i, &w, 8);
  }
  bool any = seen != 0;
  for (; i < in.size(); ++i) {
    char c = in[i];
    bool up = c >= 'A' && c <= 'Z';
    any |= up;
    out[i] = up ? static_cast<char>(c + ('a' - 'A')) : c;
  }
  return any;
}

// The record keys Event::load reads before the fields.
enum Header : std::size_t {
  kArtifact,
  kSource,
  kDatetime,
  kDataType,
  kChannel,
  kProvider,
  kComputer,
  kHost,
  kEventId,
  kRecordId,
  kOffset,
  kData,
  kTime,
  kUserSid,
  kTimestamp,
  kHeaderCount
};
constexpr std::string_view kHeaderKeys[kHeaderCount] = {
    "artifact", "source",    "datetime", "data_type", "channel", "provider", "computer", "host",
    "event_id", "record_id", "offset",   "data",      "time",    "user_sid", "timestamp"};

// The one header key K can be, told by its first letter and length (kHeaderCount when
// none): K is then compared once, not with all fifteen (that scan was a quarter of
// loading a record).
Header header_candidate(std::string_view k) {
  if (k.size() < 4 || k.size() > 9) return kHeaderCount;
  switch (k[0]) {
    case 'a':
      return kArtifact;
    case 's':
      return kSource;
    case 'h':
      return kHost;
    case 'o':
      return kOffset;
    case 'p':
      return kProvider;
    case 'e':
      return kEventId;
    case 'r':
      return kRecordId;
    case 'u':
      return kUserSid;
    case 'c':
      return k.size() == 7 ? kChannel : kComputer;
    case 'd':
      return k.size() == 4 ? kData : k.size() == 8 ? kDatetime : kDataType;
    case 't':
      return k.size() == 4 ? kTime : kTimestamp;
    default:
      return kHeaderCount;
  }
}

}  // namespace

std::optional<UtcMicros> parse_iso_utc(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!digits(s, 0, 4, &y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, &mo) ||
      s[7] != '-' || !digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
      !digits(s, 11, 2, &h) || s[13] != ':' || !digits(s, 14, 2, &mi) || s[16] != ':' ||
      !digits(s, 17, 2, &se))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::size_t i = 19;
  std::int64_t frac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (n < 6) frac = frac * 10 + (s[i] - '0'), ++n;
      ++i;
    }
    for (; n < 6; ++n) frac *= 10;
  }
  std::string_view rest = s.substr(i);
  if (!(rest.empty() || rest == "Z" || rest == "+00:00" || rest == "+0000")) return std::nullopt;
  std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi) * 60'000'000LL + se * 1'000'000LL + frac;
}

std::uint32_t FieldIds::intern(std::string_view name) {
  auto it = names_.find(name);
  if (it != names_.end()) return it->second;
  auto id = static_cast<std::uint32_t>(names_.size());
  names_.emplace(std::string(name), id);
  return id;
}

std::uint32_t FieldIds::find(std::string_view name) const {
  auto it = names_.find(name);
  return it == names_.end() ? kNone : it->second;
}

// Links the fields of this load by id: slot_first_[id] → next_[i] → … (in field order).
void Event::number_fields() {
  if (!ids_) return;
  if (slot_gen_.size() < ids_->size()) {
    slot_gen_.resize(ids_->size(), 0);
    slot_first_.resize(ids_->size(), UINT32_MAX);
  }
  next_.assign(fields.size(), UINT32_MAX);
  for (std::size_t i = fields.size(); i-- > 0;) {
    std::uint32_t id = ids_->find(fields[i].name);
    if (id == FieldIds::kNone) continue;
    auto idx = static_cast<std::uint32_t>(i);
    if (slot_gen_[id] == gen_) {
      next_[idx] = slot_first_[id];
    }
    slot_gen_[id] = gen_;
    slot_first_[id] = idx;
  }
}

std::uint32_t Event::stash(std::string_view s) {
  auto off = static_cast<std::uint32_t>(arena_.size());
  arena_.append(s);  // may move the bytes: fields keep offsets until finish_fields()
  return off;
}

void Event::add_scalar(std::string_view name, simdjson::dom::element e) {
  Pending p;
  if (name.data() == path_.data()) {  // a dotted path being built: copy it
    p.name_off = stash(name);
    p.name_len = static_cast<std::uint32_t>(name.size());
  } else {
    p.name = name;
  }
  char buf[32];
  std::string_view text;
  switch (e.type()) {
    case simdjson::dom::element_type::STRING:
      p.value = e.get_string().value_unsafe();
      pending_.push_back(p);
      return;
    case simdjson::dom::element_type::INT64: {
      auto r = std::to_chars(buf, buf + sizeof buf, e.get_int64().value_unsafe());
      text = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
      break;
    }
    case simdjson::dom::element_type::UINT64: {
      auto r = std::to_chars(buf, buf + sizeof buf, e.get_uint64().value_unsafe());
      text = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
      break;
    }
    case simdjson::dom::element_type::DOUBLE: {
      auto r = std::to_chars(buf, buf + sizeof buf, e.get_double().value_unsafe());
      text = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
      break;
    }
    case simdjson::dom::element_type::BOOL:
      text = e.get_bool().value_unsafe() ? "true" : "false";
      break;
    default:
      return;  // null: the field is absent for matching purposes
  }
  p.value_off = stash(text);
  p.value_len = static_cast<std::uint32_t>(text.size());
  pending_.push_back(p);
}

// Objects: with LEAF_NAMES (EVTX data, timeline details) nested keys keep their own name,
// as Sigma addresses UserData fields; otherwise they become dotted paths ("si.created").
// Arrays give one field per element under the same name.
void Event::flatten(simdjson::dom::element e, std::string_view name, std::size_t prefix_len,
                    bool leaf_names) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object obj;
      if (e.get_object().get(obj) != simdjson::SUCCESS) return;
      for (auto [k, v] : obj) {
        if (leaf_names) {
          flatten(v, k, 0, true);
        } else {
          path_.resize(prefix_len);
          if (prefix_len) path_.push_back('.');
          path_.append(k);
          std::size_t len = path_.size();
          flatten(v, std::string_view(path_), len, false);
          path_.resize(prefix_len);
        }
      }
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array arr;
      if (e.get_array().get(arr) != simdjson::SUCCESS) return;
      for (auto v : arr) {
        if (v.type() == simdjson::dom::element_type::OBJECT ||
            v.type() == simdjson::dom::element_type::ARRAY) {
          flatten(v, name, prefix_len, leaf_names);
        } else if (!leaf_names && name.data() == path_.data()) {
          add_scalar(std::string_view(path_.data(), prefix_len), v);
        } else {
          add_scalar(name, v);
        }
      }
      return;
    }
    default:
      if (!leaf_names && name.data() == path_.data())
        name = std::string_view(path_.data(), prefix_len);
      add_scalar(name, e);
  }
}

void Event::finish_fields() {
  std::size_t lowered = 0;
  for (const Pending& p : pending_) lowered += p.value.empty() ? p.value_len : p.value.size();
  // Room for every lower-cased copy at once: no reallocation below, so views stay valid,
  // and each copy is written in place (no zero fill first).
  char* out = arena_.room(lowered);
  const char* base = arena_.view().data();
  fields.clear();
  fields.reserve(pending_.size());
  for (const Pending& p : pending_) {
    Field f;
    f.name = p.name_off == UINT32_MAX ? p.name : std::string_view(base + p.name_off, p.name_len);
    f.value =
        p.value_off == UINT32_MAX ? p.value : std::string_view(base + p.value_off, p.value_len);
    if (lower_ascii(f.value, out)) {
      f.lower = std::string_view(out, f.value.size());
      out += f.value.size();
    } else {  // already lower case: no copy kept
      f.lower = f.value;
    }
    fields.push_back(f);
  }
  arena_.commit(out);
}

bool Event::load_head(simdjson::dom::element rec) {
  artifact = source = channel = provider = computer = user_sid_ = {};
  route.clear();
  event_id = record_id = offset = std::nullopt;
  time = std::nullopt;
  timeline = false;
  fields.clear();
  ++gen_;  // no field of the last record is found by number any more
  shape_ = Shape::kNone;
  if (rec.get_object().get(obj_) != simdjson::SUCCESS) return false;

  // The header values, each the first occurrence of its key (as obj[key] would find it),
  // gathered in one pass over the keys instead of a scan of the object per key.
  std::array<simdjson::dom::element, kHeaderCount> header;
  std::array<bool, kHeaderCount> present{};
  for (auto [k, v] : obj_)
    if (Header h = header_candidate(k); h != kHeaderCount && !present[h] && k == kHeaderKeys[h]) {
      present[h] = true;
      header[h] = v;
    }
  auto str = [&](Header h) -> std::string_view {
    std::string_view v;
    if (!present[h] || header[h].get_string().get(v) != simdjson::SUCCESS) return {};
    return v;
  };
  auto num = [&](Header h) -> std::optional<std::int64_t> {
    if (!present[h]) return std::nullopt;
    std::int64_t i;
    if (header[h].get_int64().get(i) == simdjson::SUCCESS) return i;
    std::uint64_t u;
    if (header[h].get_uint64().get(u) == simdjson::SUCCESS) return static_cast<std::int64_t>(u);
    return std::nullopt;
  };

  artifact = str(kArtifact);
  source = str(kSource);
  timeline = !str(kDatetime).empty() && !str(kDataType).empty();
  channel = str(kChannel);
  provider = str(kProvider);
  computer = str(kComputer);
  if (computer.empty()) computer = str(kHost);
  event_id = num(kEventId);
  record_id = num(kRecordId);
  offset = num(kOffset);

  if (timeline) {
    shape_ = Shape::kTimeline;
    if (auto ts = num(kTimestamp)) time = *ts;
  } else if (artifact == "evtx" && present[kData]) {
    shape_ = Shape::kEvtxRecord;
    data_ = header[kData];
    time = parse_iso_utc(str(kTime));
    user_sid_ = str(kUserSid);
  } else {
    shape_ = Shape::kOther;
  }
  if (artifact == "evtx") {
    route = ascii_lower(channel);
  } else {
    route = "artifact:";
    route.append(artifact);
  }
  return true;
}

void Event::load_fields() {
  pending_.clear();
  arena_.clear();
  path_.clear();
  switch (shape_) {
    case Shape::kNone:
      return;
    case Shape::kTimeline:
      for (auto [k, v] : obj_) {
        if (k == "details") {
          std::string_view text;
          simdjson::dom::element parsed;
          if (v.get(text) == simdjson::SUCCESS && !text.empty() && text.front() == '{') {
            if (!details_parser_) details_parser_ = std::make_unique<simdjson::dom::parser>();
            if (details_parser_->parse(text).get(parsed) == simdjson::SUCCESS) v = parsed;
          }
          flatten(v, k, 0, true);
        } else if (k != "datetime" && k != "timestamp" && k != "message" && k != "tags") {
          flatten(v, k, 0, true);
        }
      }
      break;
    case Shape::kEvtxRecord:
      flatten(data_, "Data", 0, true);
      if (!user_sid_.empty()) pending_.push_back({"UserID", user_sid_});
      break;
    case Shape::kOther:
      for (auto [k, v] : obj_) {
        if (k == "artifact" || k == "source") continue;
        path_.assign(k);
        flatten(v, std::string_view(path_), path_.size(), false);
      }
      path_.clear();
      break;
  }
  if (artifact == "evtx") {
    // Sigma names the System values like this (EventID, Channel, Provider_Name, Computer).
    if (event_id) {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, *event_id);
      Pending p;
      p.name = "EventID";
      p.value_off = stash(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
      p.value_len = static_cast<std::uint32_t>(r.ptr - buf);
      pending_.push_back(p);
    }
    if (!channel.empty()) pending_.push_back({"Channel", channel});
    if (!provider.empty()) pending_.push_back({"Provider_Name", provider});
    if (!computer.empty()) pending_.push_back({"Computer", computer});
  }
  finish_fields();
  number_fields();
  if (!time) {
    for (std::string_view k : kTimeKeys) {
      const Field* f = find(k);
      if (f && (time = parse_iso_utc(f->value))) break;
    }
  }
}

}  // namespace kk::detect
