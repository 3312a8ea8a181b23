#include "netlog/render.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <vector>

#include "core/json_writer.hpp"

namespace kk::netlog {

namespace {

// Unsigned integer fields (ports, bytes, status): written as numbers when they are.
bool as_number(std::string_view v, std::uint64_t& n) {
  if (v.empty() || v.size() > 19) return false;
  auto r = std::from_chars(v.data(), v.data() + v.size(), n);
  return r.ec == std::errc() && r.ptr == v.data() + v.size();
}

void number_field(JsonWriter& w, std::string_view key, std::string_view v) {
  std::uint64_t n = 0;
  if (as_number(v, n)) w.field(key, n);
}

void text_field(JsonWriter& w, std::string_view key, std::string_view v) {
  if (!v.empty()) w.field(key, v);
}

// Seconds as a number: "16", "0.25"; milliseconds divided.
void duration_field(JsonWriter& w, std::string_view secs, std::string_view millis) {
  double d = 0;
  if (!secs.empty()) {
    auto r = std::from_chars(secs.data(), secs.data() + secs.size(), d);
    if (r.ec == std::errc() && r.ptr == secs.data() + secs.size() && d >= 0)
      w.key("duration").number(d);
  } else if (!millis.empty()) {
    auto r = std::from_chars(millis.data(), millis.data() + millis.size(), d);
    if (r.ec == std::errc() && r.ptr == millis.data() + millis.size() && d >= 0)
      w.key("duration").number(d / 1000.0);
  }
}

// Repeated names in a line: the first wins. A set of the names written so far, open
// addressing over a table cleared by a generation stamp (a record has ~40 fields; comparing
// each with all before it cost more than writing them).
class FirstNames {
 public:
  static constexpr std::size_t kMaxFields = 512;
  void next_record() {
    if (++stamp_ == 0) {
      stamps_.fill(0);
      stamp_ = 1;
    }
  }
  // True when FIELDS[I]'s name did not occur before I (then it is remembered).
  bool first(const std::vector<Field>& fields, std::size_t i) {
    const std::string_view key = fields[i].key;
    for (std::size_t slot = hash(key) & (kSlots - 1);; slot = (slot + 1) & (kSlots - 1)) {
      if (stamps_[slot] != stamp_) {
        stamps_[slot] = stamp_;
        index_[slot] = static_cast<std::uint16_t>(i);
        return true;
      }
      if (fields[index_[slot]].key == key) return false;
    }
  }

 private:
  static constexpr std::size_t kSlots = 2 * kMaxFields;
  static std::size_t hash(std::string_view s) {
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
    std::uint64_t h = s.size() * kMul;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      h = (h ^ w) * kMul;
      h ^= h >> 29;
    }
    std::uint64_t w = 0;
    for (std::size_t k = 0; i + k < s.size(); ++k)
      w |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[i + k])) << (8 * k);
    h = (h ^ w) * kMul;
    return static_cast<std::size_t>(h ^ (h >> 32));
  }
  std::array<std::uint32_t, kSlots> stamps_{};
  std::array<std::uint16_t, kSlots> index_{};
  std::uint32_t stamp_ = 0;
};

FirstNames& first_names() {
  thread_local FirstNames names;
  return names;
}

}  // namespace

void render_record(std::string& out, const RecordHead& h, const Normalized& n, const ParsedLine& p,
                   std::string_view raw, Arena& arena) {
  JsonWriter w(out);
  w.begin_object();
  w.field("artifact", "netlog");
  w.field("source", h.source);
  w.field("line", h.line);
  w.field("offset", h.offset);
  w.field("product", h.product);
  w.field("log_type", h.log_type);
  w.field("format", h.format);
  w.key("time");
  if (h.time)
    w.time(*h.time);
  else
    w.null();
  text_field(w, "direction", h.direction);
  if (h.seen_on_pc) w.field("seen_on_pc", true);
  text_field(w, "action", n.action);
  text_field(w, "src_ip", n.get(Norm::kSrcIp));
  number_field(w, "src_port", n.get(Norm::kSrcPort));
  text_field(w, "dst_ip", n.get(Norm::kDstIp));
  number_field(w, "dst_port", n.get(Norm::kDstPort));
  text_field(w, "protocol", n.get(Norm::kProtocol));
  text_field(w, "nat_src_ip", n.get(Norm::kNatSrcIp));
  number_field(w, "nat_src_port", n.get(Norm::kNatSrcPort));
  text_field(w, "nat_dst_ip", n.get(Norm::kNatDstIp));
  number_field(w, "nat_dst_port", n.get(Norm::kNatDstPort));
  number_field(w, "bytes_sent", n.get(Norm::kBytesSent));
  number_field(w, "bytes_received", n.get(Norm::kBytesReceived));
  duration_field(w, n.get(Norm::kDuration), n.get(Norm::kDurationMs));
  text_field(w, "url", n.get(Norm::kUrl));
  text_field(w, "host", n.get(Norm::kHost));
  text_field(w, "method", n.get(Norm::kMethod));
  number_field(w, "status", n.get(Norm::kStatus));
  text_field(w, "user_agent", n.get(Norm::kUserAgent));
  text_field(w, "user", n.get(Norm::kUser));
  text_field(w, "rule", n.get(Norm::kRule));
  text_field(w, "threat", n.get(Norm::kThreat));
  text_field(w, "severity", n.get(Norm::kSeverity));
  text_field(w, "file_name", n.get(Norm::kFileName));
  text_field(w, "file_hash", n.get(Norm::kFileHash));
  text_field(w, "message", n.get(Norm::kMessage));
  w.key("fields").begin_object();
  // The syslog envelope, then every vendor field as text (first of a repeated name wins;
  // unnamed positional values are "_1", "_2", …).
  if (p.env.present) {
    if (p.env.pri) {
      char buf[8];
      auto r = std::to_chars(buf, buf + sizeof buf, *p.env.pri);
      w.field("syslog.pri", std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    }
    text_field(w, "syslog.time", p.env.time_text);
    text_field(w, "syslog.host", p.env.host);
    text_field(w, "syslog.app", p.env.app);
    text_field(w, "syslog.procid", p.env.procid);
    text_field(w, "syslog.msgid", p.env.msgid);
    text_field(w, "syslog.structured_data", p.env.structured);
  }
  const std::size_t count = p.fields.size();
  FirstNames& names = first_names();
  names.next_record();
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view key = p.fields[i].key;
    if (key.empty()) {
      char buf[24];
      buf[0] = '_';
      auto r = std::to_chars(buf + 1, buf + sizeof buf, i + 1);
      key = arena.keep(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    } else if (count <= FirstNames::kMaxFields && !names.first(p.fields, i)) {
      continue;
    }
    w.field(key, p.fields[i].value);
  }
  w.end_object();
  w.field("raw", raw);
  w.end_object();
  w.end_line();
}

}  // namespace kk::netlog
