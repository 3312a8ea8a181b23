#include "notice/inputs.hpp"

#include <algorithm>
#include <array>

#include "core/ascii_case.hpp"
#include "core/jsonl_reader.hpp"
#include "notice/anonymize.hpp"

namespace kk::notice {

namespace {

std::optional<UtcMicros> time_of(simdjson::dom::element e, std::string_view key) {
  std::string_view s;
  if (e[key].get(s) != simdjson::SUCCESS || s.empty()) return std::nullopt;
  auto r = parse_user_time(s, "UTC");
  if (!r) return std::nullopt;
  return *r;
}

std::optional<std::int64_t> int_of(simdjson::dom::element e, std::string_view key) {
  std::int64_t v;
  if (e[key].get(v) == simdjson::SUCCESS) return v;
  std::uint64_t u;
  if (e[key].get(u) == simdjson::SUCCESS) return static_cast<std::int64_t>(u);
  std::string_view s;  // event ids are sometimes strings in EventData
  if (e[key].get(s) == simdjson::SUCCESS && !s.empty() && s.size() < 19 &&
      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::stoll(std::string(s));
  return std::nullopt;
}

std::vector<std::string> strings_of(simdjson::dom::element e, std::string_view key) {
  std::vector<std::string> out;
  simdjson::dom::array arr;
  if (e[key].get(arr) != simdjson::SUCCESS) return out;
  for (auto v : arr) {
    std::string_view s;
    if (v.get(s) == simdjson::SUCCESS) out.emplace_back(s);
  }
  return out;
}

// A JSON scalar as display text.
std::string scalar_text(simdjson::dom::element v) {
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS) return std::string(s);
  if (v.is_null()) return "";
  return simdjson::to_string(v);
}

std::string_view base_name(std::string_view p) {
  auto slash = p.find_last_of("\\/");
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

Finding read_finding(simdjson::dom::element e) {
  Finding f;
  f.id = json_str(e, "id");
  f.source = json_str(e, "source");
  f.question = json_str(e, "question");
  f.severity = json_str(e, "severity", "info");
  f.title = json_str(e, "title");
  f.title_ja = json_str(e, "title_ja");
  f.description = json_str(e, "description");
  f.description_ja = json_str(e, "description_ja");
  simdjson::dom::element t;
  if (e["time"].get(t) == simdjson::SUCCESS) {
    f.first = time_of(t, "first");
    f.last = time_of(t, "last");
  }
  f.count = json_int(e, "count", 0);
  simdjson::dom::element rule;
  if (e["rule"].get(rule) == simdjson::SUCCESS) {
    f.rule_id = json_str(rule, "id");
    f.rule_name = json_str(rule, "name");
    f.rule_source = json_str(rule, "source");
  }
  f.attack = strings_of(e, "attack");
  f.suspect = json_bool(e, "suspect", false);
  simdjson::dom::array ev;
  if (e["evidence"].get(ev) == simdjson::SUCCESS) {
    for (auto item : ev) {
      EvidenceItem x;
      x.artifact = json_str(item, "artifact");
      x.source = json_str(item, "source");
      x.summary = json_str(item, "summary");
      x.record_id = int_of(item, "record_id");
      x.offset = int_of(item, "offset");
      x.event_id = int_of(item, "event_id");
      x.time = time_of(item, "time");
      simdjson::dom::object fields;
      if (item["fields"].get(fields) == simdjson::SUCCESS)
        for (auto [k, v] : fields) x.fields.emplace_back(std::string(k), scalar_text(v));
      f.evidence.push_back(std::move(x));
    }
  }
  if (f.count == 0) f.count = static_cast<std::int64_t>(f.evidence.size());
  simdjson::dom::element iocs;
  if (e["iocs"].get(iocs) == simdjson::SUCCESS) {
    f.iocs.files = strings_of(iocs, "files");
    f.iocs.paths = strings_of(iocs, "paths");
    f.iocs.hashes = strings_of(iocs, "hashes");
    f.iocs.ips = strings_of(iocs, "ips");
    f.iocs.domains = strings_of(iocs, "domains");
    f.iocs.services = strings_of(iocs, "services");
    f.iocs.tasks = strings_of(iocs, "tasks");
    f.iocs.accounts = strings_of(iocs, "accounts");
  }
  return f;
}

ManifestEntry read_manifest(simdjson::dom::element e) {
  ManifestEntry m;
  m.source = json_str(e, "source");
  m.path = json_str(e, "path");
  m.kind = json_str(e, "kind", "other");
  m.host = json_str(e, "host");
  m.collected_at = time_of(e, "collected_at");
  m.size = static_cast<std::uint64_t>(json_int(e, "size", 0));
  m.sha256 = json_str(e, "sha256");
  m.collector_sha256 = json_str(e, "collector_sha256");
  bool b;
  if (e["hash_match"].get(b) == simdjson::SUCCESS) m.hash_match = b;
  if (e["complete"].get(b) == simdjson::SUCCESS) m.complete = b;
  return m;
}

// unpack-cdir's summary; several spellings are accepted so an older or newer
// unpack-cdir still gives the notice its facts.
BundleSummary read_summary(simdjson::dom::element e) {
  BundleSummary s;
  s.present = true;
  s.host = json_str(e, "host");
  s.bundle = json_str(e, "folder_name", json_str(e, "bundle", json_str(e, "source")));
  s.time_zone = json_str(e, "time_zone");
  s.layout = json_str(e, "layout", json_str(e, "layout_version"));
  for (std::string_view k : {"collection_start", "collected_start", "start"})
    if (!s.collection_start) s.collection_start = time_of(e, k);
  for (std::string_view k : {"collection_end", "collected_end", "end", "collected_at"})
    if (!s.collection_end) s.collection_end = time_of(e, k);
  simdjson::dom::object counts;
  for (std::string_view k : {"counts", "kinds", "files_per_kind", "counts_per_kind"}) {
    if (e[k].get(counts) != simdjson::SUCCESS) continue;
    for (auto [kind, v] : counts) {
      std::int64_t n;
      if (v.get(n) == simdjson::SUCCESS) s.kind_counts[std::string(kind)] = n;
    }
    break;
  }
  for (std::string_view k : {"not_collected", "uncollected"}) {
    simdjson::dom::array arr;
    if (e[k].get(arr) != simdjson::SUCCESS) continue;
    for (auto v : arr) {
      std::string_view str;
      simdjson::dom::object o;
      if (v.get(str) == simdjson::SUCCESS) {
        s.not_collected.emplace_back(std::string(str), std::string(str));
      } else if (v.get(o) == simdjson::SUCCESS) {  // {"id":…,"what":…}
        s.not_collected.emplace_back(std::string(json_str(v, "id")),
                                     std::string(json_str(v, "what")));
      }
    }
  }
  s.categories_absent = strings_of(e, "categories_absent");
  s.archive_truncated = json_str(e, "archive_truncated");
  simdjson::dom::element hc;
  if (e["hash_check"].get(hc) == simdjson::SUCCESS) {
    std::string_view str;
    if (hc.get(str) == simdjson::SUCCESS) {
      s.hash_result = str;
    } else {
      s.hash_result = json_str(hc, "result");
      s.hash_mismatched = strings_of(hc, "mismatched");
      s.missing_from_bundle = strings_of(hc, "missing_from_bundle");
      s.not_in_log = strings_of(hc, "not_in_log");
      s.not_verified = strings_of(hc, "not_verified");
      s.not_encrypted = strings_of(hc, "not_encrypted");
    }
  }
  return s;
}

DiagnosticRecord read_diagnostic(simdjson::dom::element e) {
  DiagnosticRecord d;
  d.tool = json_str(e, "tool");
  d.file = json_str(e, "file", json_str(e, "source"));
  d.severity = json_str(e, "severity", "warning");
  d.message = json_str(e, "message");
  std::uint64_t off;
  if (e["offset"].get(off) == simdjson::SUCCESS) d.offset = off;
  return d;
}

}  // namespace

bool is_key_tag(std::string_view tag) {
  static constexpr std::array<std::string_view, 10> kKey{
      "av_detection",    "log_cleared",  "persistence",     "remote_logon", "account_change",
      "service_install", "audit_policy", "defender_tamper", "time_change",  "lateral_movement"};
  return std::find(kKey.begin(), kKey.end(), tag) != kKey.end();
}

NoticeInputs::NoticeInputs(std::vector<std::string> suspects) {
  for (const auto& s : suspects) {
    if (s.empty()) continue;
    suspect_names_.push_back(ascii_lower(base_name(s)));
  }
}

bool NoticeInputs::names_suspect(std::string_view text) const {
  if (suspect_names_.empty() || text.empty()) return false;
  std::string f = ascii_lower(text);
  return std::any_of(suspect_names_.begin(), suspect_names_.end(), [&](const std::string& n) {
    return !n.empty() && f.find(n) != std::string::npos;
  });
}

void NoticeInputs::cover_record(simdjson::dom::element rec) {
  observations.cover_record(rec);
  std::string_view artifact = json_str(rec, "artifact");
  if (suspect_names_.empty() || (artifact != "mft" && artifact != "usnjrnl")) return;
  std::string_view path = json_str(rec, "path");
  std::string name = ascii_lower(base_name(path.empty() ? json_str(rec, "name") : path));
  if (std::find(suspect_names_.begin(), suspect_names_.end(), name) != suspect_names_.end())
    suspect_file_in.emplace(artifact);
}

std::uint16_t NoticeInputs::artifact_index(std::string_view a) {
  for (std::size_t i = 0; i < artifacts.size(); ++i)
    if (artifacts[i] == a) return static_cast<std::uint16_t>(i);
  if (artifacts.size() >= 0xFFFF) return 0xFFFF - 1;  // absurd input: lump the rest together
  artifacts.emplace_back(a);
  return static_cast<std::uint16_t>(artifacts.size() - 1);
}

std::uint16_t NoticeInputs::channel_index(std::string_view c) {
  for (std::size_t i = 0; i < channel_names.size(); ++i)
    if (channel_names[i] == c) return static_cast<std::uint16_t>(i);
  if (channel_names.size() >= 0xFFFF) return 0xFFFF - 1;
  channel_names.emplace_back(c);
  return static_cast<std::uint16_t>(channel_names.size() - 1);
}

void NoticeInputs::add_event(simdjson::dom::element e) {
  std::optional<UtcMicros> t = int_of(e, "timestamp");
  if (!t) t = time_of(e, "datetime");
  if (!t) {
    ++other_records;
    return;
  }
  std::string_view artifact = json_str(e, "artifact", "unknown");
  event_times.emplace_back(*t, artifact_index(artifact));
  auto cover = [&](Coverage& c) {
    if (c.events == 0 || *t < c.oldest) c.oldest = *t;
    if (c.events == 0 || *t > c.newest) c.newest = *t;
    ++c.events;
  };
  cover(artifact_coverage[std::string(artifact)]);
  std::string channel(json_str(e, "channel"));
  if (artifact == "evtx") {
    if (channel.empty()) channel = std::string(base_name(json_str(e, "source")));
    cover(channels[channel]);
    evtx_times.emplace_back(*t, channel_index(channel));
    if (auto id = int_of(e, "event_id")) ++event_ids[channel][*id];
  }
  std::string_view source = json_str(e, "source");
  if (event_sources.size() < kMaxSources) event_sources.emplace(source);
  std::string_view host = json_str(e, "host");
  if (!host.empty() && hosts.size() < 64) hosts.emplace(host);

  observations.add(e, *t);
  std::vector<std::string> tags = strings_of(e, "tags");
  bool key =
      std::any_of(tags.begin(), tags.end(), [](const std::string& tg) { return is_key_tag(tg); });
  std::string_view message = json_str(e, "message");
  if (!key)
    key = names_suspect(message) || names_suspect(json_str(e, "path")) ||
          names_suspect(json_str(e, "command_line")) || names_suspect(json_str(e, "process"));
  if (!key) return;
  if (key_events.size() >= kMaxKeyEvents) {
    ++key_events_dropped;
    return;
  }
  KeyEvent k;
  k.time = *t;
  k.artifact = artifact;
  k.source = json_str(e, "source");
  k.host = host;
  k.message = message;
  k.timestamp_desc = json_str(e, "timestamp_desc");
  k.channel = channel;
  k.event_id = int_of(e, "event_id");
  k.record_id = int_of(e, "record_id");
  k.offset = int_of(e, "offset");
  k.tags = std::move(tags);
  key_events.push_back(std::move(k));
}

void NoticeInputs::add_out_of_range(std::string_view artifact, std::string_view source, UtcMicros t,
                                    std::string_view reason) {
  auto it = out_of_range.find(std::tuple(artifact, source, reason));
  if (it == out_of_range.end())
    it = out_of_range
             .try_emplace(
                 std::tuple(std::string(artifact), std::string(source), std::string(reason)))
             .first;
  OutOfRange& r = it->second;
  if (r.count == 0 || t < r.earliest) r.earliest = t;
  if (r.count == 0 || t > r.latest) r.latest = t;
  ++r.count;
}

void NoticeInputs::add_record(simdjson::dom::element rec, std::string_view origin,
                              std::uint64_t line_no, Diagnostics& diag) {
  if (!rec.is_object()) {
    ++bad_lines;
    diag.warning(origin, std::nullopt,
                 "line " + std::to_string(line_no) + ": not a JSON object, skipped");
    return;
  }
  if (learner_) learner_->learn_record(rec);
  std::string_view artifact;
  bool has_artifact = rec["artifact"].get(artifact) == simdjson::SUCCESS;
  if (has_artifact && artifact == "finding") {
    findings.push_back(read_finding(rec));
  } else if (has_artifact && artifact == "manifest") {
    manifest.push_back(read_manifest(rec));
  } else if (has_artifact && artifact == "system_info") {
    std::string_view name = json_str(rec, "name"), value = json_str(rec, "value");
    if (!name.empty() && !value.empty()) host_facts.system.emplace(name, value);
  } else if (has_artifact && artifact == "timezone") {
    if (host_facts.time_zone.empty()) {
      std::string_view tz = json_str(rec, "time_zone_key_name");
      host_facts.time_zone = tz.empty() ? json_str(rec, "standard_name") : tz;
      host_facts.utc_offset = json_str(rec, "utc_offset");
    }
  } else if (has_artifact && artifact == "netlog_input") {
    if (netlogs.size() < 1000) {
      NetlogReceived n;
      n.source = json_str(rec, "source");
      n.product = json_str(rec, "product");
      n.product_name = json_str(rec, "product_name");
      n.unreadable = json_str(rec, "unreadable");
      n.lines = json_int(rec, "lines", 0);
      n.records = json_int(rec, "records", 0);
      n.first = time_of(rec, "first");
      n.last = time_of(rec, "last");
      bool b;
      if (rec["covers_window"].get(b) == simdjson::SUCCESS) n.covers_window = b;
      simdjson::dom::array ips;
      if (rec["pc_addresses"].get(ips) == simdjson::SUCCESS)
        for (auto v : ips) {
          std::string_view ip;
          if (v.get(ip) == simdjson::SUCCESS && n.pc_addresses.size() < 64)
            n.pc_addresses.emplace_back(ip);
        }
      netlogs.push_back(std::move(n));
    }
  } else if (has_artifact && artifact == "bundle_summary") {
    summary = read_summary(rec);
  } else if ((has_artifact && artifact == "diagnostic") ||
             (!has_artifact && rec["tool"].error() == simdjson::SUCCESS &&
              rec["message"].error() == simdjson::SUCCESS)) {
    diagnostics.push_back(read_diagnostic(rec));
  } else if (rec["timestamp"].error() == simdjson::SUCCESS ||
             rec["datetime"].error() == simdjson::SUCCESS) {
    add_event(rec);
  } else {
    ++other_records;
  }
}

void NoticeInputs::add_line(std::string_view json, std::string_view origin, std::uint64_t line_no,
                            Diagnostics& diag) {
  simdjson::dom::element doc;
  if (parser_.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) {
    ++bad_lines;
    diag.warning(origin, std::nullopt,
                 "line " + std::to_string(line_no) + ": not valid JSON, skipped");
    return;
  }
  add_record(doc, origin, line_no, diag);
}

bool NoticeInputs::add_file(const std::string& path, Diagnostics& diag, bool as_diagnostics) {
  JsonlReader reader;
  std::string err;
  if (!reader.open(path, &err)) {
    diag.unreadable(path, err);
    return false;
  }
  simdjson::dom::element doc;
  while (reader.next(&doc, &err)) {
    if (!err.empty()) {
      ++bad_lines;
      diag.warning(path, reader.line_offset(),
                   "line " + std::to_string(reader.line_number()) + ": " + err + ", skipped");
      err.clear();
      continue;
    }
    if (as_diagnostics && doc.is_object()) {
      if (learner_) learner_->learn_record(doc);
      diagnostics.push_back(read_diagnostic(doc));
      continue;
    }
    add_record(doc, path, reader.line_number(), diag);
  }
  return true;
}

std::string_view NoticeInputs::netlog_product_name(std::string_view source,
                                                   std::string_view product) const {
  for (const auto& n : netlogs)
    if (n.source == source && !n.product_name.empty()) return n.product_name;
  return product;
}

}  // namespace kk::notice
