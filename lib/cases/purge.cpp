// cases purge CASEDIR [--dry-run|--execute] [--force --reason TEXT]: deletes the customer's
// data once the deletion date has passed, keeping the documents that record the case's end
// (業務完了通知書, deletion record, 削除報告) and, in the registry, the anonymized malware
// facts (stats.hpp). Deletion works by descriptor (tree.hpp): links are removed, never
// followed; nothing outside the case folder or on another file system is touched; what is
// left afterwards is checked, and the record names every file with its size and SHA-256.
#include <unistd.h>

#include <random>

#include "cases/case_folder.hpp"
#include "cases/commands.hpp"
#include "cases/documents.hpp"
#include "cases/stats.hpp"
#include "cases/tree.hpp"
#include "core/case_dir.hpp"
#include "core/hash.hpp"
#include "core/json_writer.hpp"

namespace kk::cases {
namespace {

// What stays in the case folder: the documents about the case's end.
bool kept(std::string_view top) {
  for (std::string_view k : {"completion-notice.html", "completion-notice.md",
                             "completion-notice.json", "deletion-record.json",
                             "deletion-report.html", "deletion-report.md", "deletion-report.json"})
    if (top == k) return true;
  return false;
}

std::string top_of(const std::string& path) {
  return path.substr(0, path.find('/'));
}

std::string batch_token() {
  std::random_device rd;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return buf;
}

std::string entry_type(TreeEntry::Type t) {
  switch (t) {
    case TreeEntry::Type::kFile:
      return "file";
    case TreeEntry::Type::kDir:
      return "folder";
    case TreeEntry::Type::kLink:
      return "link";
    default:
      return "other";
  }
}

}  // namespace

Outcome purge_case(const Context& ctx, const std::string& case_dir, const PurgeOptions& options) {
  auto where = locate_case(case_dir);
  if (!where) return Outcome::failed(where.error().message, 2);
  if (options.force && options.reason.empty())
    return Outcome::failed("--force needs --reason TEXT (it is recorded)", 2);
  auto registry = open_registry(ctx, where->root);
  CaseDir::Policy policy;
  policy.allow_content = true;
  auto dir = CaseDir::open(where->path, policy);
  if (!dir) return Outcome::failed(dir.error().message);

  Transaction tx(registry->db());
  registry->lock_case(where->case_id);
  auto c = registry->find_case(where->case_id);
  if (!c) return Outcome::failed(where->case_id + ": no such case in " + registry->describe());
  if (c->state == CaseState::kPurged)
    return Outcome::failed(where->case_id + ": already purged " +
                           format_local(c->purged_at.value_or(0), ctx.tz));
  std::string refusal;
  if (c->state != CaseState::kCompleted) {
    refusal = "the case is " + std::string(state_name(c->state)) +
              ", not completed (cases complete first)";
  } else if (c->delete_after && ctx.now < *c->delete_after) {
    refusal = "its deletion date " + format_local(*c->delete_after, ctx.tz) +
              " has not come (inquiries are accepted until then)";
  }
  bool forced = !refusal.empty();
  if (forced && !options.force)
    return Outcome::failed(where->case_id + ": not purged: " + refusal +
                           "; --force --reason TEXT deletes anyway and records why");

  std::vector<std::string> errors;
  std::vector<TreeEntry> entries = list_tree(dir->fd(), errors);
  std::vector<TreeEntry> doomed;
  std::uint64_t bytes = 0;
  for (const TreeEntry& e : entries) {
    if (kept(top_of(e.path))) continue;
    doomed.push_back(e);
    bytes += e.size;
  }
  Outcome o;
  if (!options.execute) {
    o.out = "cases: dry run (--execute deletes): " + where->case_id + " — " +
            std::to_string(doomed.size()) + " entries, " + std::to_string(bytes) + " bytes" +
            (forced ? " (forced: " + refusal + ")" : "") + "\n";
    for (const TreeEntry& e : doomed)
      if (e.type != TreeEntry::Type::kDir)
        o.out += "  " + e.path + "  " + std::to_string(e.size) + "  " + entry_type(e.type) + "\n";
    for (const auto& err : errors) o.out += "  cannot read: " + err + "\n";
    return o;
  }
  if (!errors.empty())
    return Outcome::failed(where->case_id + ": not purged: cannot read " + errors.front());

  // 1. The anonymized facts, while the data is still there.
  auto hosts = registry->hosts(c->case_id);
  ExtractedFacts facts = extract_facts(*dir, *c, hosts);
  registry->insert_facts(batch_token(), facts.facts, ctx.now);

  // 2. Every file's size and hash, for the record.
  PurgeSummary summary;
  summary.purged_at = ctx.now;
  summary.forced = forced;
  summary.reason = options.reason;
  summary.kept_records = facts.facts.size();
  std::string record;
  JsonWriter w(record);
  Actor actor = current_actor();
  w.begin_object();
  w.field("case_id", c->case_id);
  w.time_or_null("purged_at", ctx.now);
  w.time_or_null("completed_at", c->completed_at);
  w.time_or_null("delete_after", c->delete_after);
  w.field("forced", forced);
  w.string_or_null("reason", options.reason);
  w.field("operator", actor.who);
  w.field("uid", actor.uid);
  w.key("files").begin_array();
  for (const TreeEntry& e : doomed) {
    if (e.type == TreeEntry::Type::kDir) continue;
    std::string sha;
    if (e.type == TreeEntry::Type::kFile) {
      int fd = open_in_tree(dir->fd(), e.path);
      auto d = fd >= 0 ? hash_descriptor(fd, HashSet::sha256_only()) : std::nullopt;
      if (fd >= 0) ::close(fd);
      if (!d) return Outcome::failed(where->case_id + ": not purged: cannot read " + e.path);
      sha = d->sha256;
    }
    summary.files.push_back({e.path, e.size, sha});
    summary.bytes += e.size;
    w.begin_object();
    w.field("path", e.path);
    w.field("type", entry_type(e.type));
    w.field("size", e.size);
    w.string_or_null("sha256", sha);
    w.end_object();
  }
  w.end_array();

  // 3. Delete, top-level entry by entry, then check that nothing but the kept files is left.
  std::vector<std::string> tops;
  for (const TreeEntry& e : doomed)
    if (e.path.find('/') == std::string::npos) tops.push_back(e.path);
  std::vector<std::string> failures;
  for (const std::string& t : tops) remove_tree(dir->fd(), t, failures);
  std::vector<std::string> recheck_errors;
  std::vector<std::string> left;
  for (const TreeEntry& e : list_tree(dir->fd(), recheck_errors))
    if (!kept(top_of(e.path))) left.push_back(e.path);
  summary.verified_empty = left.empty() && recheck_errors.empty() && failures.empty();
  w.key("total_files").unsigned_integer(summary.files.size());
  w.key("total_bytes").unsigned_integer(summary.bytes);
  w.field("verified_empty", summary.verified_empty);
  w.key("left").begin_array();
  for (const auto& l : left) w.string(l);
  w.end_array();
  w.key("anonymized_facts_kept").unsigned_integer(facts.facts.size());
  w.end_object();
  record += "\n";
  summary.record_sha256 = sha256_hex(record);
  auto saved = dir->write_file("deletion-record.json", record, AtomicFile::Replace::kExisting);
  if (!saved) return Outcome::failed(saved.error().message);

  registry->insert_deletion(
      c->case_id, {ctx.now, forced, options.reason, static_cast<std::int64_t>(summary.files.size()),
                   static_cast<std::int64_t>(summary.bytes), summary.record_sha256, record});
  registry->set_inputs_state(c->case_id, "purged");
  c->state = CaseState::kPurged;
  c->purged_at = ctx.now;
  registry->update_case(*c);
  registry->audit(c->case_id, ctx.now, forced ? "purge-forced" : "purge",
                  json_object({{"files", std::to_string(summary.files.size())},
                               {"bytes", std::to_string(summary.bytes)},
                               {"verified_empty", summary.verified_empty ? "true" : "false"},
                               {"reason", options.reason},
                               {"record_sha256", summary.record_sha256}}));
  auto report = write_deletion_report(*dir, *registry, *c, summary, ctx);
  if (report) record_documents(*registry, *dir, c->case_id, "deletion_report", *report, ctx.now);
  tx.commit();
  o.out = "cases: " + c->case_id + " purged: " + std::to_string(summary.files.size()) + " files, " +
          std::to_string(summary.bytes) + " bytes deleted; " +
          (summary.verified_empty ? "verified: nothing left" : "NOT everything could be deleted") +
          "; " + std::to_string(facts.facts.size()) + " anonymized facts kept (" +
          std::to_string(facts.dropped) + " refused as identifying); deletion-record.json\n";
  if (!report)
    o.out += "cases: the 削除報告 could not be written: " + report.error().message + "\n";
  for (const auto& f : failures) o.out += "  left: " + f + "\n";
  o.status = summary.verified_empty && report ? 0 : 1;
  return o;
}

}  // namespace kk::cases
