// Reading one triaged PC folder for the case notice: notice.json (verdicts, IOCs, the
// window), run.json (the bundle's host names) and records/ (the PC's own addresses and the
// logons that name a source address). Only reads; a damaged file is reported and skipped.
#include "casedocs/pc_reader.hpp"

#include <algorithm>

#include "core/ascii_case.hpp"
#include "core/jsonl_reader.hpp"
#include "notice/notice.hpp"
#include "triage/netlog_stage.hpp"

namespace kk::casedocs {

namespace {

constexpr std::size_t kMaxNoticeJson = 256u << 20;  // a notice.json is a few hundred KiB
constexpr std::size_t kMaxLogonCandidates = 100000;

std::optional<UtcMicros> time_of(simdjson::dom::element e, std::string_view key) {
  std::string_view s;
  if (e[key].get(s) != simdjson::SUCCESS) return std::nullopt;
  auto t = parse_user_time(s, "UTC");
  if (!t) return std::nullopt;
  return *t;
}

std::optional<std::int64_t> int_of(simdjson::dom::element e, std::string_view key) {
  std::int64_t v = 0;
  if (e[key].get(v) != simdjson::SUCCESS) return std::nullopt;
  return v;
}

}  // namespace

notice::EvidenceRef evidence_from_json(simdjson::dom::element e) {
  notice::EvidenceRef r;
  r.artifact = std::string(json_str(e, "artifact"));
  r.source = std::string(json_str(e, "source"));
  r.record_id = int_of(e, "record_id");
  r.offset = int_of(e, "offset");
  r.entry = int_of(e, "entry");
  r.event_id = int_of(e, "event_id");
  r.time = time_of(e, "time");
  r.summary = std::string(json_str(e, "summary"));
  r.finding_id = std::string(json_str(e, "finding"));
  return r;
}

bool read_pc_notice(const std::string& folder, PcNotice& out, std::string* problem) {
  std::string text, error;
  const std::string path = folder + "/notice.json";
  if (!notice::read_small_file(path, kMaxNoticeJson, &text, &error)) {
    *problem = error;
    return false;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text).get(root) != simdjson::SUCCESS || !root.is_object()) {
    *problem = path + ": not a JSON object";
    return false;
  }
  out.host = std::string(json_str(root, "host"));
  out.case_id = std::string(json_str(root, "case_id"));
  out.overall = std::string(json_str(root, "overall"));
  simdjson::dom::element window;
  if (root["window"].get(window) == simdjson::SUCCESS) {
    out.window_start = time_of(window, "start");
    out.window_end = time_of(window, "end");
  }
  simdjson::dom::array arr;
  if (root["suspects"].get(arr) == simdjson::SUCCESS)
    for (auto v : arr) {
      std::string_view s;
      if (v.get(s) == simdjson::SUCCESS) out.suspects.emplace_back(s);
    }
  if (root["questions"].get(arr) == simdjson::SUCCESS)
    for (auto q : arr) {
      PcNotice::Question pq;
      pq.id = std::string(json_str(q, "id"));
      pq.verdict = std::string(json_str(q, "verdict"));
      simdjson::dom::array ev;
      if (q["evidence"].get(ev) == simdjson::SUCCESS)
        for (auto e : ev) pq.evidence.push_back(evidence_from_json(e));
      out.questions.push_back(std::move(pq));
    }
  if (root["iocs"].get(arr) == simdjson::SUCCESS)
    for (auto i : arr) {
      notice::IocModel ioc;
      ioc.type = std::string(json_str(i, "type"));
      ioc.value = std::string(json_str(i, "value"));
      ioc.scope = std::string(json_str(i, "scope"));
      ioc.first_seen = time_of(i, "first_seen");
      simdjson::dom::array ev;
      if (i["evidence"].get(ev) == simdjson::SUCCESS)
        for (auto e : ev) ioc.evidence.push_back(evidence_from_json(e));
      if (!ioc.type.empty() && !ioc.value.empty()) out.iocs.push_back(std::move(ioc));
    }
  simdjson::dom::element counts;
  if (root["counts"].get(counts) == simdjson::SUCCESS) out.findings = json_int(counts, "findings");
  return true;
}

namespace {

bool usable_source_ip(std::string_view ip) {
  return !ip.empty() && ip != "-" && ip != "::1" && ip != "127.0.0.1" && ip != "0.0.0.0" &&
         ip != "::" && ip != "LOCAL";
}

void read_records(const std::string& path, std::string_view own_name, triage::OwnAddresses& own,
                  PcNetwork& net, Diagnostics& diag) {
  JsonlReader r;
  std::string error;
  if (!r.open(path, &error)) return;  // absent: the bundle had no such artifact
  simdjson::dom::element rec;
  while (r.next(&rec, &error)) {
    if (!error.empty()) {
      error.clear();
      continue;  // triage reported it when it wrote the file
    }
    own.observe(rec);
    if (json_str(rec, "artifact") != "evtx") continue;
    const std::int64_t id = json_int(rec, "event_id");
    const std::string_view channel = json_str(rec, "channel");
    simdjson::dom::element data;
    if (rec["data"].get(data) != simdjson::SUCCESS) continue;
    Logon l;
    if ((id == 4624 || id == 4625) && channel == "Security") {
      l.ip = std::string(json_str(data, "IpAddress"));
      l.user = std::string(json_str(data, "TargetUserName"));
      l.logon_type = json_int(data, "LogonType", -1);
      l.workstation = std::string(json_str(data, "WorkstationName"));
      if (l.workstation == "-" || iequals(l.workstation, own_name)) l.workstation.clear();
    } else if (id == 1149 && channel.find("RemoteConnectionManager") != std::string_view::npos) {
      // UserData EventXML {Param1 user, Param2 domain, Param3 source address}.
      l.ip = std::string(json_str(data, "Param3"));
      l.user = std::string(json_str(data, "Param1"));
      l.logon_type = 10;
    } else {
      continue;
    }
    if (!usable_source_ip(l.ip)) l.ip.clear();
    if (l.ip.empty() && l.workstation.empty()) continue;
    if (net.logons.size() >= kMaxLogonCandidates) {
      ++net.logons_dropped;
      continue;
    }
    l.event_id = id;
    l.ref.artifact = "evtx";
    l.ref.source = std::string(json_str(rec, "source"));
    l.ref.record_id = json_int(rec, "record_id");
    l.ref.event_id = id;
    l.ref.time = time_of(rec, "time");
    net.logons.push_back(std::move(l));
  }
  if (net.logons_dropped > 0)
    diag.warning(path, std::nullopt,
                 std::to_string(net.logons_dropped) +
                     " logon(s) with a source address beyond the "
                     "first " +
                     std::to_string(kMaxLogonCandidates) + " were not compared");
}

}  // namespace

std::optional<notice::EvidenceRef> earliest_finding_record(const std::string& folder,
                                                           std::optional<UtcMicros> start,
                                                           std::optional<UtcMicros> end) {
  std::optional<notice::EvidenceRef> best;
  JsonlReader r;
  std::string error;
  if (!r.open(folder + "/findings.jsonl", &error)) return best;
  simdjson::dom::element f;
  while (r.next(&f, &error)) {
    if (!error.empty()) {
      error.clear();
      continue;
    }
    const std::string_view severity = json_str(f, "severity");
    if (severity != "critical" && severity != "high" && severity != "medium") continue;
    simdjson::dom::array ev;
    if (f["evidence"].get(ev) != simdjson::SUCCESS) continue;
    for (auto e : ev) {
      notice::EvidenceRef ref = evidence_from_json(e);
      if (!ref.time || (start && *ref.time < *start) || (end && *ref.time > *end)) continue;
      if (best && *best->time <= *ref.time) continue;
      ref.finding_id = std::string(json_str(f, "id"));
      best = std::move(ref);
    }
  }
  return best;
}

PcNetwork read_pc_network(const std::string& folder, std::string_view own_name, Diagnostics& diag) {
  PcNetwork net;
  triage::OwnAddresses own;
  read_records(folder + "/records/network_interface.jsonl", own_name, own, net, diag);
  read_records(folder + "/records/evtx.jsonl", own_name, own, net, diag);
  net.own_ips = own.addresses();
  net.origin = std::string(own.origin());
  return net;
}

}  // namespace kk::casedocs
