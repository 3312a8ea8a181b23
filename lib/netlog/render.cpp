#include "netlog/render.hpp"

#include <charconv>
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
  // Repeated names: compared by a hash of the name first (most lines have none).
  thread_local std::vector<std::uint64_t> hashes;
  hashes.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::uint64_t kh = 1469598103934665603ULL ^ p.fields[i].key.size();
    for (char c : p.fields[i].key) kh = (kh ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    hashes[i] = kh;
  }
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view key = p.fields[i].key;
    if (key.empty()) {
      char buf[24];
      buf[0] = '_';
      auto r = std::to_chars(buf + 1, buf + sizeof buf, i + 1);
      key = arena.keep(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    } else if (count <= 512) {
      bool dup = false;
      for (std::size_t j = 0; j < i && !dup; ++j)
        dup = hashes[j] == hashes[i] && p.fields[j].key == key;
      if (dup) continue;
    }
    w.field(key, p.fields[i].value);
  }
  w.end_object();
  w.field("raw", raw);
  w.end_object();
  w.end_line();
}

}  // namespace kk::netlog
