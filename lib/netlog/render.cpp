#include "netlog/render.hpp"

#include <array>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/json_writer.hpp"
#include "core/time.hpp"

namespace kk::netlog {

namespace {

// The record is written straight into the output buffer: render_record reserves a bound of
// what it can write (every string escaped at its worst, json_string_bound) and writes with
// no check or std::string growth per piece — a record has ~80 strings, and appending them
// one by one (a stack buffer, then std::string::append) was a third of parse-netlog's time.
struct Cursor {
  char* p;
  const JsonEscapeMap& map;
  template <std::size_t N>
  void lit(const char (&s)[N]) {  // a literal: keys, punctuation (nothing to escape)
    std::memcpy(p, s, N - 1);
    p += N - 1;
  }
  void str(std::string_view s) { p = map.write(p, s); }
  void u64(std::uint64_t v) { p = std::to_chars(p, p + 20, v).ptr; }
};
// Bytes of a record besides its strings: the literal keys and punctuation (~700), numbers,
// the time, the duration.
constexpr std::size_t kFixedBound = 2048;
// Per vendor field besides its key and value: ',', ':' and an unnamed field's "_N" key.
constexpr std::size_t kPerFieldBound = 32;

// Unsigned integer fields (ports, bytes, status): written as numbers when they are.
bool as_number(std::string_view v, std::uint64_t& n) {
  if (v.empty() || v.size() > 19) return false;
  auto r = std::from_chars(v.data(), v.data() + v.size(), n);
  return r.ec == std::errc() && r.ptr == v.data() + v.size();
}

template <std::size_t N>
void number_field(Cursor& c, const char (&key)[N], std::string_view v) {
  std::uint64_t n = 0;
  if (!as_number(v, n)) return;
  c.lit(key);
  c.u64(n);
}

template <std::size_t N>
void text_field(Cursor& c, const char (&key)[N], std::string_view v) {
  if (v.empty()) return;
  c.lit(key);
  c.str(v);
}

// As JsonWriter::number: "%.17g", null when not finite. By to_chars, which the standard
// defines as printf's "%.*g" with that precision, without snprintf's format parsing (its
// ~2,000 instructions a call were 0.8 % of the tool for the few lines with a duration).
void number(Cursor& c, double d) {
  if (std::isfinite(d))
    c.p = std::to_chars(c.p, c.p + 32, d, std::chars_format::general, 17).ptr;
  else
    c.lit("null");
}

// Seconds as a number: "16", "0.25"; milliseconds divided.
void duration_field(Cursor& c, std::string_view secs, std::string_view millis) {
  double d = 0;
  if (!secs.empty()) {
    auto r = std::from_chars(secs.data(), secs.data() + secs.size(), d);
    if (r.ec == std::errc() && r.ptr == secs.data() + secs.size() && d >= 0) {
      c.lit(",\"duration\":");
      number(c, d);
    }
  } else if (!millis.empty()) {
    auto r = std::from_chars(millis.data(), millis.data() + millis.size(), d);
    if (r.ec == std::errc() && r.ptr == millis.data() + millis.size() && d >= 0) {
      c.lit(",\"duration\":");
      number(c, d / 1000.0);
    }
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
  bool first(const FieldList& fields, std::size_t i) {
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
  // The length and the first, last and (past 16 bytes) middle 8 bytes, by overlapping loads
  // without a loop: a name is at most a few loads wherever it is long, and a collision only
  // costs one comparison more (a repeat is always confirmed by comparing the names).
  static std::size_t hash(std::string_view s) {
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
    const char* d = s.data();
    const std::size_t n = s.size();
    std::uint64_t a = 0, b = 0;
    if (n >= 8) {
      std::memcpy(&a, d, 8);
      std::memcpy(&b, d + n - 8, 8);
      if (n > 16) {
        std::uint64_t m;
        std::memcpy(&m, d + n / 2 - 4, 8);
        b ^= m * kMul;
      }
    } else if (n >= 4) {
      std::uint32_t lo, hi;
      std::memcpy(&lo, d, 4);
      std::memcpy(&hi, d + n - 4, 4);
      a = lo;
      b = hi;
    } else if (n > 0) {
      a = static_cast<unsigned char>(d[0]) | static_cast<unsigned char>(d[n / 2]) << 8 |
          static_cast<unsigned char>(d[n - 1]) << 16;
    }
    std::uint64_t h = (a ^ (n * kMul)) * kMul;
    h = (h ^ (h >> 29) ^ b) * kMul;
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

std::size_t record_bound(const RecordHead& h, const Normalized& n, const ParsedLine& p,
                         std::string_view raw) {
  std::size_t b = kFixedBound;
  for (std::string_view v :
       {h.source, h.product, h.log_type, h.format, h.direction, n.action, p.env.time_text,
        p.env.host, p.env.app, p.env.procid, p.env.msgid, p.env.structured, raw})
    b += json_string_bound(v.size());
  for (std::string_view v : n.v) b += json_string_bound(v.size());
  for (const Field& f : p.fields)
    b += kPerFieldBound + json_string_bound(f.key.size()) + json_string_bound(f.value.size());
  return b;
}

void render_record(OutBuffer& out, const RecordHead& h, const Normalized& n, const ParsedLine& p,
                   std::string_view raw) {
  JsonEscapeMap none;
  none.build({});
  render_record(out, h, n, p, raw, none);
}

void render_record(OutBuffer& out, const RecordHead& h, const Normalized& n, const ParsedLine& p,
                   std::string_view raw, const JsonEscapeMap& map) {
  const std::size_t bound = record_bound(h, n, p, raw);
  char* const start = out.room(bound);
  Cursor c{start, map};
  c.lit("{\"artifact\":\"netlog\",\"source\":");
  c.str(h.source);
  c.lit(",\"line\":");
  c.u64(h.line);
  c.lit(",\"offset\":");
  c.u64(h.offset);
  c.lit(",\"product\":");
  c.str(h.product);
  c.lit(",\"log_type\":");
  c.str(h.log_type);
  c.lit(",\"format\":");
  c.str(h.format);
  c.lit(",\"time\":");
  if (h.time) {
    thread_local std::string iso;
    iso.clear();
    append_iso(iso, *h.time);
    *c.p++ = '"';
    std::memcpy(c.p, iso.data(), iso.size());
    c.p += iso.size();
    *c.p++ = '"';
  } else {
    c.lit("null");
  }
  text_field(c, ",\"direction\":", h.direction);
  if (h.seen_on_pc) c.lit(",\"seen_on_pc\":true");
  text_field(c, ",\"action\":", n.action);
  text_field(c, ",\"src_ip\":", n.get(Norm::kSrcIp));
  number_field(c, ",\"src_port\":", n.get(Norm::kSrcPort));
  text_field(c, ",\"dst_ip\":", n.get(Norm::kDstIp));
  number_field(c, ",\"dst_port\":", n.get(Norm::kDstPort));
  text_field(c, ",\"protocol\":", n.get(Norm::kProtocol));
  text_field(c, ",\"nat_src_ip\":", n.get(Norm::kNatSrcIp));
  number_field(c, ",\"nat_src_port\":", n.get(Norm::kNatSrcPort));
  text_field(c, ",\"nat_dst_ip\":", n.get(Norm::kNatDstIp));
  number_field(c, ",\"nat_dst_port\":", n.get(Norm::kNatDstPort));
  number_field(c, ",\"bytes_sent\":", n.get(Norm::kBytesSent));
  number_field(c, ",\"bytes_received\":", n.get(Norm::kBytesReceived));
  duration_field(c, n.get(Norm::kDuration), n.get(Norm::kDurationMs));
  text_field(c, ",\"url\":", n.get(Norm::kUrl));
  text_field(c, ",\"host\":", n.get(Norm::kHost));
  text_field(c, ",\"method\":", n.get(Norm::kMethod));
  number_field(c, ",\"status\":", n.get(Norm::kStatus));
  text_field(c, ",\"user_agent\":", n.get(Norm::kUserAgent));
  text_field(c, ",\"user\":", n.get(Norm::kUser));
  text_field(c, ",\"rule\":", n.get(Norm::kRule));
  text_field(c, ",\"threat\":", n.get(Norm::kThreat));
  text_field(c, ",\"severity\":", n.get(Norm::kSeverity));
  text_field(c, ",\"file_name\":", n.get(Norm::kFileName));
  text_field(c, ",\"file_hash\":", n.get(Norm::kFileHash));
  text_field(c, ",\"message\":", n.get(Norm::kMessage));
  c.lit(",\"fields\":{");
  // The syslog envelope, then every vendor field as text (first of a repeated name wins;
  // unnamed positional values are "_1", "_2", …).
  bool first = true;
  auto member = [&] {
    if (!first) *c.p++ = ',';
    first = false;
  };
  auto env_field = [&]<std::size_t N>(const char(&key)[N], std::string_view v) {
    if (v.empty()) return;
    member();
    c.lit(key);
    c.str(v);
  };
  if (p.env.present) {
    if (p.env.pri) {
      member();
      c.lit("\"syslog.pri\":\"");
      c.p = std::to_chars(c.p, c.p + 12, *p.env.pri).ptr;
      *c.p++ = '"';
    }
    env_field("\"syslog.time\":", p.env.time_text);
    env_field("\"syslog.host\":", p.env.host);
    env_field("\"syslog.app\":", p.env.app);
    env_field("\"syslog.procid\":", p.env.procid);
    env_field("\"syslog.msgid\":", p.env.msgid);
    env_field("\"syslog.structured_data\":", p.env.structured);
  }
  const std::size_t count = p.fields.size();
  FirstNames& names = first_names();
  names.next_record();
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view key = p.fields[i].key;
    if (key.empty()) {
      member();
      c.lit("\"_");
      c.u64(i + 1);
      *c.p++ = '"';
    } else if (count <= FirstNames::kMaxFields && !names.first(p.fields, i)) {
      continue;
    } else {
      member();
      c.str(key);
    }
    *c.p++ = ':';
    c.str(p.fields[i].value);
  }
  c.lit("},\"raw\":");
  c.str(raw);
  c.lit("}\n");
  assert(static_cast<std::size_t>(c.p - start) <= bound);
  out.commit(c.p);
}

}  // namespace kk::netlog
