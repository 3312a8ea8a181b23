// parse-netlog records (firewall, proxy, UTM, IDS, AV logs joined to the PC by triage
// --netlog) → one event per line: traffic as network_connection (remote_access when an
// outside address reached a remote-access port of the PC), detections as av_detection.
#include "core/product_labels.hpp"
#include "timeline/mapper.hpp"

namespace kk::timeline {

namespace {

bool remote_access_port(std::int64_t port) {
  // RDP, SSH, Telnet, VNC, WinRM, SMB, RPC: how intruders reach a PC from outside.
  for (std::int64_t p : {3389, 22, 23, 5900, 5985, 5986, 445, 135})
    if (port == p) return true;
  return false;
}

bool is_sha256(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

}  // namespace

void map_netlog(element rec, Event& ev, MapContext& ctx) {
  std::string_view product = str(rec, "product");
  std::string data_type = "network:netlog:" + std::string(product);
  ev.set_data_type(data_type);
  std::string_view t = str(rec, "time");
  auto when = t.empty() ? std::nullopt : parse_record_time(t);
  if (!when) return;  // untimed lines stay in records/netlog.jsonl
  ev.set_time(*when, "Network Log Recorded");
  // What the customer calls it ("FortiGate"): the event's text and the findings' summaries
  // are read in the notice; the data type keeps the id.
  const std::string_view label = product_label(product);
  ev.set(Field::kProduct, label);
  ev.set(Field::kSrcIp, str(rec, "src_ip"));
  ev.set(Field::kDstIp, str(rec, "dst_ip"));
  if (auto p = integer(rec, "src_port")) ev.set(Field::kSrcPort, *p);
  auto dport = integer(rec, "dst_port");
  if (dport) ev.set(Field::kDstPort, *dport);
  ev.set(Field::kProtocol, str(rec, "protocol"));
  ev.set(Field::kDstHost, str(rec, "host"));
  ev.set(Field::kUrl, str(rec, "url"));
  ev.set(Field::kUser, str(rec, "user"));
  ev.set(Field::kAction, str(rec, "action"));
  std::string_view threat = str(rec, "threat");
  ev.set(Field::kThreat, threat);
  ev.set(Field::kThreatSeverity, str(rec, "severity"));
  std::string_view file = str(rec, "file_name");
  if (!file.empty()) {
    ev.set(Field::kPath, file);
    ev.set(Field::kFileName, base_name(file));
  }
  std::string_view hash = str(rec, "file_hash");
  if (is_sha256(hash)) ev.set(Field::kSha256, hash);
  std::string& d = ev.details();
  for (std::string_view k :
       {"line", "log_type", "format", "direction", "rule", "bytes_sent", "bytes_received",
        "duration", "method", "status", "user_agent", "message", "fields"})
    if (auto v = member(rec, k)) append_detail(d, k, *v);
  MessageArgs args = event_args(ev);
  args.add("product", label).add("action", str(rec, "action"));
  if (!threat.empty()) {
    ev.tag(Tag::kAvDetection);
    ctx.say(ev, "netlog.detection", args);
  } else {
    ev.tag(Tag::kNetworkConnection);
    if (str(rec, "direction") == "inbound" && dport && remote_access_port(*dport) &&
        str(rec, "action") == "allow")
      ev.tag(Tag::kRemoteAccess);
    ctx.say(ev, "netlog.traffic", args);
  }
  ctx.emit(ev);
}

// A netlog_beacon record (regular connections out to one destination, found across the
// network logs): one event at its first contact, for the detect rule and the timeline.
void map_netlog_beacon(element rec, Event& ev, MapContext& ctx) {
  ev.set_data_type("network:netlog:beacon");
  std::string_view t = str(rec, "first");
  auto when = t.empty() ? std::nullopt : parse_record_time(t);
  if (!when) return;
  ev.set_time(*when, "Regular Connections Began");
  ev.set(Field::kSrcIp, str(rec, "src_ip"));
  ev.set(Field::kDstIp, str(rec, "dst_ip"));
  ev.set(Field::kDstHost, str(rec, "host"));
  if (auto p = integer(rec, "dst_port")) ev.set(Field::kDstPort, *p);
  ev.tag(Tag::kNetworkConnection);
  std::string& d = ev.details();
  for (std::string_view k :
       {"line", "connections", "lines", "last", "median_interval_s", "jitter", "regular_share"})
    if (auto v = member(rec, k)) append_detail(d, k, *v);
  MessageArgs args = event_args(ev);
  std::string interval, connections;
  if (auto v = member(rec, "median_interval_s")) interval = scalar_text(*v);
  if (auto v = member(rec, "connections")) connections = scalar_text(*v);
  args.add("interval", interval).add("connections", connections).add("last", str(rec, "last"));
  ctx.say(ev, "netlog.beacon", args);
  ctx.emit(ev);
}

// A netlog_volume record (an hour in which the network logs show the PC sending unusually
// much, with SRUM's figure for the same hour): one event at the hour's start.
void map_netlog_volume(element rec, Event& ev, MapContext& ctx) {
  ev.set_data_type("network:netlog:volume");
  std::string_view t = str(rec, "time");
  auto when = t.empty() ? std::nullopt : parse_record_time(t);
  if (!when) return;
  ev.set_time(*when, "Unusual Volume Out");
  ev.set(Field::kProcess, str(rec, "srum_top_app"));
  ev.tag(Tag::kNetworkConnection);
  std::string& d = ev.details();
  for (std::string_view k : {"line", "bytes_sent", "lines", "median_hour_bytes", "srum_bytes_sent",
                             "srum_top_app", "srum_top_app_bytes", "srum_present"})
    if (auto v = member(rec, k)) append_detail(d, k, *v);
  MessageArgs args = event_args(ev);
  std::string sent, srum;
  if (auto v = member(rec, "bytes_sent")) sent = scalar_text(*v);
  if (auto v = member(rec, "srum_bytes_sent")) srum = scalar_text(*v);
  args.add("bytes", sent).add("srum_bytes", srum).add("app", str(rec, "srum_top_app"));
  ctx.say(ev, "netlog.volume", args);
  ctx.emit(ev);
}

}  // namespace kk::timeline
