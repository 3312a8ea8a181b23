#include "cases/case_folder.hpp"

#include <filesystem>

#include "core/json_writer.hpp"
#include "notice/case_file.hpp"

namespace kk::cases {

Result<CaseFolder> locate_case(const std::string& case_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(case_dir), ec).lexically_normal();
  if (ec || case_dir.empty()) return Result<CaseFolder>::fail(case_dir + ": not a usable path");
  std::string s = p.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  p = fs::path(s);
  CaseFolder f;
  f.path = s;
  f.case_id = p.filename().string();
  f.root = p.parent_path().string();
  if (f.case_id.empty() || f.case_id == "." || f.case_id == ".." || f.root.empty())
    return Result<CaseFolder>::fail(case_dir + ": expected ROOT/CASEID");
  return f;
}

std::unique_ptr<Registry> open_registry(const Context& ctx, const std::string& root, bool create) {
  std::error_code ec;
  if (ctx.registry.empty() && !create &&
      !std::filesystem::is_regular_file(std::filesystem::symlink_status(root + "/cases.db", ec)))
    throw SqlError(root + "/cases.db: no case registry here (cases init ROOT/CASEID creates it)");
  return Registry::open(root, ctx.registry);
}

UtcMicros due_at(UtcMicros received_at) {
  return received_at + 14LL * 86400 * 1000000;
}

UtcMicros add_one_month(UtcMicros t, const std::string& tz) {
  // The local wall clock in TZ, one calendar month on, read back in TZ.
  std::string local = format_local(t, tz, true);  // "YYYY-MM-DD HH:MM:SS.ffffff ABBR"
  auto date = notice::parse_civil_date(local.substr(0, 10));
  if (!date) return t + 30LL * 86400 * 1000000;
  notice::CivilDate next = notice::add_one_month(*date);
  std::string text = notice::format_civil_date(next) + " " + local.substr(11, 15);
  auto back = parse_user_time(text, tz);
  return back ? *back : t + 30LL * 86400 * 1000000;
}

std::string json_object(std::initializer_list<std::pair<std::string_view, std::string_view>> kv) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  for (const auto& [k, v] : kv) w.field(k, v);
  w.end_object();
  return out;
}

}  // namespace kk::cases

#include <unistd.h>

#include "cases/documents.hpp"
#include "cases/tree.hpp"
#include "core/hash.hpp"

namespace kk::cases {

void record_documents(Registry& registry, const CaseDir& dir, const std::string& case_id,
                      const std::string& kind, const std::vector<std::string>& files,
                      UtcMicros now) {
  std::int64_t version = registry.next_delivery_version(case_id, kind, "");
  for (const std::string& rel : files) {
    if (!rel.ends_with(".html")) continue;  // the document the customer reads
    int fd = open_in_tree(dir.fd(), rel);
    auto d = fd >= 0 ? hash_descriptor(fd, HashSet::sha256_only()) : std::nullopt;
    if (fd >= 0) ::close(fd);
    registry.insert_delivery(case_id, {kind, "", version, rel, d ? d->sha256 : "", now});
  }
}

}  // namespace kk::cases
