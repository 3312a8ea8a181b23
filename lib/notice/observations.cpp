#include "notice/observations.hpp"

#include <algorithm>

#include "core/ascii_case.hpp"
#include "core/jsonl_reader.hpp"
#include "core/time.hpp"
#include "core/url_parts.hpp"

namespace kk::notice {

namespace {

using K = ObservationKind;

// What decides an event's kind: read first, cheaply, before the full record.
struct Head {
  std::string_view artifact, provider, timestamp_desc, message;
  std::optional<std::int64_t> event_id;
  std::vector<std::string_view> tags, usn_reasons;
  bool tag(std::string_view t) const {
    return std::find(tags.begin(), tags.end(), t) != tags.end();
  }
  bool reason(std::string_view r) const {
    return std::find(usn_reasons.begin(), usn_reasons.end(), r) != usn_reasons.end();
  }
  bool provider_has(std::string_view p) const {
    return ascii_lower(provider).find(p) != std::string::npos;
  }
};

std::vector<std::string_view> views_of(simdjson::dom::element e, std::string_view key) {
  std::vector<std::string_view> out;
  simdjson::dom::array arr;
  if (e[key].get(arr) != simdjson::SUCCESS) return out;
  for (auto v : arr) {
    std::string_view s;
    if (v.get(s) == simdjson::SUCCESS) out.push_back(s);
  }
  return out;
}

std::optional<std::int64_t> int_field(simdjson::dom::element e, std::string_view key) {
  std::int64_t v;
  if (e[key].get(v) == simdjson::SUCCESS) return v;
  return std::nullopt;
}

// The classifiers, one per artifact. Each returns the kind to file the event under (or
// nothing) and names the data it saw, so a verdict can tell "looked, found nothing" from
// "had nothing to look at".
using Saw = std::vector<std::string_view>;

std::optional<K> from_evtx(const Head& h, Saw& saw) {
  const std::int64_t id = h.event_id.value_or(-1);
  if (h.provider_has("sysmon")) {
    saw.push_back("sysmon");
    switch (id) {
      case 1:
        saw.push_back("sysmon_process");
        return K::kProcessStart;
      case 11:
        saw.push_back("sysmon_file");
        return K::kFileWrite;
      case 15:
        saw.push_back("sysmon_file");
        return K::kDownloadMark;
      case 23:
      case 26:
        return K::kFileDelete;
      case 3:
      case 22:
        return K::kNetwork;
      case 12:
      case 13:
      case 14:
        if (!h.tag("persistence")) return std::nullopt;
        // A service's ImagePath written: a service was installed (PSEXESVC, …).
        if (ascii_lower(h.message).find("\\services\\") != std::string::npos &&
            ascii_lower(h.message).find("imagepath") != std::string::npos)
          return K::kServiceInstall;
        return K::kAutorun;
      case 19:
      case 20:
      case 21:
        return K::kWmiPersistence;
      default:
        return std::nullopt;
    }
  }
  if (h.provider_has("security-auditing")) {
    saw.push_back("security");
    switch (id) {
      case 4688:
        saw.push_back("security_4688");
        return K::kProcessStart;
      case 4624:
        saw.push_back("security_logon");
        return K::kLogon;
      case 4625:
        saw.push_back("security_logon");
        return K::kLogonFailure;
      case 4697:
        return K::kServiceInstall;
      case 4698:
      case 4702:
        return K::kTaskCreated;
      case 4720:
      case 4722:
      case 4724:
      case 4728:
      case 4732:
      case 4756:
        return K::kAccountChange;
      case 1102:  // (1100, "event logging service shut down", is every shutdown)
        return K::kLogCleared;
      default:
        return std::nullopt;
    }
  }
  if (h.provider_has("eventlog")) {
    if (id == 104 || id == 1102) return K::kLogCleared;
    return std::nullopt;
  }
  if (h.provider_has("service control manager")) {
    saw.push_back("system");
    if (id == 7045) return K::kServiceInstall;
    // The Event Log service stopped: logging was switched off (T1562.002).
    if (id == 7036 && ascii_lower(h.message).find("event log") != std::string::npos &&
        ascii_lower(h.message).find("stopped") != std::string::npos)
      return K::kLogCleared;
    return std::nullopt;
  }
  if (h.provider_has("windows defender")) {
    saw.push_back("defender");
    if (h.tag("av_detection")) return K::kAvDetection;
    if (h.tag("av_tampering")) return K::kAvTamper;
    return std::nullopt;
  }
  if (h.provider_has("terminalservices")) {
    saw.push_back("rdp");
    if (id == 21 || id == 22 || id == 25 || id == 1149) return K::kLogon;
    return std::nullopt;
  }
  if (h.provider_has("taskscheduler")) {
    saw.push_back("task_scheduler");
    if (id == 106 || id == 140) return K::kTaskCreated;
    return std::nullopt;
  }
  if (h.provider_has("wmi-activity"))
    return id == 5861 ? std::optional<K>(K::kWmiPersistence) : std::nullopt;
  if (h.provider_has("powershell")) {
    saw.push_back("powershell");
    if (id == 4104 || id == 4103 || id == 400 || id == 800) return K::kScriptBlock;
    return std::nullopt;
  }
  if (h.provider_has("bits-client")) return K::kNetwork;
  if (h.tag("usb_device")) return K::kUsb;
  if (h.tag("av_detection")) return K::kAvDetection;  // other vendors (Application log)
  if (h.tag("log_cleared")) return K::kLogCleared;
  return std::nullopt;
}

std::optional<K> from_mft(const Head& h, Saw& saw) {
  saw.push_back("mft");
  if (h.tag("timestomp")) return K::kTimestomp;
  if (h.tag("downloaded")) return K::kDownloadMark;
  if (h.tag("file_created")) return K::kFileWrite;
  return std::nullopt;
}

std::optional<K> from_usnjrnl(const Head& h, Saw& saw) {
  saw.push_back("usnjrnl");
  if (h.reason("FILE_CREATE")) return K::kFileWrite;
  if (h.reason("FILE_DELETE") || h.reason("RENAME_OLD_NAME")) return K::kFileDelete;
  return std::nullopt;
}

std::optional<K> from_execution_artifact(const Head& h, Saw& saw) {
  saw.push_back(h.artifact);
  return K::kProcessStart;
}

std::optional<K> from_presence_artifact(const Head& h, Saw& saw) {
  saw.push_back(h.artifact);
  // Amcache's PE link time is when the program was compiled: not an event on this machine.
  if (ascii_lower(h.timestamp_desc).find("link") != std::string::npos) return std::nullopt;
  return K::kProgramTrace;
}

// A browser cache entry (parse-browser, WebCache Content): a cached program or script (the
// record's `executable`, tagged "downloaded" by the timeline) came from the web as a
// download does; a cached page or image is no event the questions ask about.
std::optional<K> from_browser_cache(const Head& h, Saw& saw) {
  saw.push_back(h.artifact);
  if (h.tag("downloaded")) return K::kDownloadMark;
  return std::nullopt;
}

// A local account (parse-registry sam_user): its creation is an account change; its
// last logon or password change alone is not.
std::optional<K> from_sam_user(const Head& h, Saw& saw) {
  saw.push_back("sam");
  if (h.timestamp_desc == "Creation Time") return K::kAccountChange;
  return std::nullopt;
}

struct Classifier {
  std::string_view artifact;
  std::optional<K> (*classify)(const Head&, Saw&);
};

template <K kind>
std::optional<K> always(const Head& h, Saw& saw) {
  saw.push_back(h.artifact);
  return kind;
}

// Artifact -> classifier. A new record kind from a parser gets one line here (and, when
// it needs its own rules, one function above).
constexpr Classifier kClassifiers[] = {
    {"evtx", from_evtx},
    {"mft", from_mft},
    {"usnjrnl", from_usnjrnl},
    {"prefetch", from_execution_artifact},
    {"bam", from_execution_artifact},
    {"userassist", from_execution_artifact},
    {"amcache_file", from_presence_artifact},
    {"shimcache", from_presence_artifact},
    {"autorun", always<K::kAutorun>},
    {"service", always<K::kServiceInstall>},
    {"scheduled_task", always<K::kTaskCreated>},
    {"usb_device", always<K::kUsb>},
    {"usb_volume", always<K::kUsb>},
    {"sam_user", from_sam_user},
    {"browser_download", always<K::kDownloadMark>},
    {"browser_cache", from_browser_cache},
    {"netlog", always<K::kNetwork>},
    {"srum_network_usage", always<K::kNetwork>},
    {"wmi_consumer", always<K::kWmiPersistence>},
    {"wmi_binding", always<K::kWmiPersistence>},
};

Observation read_observation(simdjson::dom::element e, K kind, UtcMicros t) {
  Observation o;
  o.kind = kind;
  o.time = t;
  auto s = [&](std::string_view k) { return std::string(json_str(e, k)); };
  o.artifact = s("artifact");
  o.source = s("source");
  o.timestamp_desc = s("timestamp_desc");
  o.message = s("message");
  o.record_id = int_field(e, "record_id");
  o.offset = int_field(e, "offset");
  o.entry = int_field(e, "entry");
  o.event_id = int_field(e, "event_id");
  o.logon_type = int_field(e, "logon_type");
  o.dst_port = int_field(e, "dst_port");
  o.user = s("user");
  o.domain = s("domain");
  o.sid = s("sid");
  o.src_ip = s("src_ip");
  o.process = s("process");
  o.command_line = s("command_line");
  o.parent = s("parent");
  o.parent_command_line = s("parent_command_line");
  o.path = s("path");
  o.target_path = s("target_path");
  o.sha1 = s("sha1");
  o.sha256 = s("sha256");
  o.md5 = s("md5");
  o.url = s("url");
  o.dst_ip = s("dst_ip");
  o.dst_host = s("dst_host");
  o.service = s("service");
  o.task = s("task");
  o.key = s("key");
  o.value_data = s("value_data");
  o.threat = s("threat");
  o.zone_identifier = s("zone_identifier");
  o.provider = s("provider");
  o.channel = s("channel");
  o.group = s("group");
  o.target_user = s("target_user");
  for (auto v : views_of(e, "tags")) o.tags.emplace_back(v);
  for (auto v : views_of(e, "usn_reasons")) o.usn_reasons.emplace_back(v);
  // Registry values the timeline left in details (a long Sysmon 13 "Details"): read them
  // from the object, or take the whole text when details is one text field.
  if (o.value_data.empty() && (kind == K::kAutorun || kind == K::kServiceInstall ||
                               kind == K::kTaskCreated)) {
    simdjson::dom::element d;
    if (e["details"].get(d) == simdjson::SUCCESS) {
      std::string_view text;
      if (d.get(text) == simdjson::SUCCESS)
        o.value_data = std::string(text.substr(0, 4096));
      else
        o.value_data = std::string(json_str(d, "Details"));
    }
  }
  // A service written through the registry (Sysmon 13): its name is the key under Services.
  if (kind == K::kServiceInstall && o.service.empty()) {
    std::string k = ascii_lower(o.key);
    if (auto at = k.find("\\services\\"); at != std::string::npos) {
      auto start = at + 10, end = o.key.find('\\', start);
      o.service = o.key.substr(start, end == std::string::npos ? std::string::npos : end - start);
    }
  }
  // SRUM's byte counts stay in details (JSON text, or an object from older timelines).
  if (o.artifact == "srum_network_usage") {
    simdjson::dom::element d;
    std::string_view text;
    if (e["details"].get(d) == simdjson::SUCCESS && d.get(text) == simdjson::SUCCESS) {
      auto number = [&](std::string_view key) -> std::optional<std::int64_t> {
        std::string k = "\"" + std::string(key) + "\":";
        auto at = text.find(k);
        if (at == std::string_view::npos) return std::nullopt;
        at += k.size();
        while (at < text.size() && (text[at] == ' ' || text[at] == '"')) ++at;
        std::int64_t v = 0;
        bool any = false;
        for (; at < text.size() && text[at] >= '0' && text[at] <= '9' && v < (1LL << 55); ++at) {
          v = v * 10 + (text[at] - '0');
          any = true;
        }
        return any ? std::optional<std::int64_t>(v) : std::nullopt;
      };
      o.bytes_sent = number("bytes_sent");
      o.bytes_received = number("bytes_received");
    } else if (e["details"].get(d) == simdjson::SUCCESS) {
      o.bytes_sent = int_field(d, "bytes_sent");
      o.bytes_received = int_field(d, "bytes_received");
    }
  }
  // Browser downloads (parse-browser) name the saved file "target_path".
  if (o.path.empty() && kind == K::kDownloadMark) o.path = o.target_path;
  // A cached program's file is "path" (IE names it "setup[1].exe"); the name it was
  // fetched as ("…/setup.exe") links it to the suspect as a download's saved file does.
  if (o.artifact == "browser_cache" && o.target_path.empty())
    o.target_path = std::string(url_file_name(o.url));
  return o;
}

}  // namespace

std::string_view observation_kind_name(ObservationKind k) {
  static constexpr std::array<std::string_view, kObservationKinds> kNames{
      "process_start",   "program_trace", "file_write",  "file_delete",    "download_mark",
      "av_detection",    "av_tamper",     "log_cleared", "logon",          "logon_failure",
      "service_install", "task_created",  "autorun",     "account_change", "wmi_persistence",
      "script_block",    "network",       "usb",         "timestomp"};
  return kNames[static_cast<std::size_t>(k)];
}

bool Observation::has_tag(std::string_view t) const {
  return std::find(tags.begin(), tags.end(), t) != tags.end();
}

std::string Observation::searchable() const {
  std::string s;
  for (const std::string* f : {&path, &target_path, &process, &command_line, &parent,
                               &parent_command_line, &value_data, &message, &task, &service})
    if (!f->empty()) {
      s += ascii_lower(*f);
      s.push_back('\n');
    }
  return s;
}

void ObservationLog::saw(std::string_view data) {
  for (auto& [name, n] : seen_)
    if (name == data) {
      ++n;
      return;
    }
  seen_.emplace_back(std::string(data), 1);
}

std::int64_t ObservationLog::seen(std::string_view data) const {
  for (const auto& [name, n] : seen_)
    if (name == data) return n;
  return 0;
}

void ObservationLog::keep(Observation o) {
  auto& v = kinds_[static_cast<std::size_t>(o.kind)];
  if (v.size() >= kMaxPerKind) {
    ++dropped_;
    return;
  }
  v.push_back(std::move(o));
}

namespace {

const Classifier* classifier_of(std::string_view artifact) {
  for (const auto& k : kClassifiers)
    if (k.artifact == artifact) return &k;
  return nullptr;
}

// Logs keep a span of time (what happened from their first record on); the other data
// (MFT, Prefetch, registry) is the state at the collection.
bool is_log(std::string_view artifact) { return artifact == "evtx" || artifact == "usnjrnl"; }

// The log that holds a kind of data: Sysmon's process starts are in the Sysmon log.
std::string_view log_of(std::string_view data) {
  if (data.rfind("sysmon_", 0) == 0) return "sysmon";
  if (data.rfind("security_", 0) == 0) return "security";
  return data;
}

}  // namespace

void ObservationLog::cover(std::string_view data, std::optional<UtcMicros> t) {
  auto it = spans_.find(data);
  if (it == spans_.end()) it = spans_.emplace(std::string(data), Span{}).first;
  Span& s = it->second;
  ++s.records;
  if (!t) return;
  if (!s.first || *t < *s.first) s.first = t;
  if (!s.last || *t > *s.last) s.last = t;
}

DataSpan ObservationLog::span(std::string_view data) const {
  DataSpan d;
  if (auto it = spans_.find(data); it != spans_.end()) d.records = it->second.records;
  if (auto it = spans_.find(log_of(data)); it != spans_.end()) {
    d.log_records = it->second.records;
    d.first = it->second.first;
    d.last = it->second.last;
  }
  return d;
}

void ObservationLog::cover_record(simdjson::dom::element e) {
  Head h;
  h.artifact = json_str(e, "artifact");
  const Classifier* c = classifier_of(h.artifact);
  if (!c) return;
  if (!from_records_) spans_.clear();  // (coverage from timeline events, if any, is partial)
  from_records_ = true;
  h.provider = json_str(e, "provider");
  h.event_id = int_field(e, "event_id");
  std::optional<UtcMicros> t;
  if (is_log(h.artifact))
    if (auto r = parse_user_time(json_str(e, "time"), "UTC")) t = *r;
  Saw saw_list;
  c->classify(h, saw_list);
  for (auto d : saw_list) cover(d, t);
}

void ObservationLog::add(simdjson::dom::element e, UtcMicros t) {
  Head h;
  h.artifact = json_str(e, "artifact");
  const Classifier* c = classifier_of(h.artifact);
  if (!c) return;
  h.provider = json_str(e, "provider");
  h.timestamp_desc = json_str(e, "timestamp_desc");
  h.message = json_str(e, "message");
  h.event_id = int_field(e, "event_id");
  h.tags = views_of(e, "tags");
  h.usn_reasons = views_of(e, "usn_reasons");
  Saw saw_list;
  std::optional<K> kind = c->classify(h, saw_list);
  for (auto d : saw_list) {
    saw(d);
    if (!from_records_) cover(d, is_log(h.artifact) ? std::optional<UtcMicros>(t) : std::nullopt);
  }
  if (kind) keep(read_observation(e, *kind, t));
}

}  // namespace kk::notice
