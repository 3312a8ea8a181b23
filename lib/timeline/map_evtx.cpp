// EVTX records → one "Event Recorded" event each (docs/records.md, "Timeline event").
#include <cctype>
#include <utility>

#include "core/ascii_case.hpp"
#include "timeline/evtx_data.hpp"

namespace kk::timeline {

std::optional<element> DataView::find(std::string_view name) const {
  if (!data_ || !data_->is_object()) return std::nullopt;
  if (auto v = member(*data_, name)) return v;
  for (auto [k, v] : simdjson::dom::object(*data_)) {
    (void)k;
    if (v.is_object())
      if (auto inner = member(v, name)) return inner;
  }
  return std::nullopt;
}

std::string DataView::s(std::string_view name) const {
  auto v = find(name);
  if (!v) return {};
  std::string t = scalar_text(*v);
  if (t == "-" || (t.size() > 2 && t[0] == '%' && t[1] == '%')) t.clear();
  return t;
}

std::optional<std::int64_t> DataView::i(std::string_view name) const {
  auto v = find(name);
  return v ? to_integer(*v) : std::nullopt;
}

std::string DataView::positional(std::size_t n) const {
  auto arr = find("Data");
  if (!arr || !arr->is_array()) return {};
  std::size_t k = 0;
  for (element x : simdjson::dom::array(*arr))
    if (k++ == n) return scalar_text(x);
  return {};
}

void set_if(Event& ev, Field f, const std::string& v) {
  if (!v.empty()) ev.set(f, v);
}
void set_if(Event& ev, Field f, std::optional<std::int64_t> v) {
  if (v) ev.set(f, *v);
}

void set_path(Event& ev, const std::string& path) {
  if (path.empty()) return;
  ev.set(Field::kPath, path);
  ev.set(Field::kFileName, base_name(path));
}

void set_hashes(Event& ev, std::string_view hashes) {
  // "SHA1=AB…,MD5=CD…,SHA256=EF…,IMPHASH=01…" (Sysmon); values are written lower-case.
  while (!hashes.empty()) {
    std::size_t comma = hashes.find(',');
    std::string_view item = hashes.substr(0, comma);
    hashes = comma == std::string_view::npos ? std::string_view() : hashes.substr(comma + 1);
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    std::string algo(item.substr(0, eq));
    std::string value = ascii_lower(item.substr(eq + 1));
    for (auto& c : algo) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (algo == "MD5")
      ev.set(Field::kMd5, value);
    else if (algo == "SHA1")
      ev.set(Field::kSha1, value);
    else if (algo == "SHA256")
      ev.set(Field::kSha256, value);
    else if (algo == "IMPHASH")
      ev.set(Field::kImphash, value);
  }
}

bool is_local_address(std::string_view ip) {
  return ip.empty() || ip == "-" || ip == "127.0.0.1" || ip == "::1" || ip == "0.0.0.0" ||
         ip == "LOCAL" || ip == "::ffff:127.0.0.1";
}

namespace {
EvtxHandler find_handler(std::string_view provider, std::int64_t id) {
  if (provider == "Microsoft-Windows-Security-Auditing") return find_security_handler(id);
  if (provider == "Microsoft-Windows-Sysmon") return find_sysmon_handler(id);
  return find_app_handler(provider, id);
}

// "{channel} {event_id} ({provider}): Name=value, …" from the first few data values.
void generic_message(const DataView& d, Event& ev, MapContext& ctx) {
  std::string summary;
  if (auto data = d.raw(); data && data->is_object()) {
    int n = 0;
    for (auto [k, v] : simdjson::dom::object(*data)) {
      std::string t = v.is_object() || v.is_array() ? simdjson::minify(v) : scalar_text(v);
      if (t.empty() || t == "-") continue;
      if (t.size() > 80) t = t.substr(0, 77) + "...";
      if (!summary.empty()) summary += ", ";
      summary.append(k).append("=").append(t);
      if (++n == 4) break;
    }
  }
  MessageArgs args = event_args(ev);
  args.add("summary", summary);
  ctx.say(ev, "evtx.generic", args);
}
}  // namespace

void map_evtx(element rec, Event& ev, MapContext& ctx) {
  auto t = time_member(rec, "time");
  if (!t) return;
  ev.set_data_type("windows:evtx:record");
  ev.set_time(*t, "Event Recorded");
  set_if(ev, Field::kRecordId, integer(rec, "record_id"));
  set_if(ev, Field::kOffset, integer(rec, "offset"));
  if (boolean(rec, "recovered").value_or(false)) ev.set_bool(Field::kRecovered, true);
  std::optional<std::int64_t> id = integer(rec, "event_id");
  set_if(ev, Field::kEventId, id);
  std::string_view provider = str(rec, "provider");
  ev.set(Field::kChannel, str(rec, "channel"));
  ev.set(Field::kProvider, provider);
  set_if(ev, Field::kLevel, integer(rec, "level"));

  DataView d(member(rec, "data"));
  std::string& details = ev.details();
  if (auto data = d.raw()) append_details(details, "", *data);
  static constexpr std::pair<std::string_view, std::string_view> kSystem[] = {
      {"task", "evtx.task"},           {"opcode", "evtx.opcode"},
      {"keywords", "evtx.keywords"},   {"process_id", "evtx.process_id"},
      {"thread_id", "evtx.thread_id"}, {"user_sid", "evtx.user_sid"},
      {"chunk", "evtx.chunk"},         {"record_time", "evtx.record_time"}};
  for (const auto& [k, detail] : kSystem)
    if (auto v = member(rec, k)) append_detail(details, detail, *v);

  EvtxHandler h = id ? find_handler(provider, *id) : nullptr;
  if (h) h(rec, d, ev, ctx);
  // The record's System/Security UserID, when the handler found no better account.
  if (!ev.has(Field::kSid)) ev.set(Field::kSid, str(rec, "user_sid"));
  if (ev.message().empty()) generic_message(d, ev, ctx);
  ctx.emit(ev);
}

}  // namespace kk::timeline
