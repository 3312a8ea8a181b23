// JSONL rendering of the manifest and bundle summaries (CONTRACT.md, "unpack-cdir").
#include "cdir/not_collected.hpp"
#include "cdir/unpack.hpp"
#include "core/json_writer.hpp"

namespace kk::cdir {

namespace {

void optional_time(JsonWriter& w, std::string_view key, const std::optional<UtcMicros>& t) {
  w.key(key);
  if (t)
    w.time(*t);
  else
    w.null();
}

void optional_string(JsonWriter& w, std::string_view key, std::string_view v) {
  w.key(key);
  if (v.empty())
    w.null();
  else
    w.string(v);
}

void string_array(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.key(key).begin_array();
  for (const auto& s : v) w.string(s);
  w.end_array();
}

}  // namespace

void append_manifest_record(std::string& out, const ManifestEntry& e) {
  JsonWriter w(out);
  w.begin_object();
  w.field("artifact", "manifest");
  w.field("source", e.source);
  optional_string(w, "path", e.path);
  w.field("kind", kind_name(e.kind));
  optional_string(w, "host", e.host);
  optional_time(w, "collected_at", e.collected_at);
  w.field("size", e.size);
  optional_string(w, "sha256", e.digests.sha256);
  w.key("collector_sha256");
  if (e.collector_sha256)
    w.string(*e.collector_sha256);
  else
    w.null();
  w.key("hash_match");
  if (e.hash_match)
    w.boolean(*e.hash_match);
  else
    w.null();
  optional_string(w, "md5", e.digests.md5);
  optional_string(w, "sha1", e.digests.sha1);
  w.field("input_path", e.input_path);
  optional_string(w, "user", e.user);
  optional_string(w, "windows_path", e.windows_path);
  w.field("wevtutil", e.wevtutil);
  optional_time(w, "source_created", e.source_created);
  optional_time(w, "source_accessed", e.source_accessed);
  optional_time(w, "source_modified", e.source_modified);
  w.field("complete", e.complete);
  w.field("skipped", e.skipped);
  w.key("encrypted");
  if (e.encrypted)
    w.boolean(*e.encrypted);
  else
    w.null();
  w.end_object();
  w.end_line();
}

void append_bundle_summary(std::string& out, const BundleSummary& s) {
  JsonWriter w(out);
  w.begin_object();
  w.field("artifact", "bundle_summary");
  // The bundle as a whole: its root inside the input, or its folder name when the input is it.
  w.field("source", s.root.empty() ? std::string_view(s.folder_name) : std::string_view(s.root));
  optional_string(w, "host", s.host);
  w.field("root", s.root);
  optional_string(w, "root_path", s.root_path);
  w.field("folder_name", s.folder_name);
  w.key("target_drive");
  if (s.target_drive)
    w.string(std::string(1, *s.target_drive));
  else
    w.null();
  w.field("layout", layout_name(s.layout));
  w.field("time_zone", s.time_zone);
  optional_time(w, "folder_time", s.folder_time);
  optional_time(w, "collection_start", s.collection_start);
  optional_time(w, "collection_end", s.collection_end);
  optional_string(w, "log_encoding", s.log_encoding);
  optional_string(w, "log_language", s.log_language);
  w.field("files", s.files);
  w.field("bytes", s.bytes);
  w.key("counts").begin_object();
  for (std::size_t k = 0; k < kKindCount; ++k)
    w.field(kind_name(static_cast<Kind>(k)), s.counts[k]);
  w.end_object();
  w.field("memory_skipped", s.memory_skipped);
  w.key("hash_check").begin_object();
  w.field("result", s.hash.result());
  w.field("log_rows", s.hash.log_rows);
  w.field("matched", s.hash.matched);
  string_array(w, "mismatched", s.hash.mismatched);
  string_array(w, "missing_from_bundle", s.hash.missing_from_bundle);
  string_array(w, "not_in_log", s.hash.not_in_log);
  string_array(w, "not_verified", s.hash.not_verified);
  string_array(w, "not_encrypted", s.hash.not_encrypted);
  w.end_object();
  string_array(w, "categories_absent", s.categories_absent);
  optional_string(w, "archive_truncated", s.archive_truncated);
  w.key("not_collected").begin_array();
  for (const auto& n : not_collected_by_cdir()) {
    w.begin_object();
    w.field("id", n.id);
    w.field("what", n.what);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.end_line();
}

void append_jsonl(std::string& out, const UnpackResult& r) {
  for (const auto& b : r.bundles) {
    for (const auto& e : b.entries) append_manifest_record(out, e);
    append_bundle_summary(out, b.summary);
  }
  for (const auto& e : r.loose) append_manifest_record(out, e);
}

}  // namespace kk::cdir
