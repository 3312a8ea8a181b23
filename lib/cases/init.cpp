// cases init ROOT/CASEID --case CASE.json: the case folder, its intake, its registry row.
#include <filesystem>

#include "cases/case_folder.hpp"
#include "cases/commands.hpp"
#include "cases/intake.hpp"
#include "core/case_dir.hpp"
#include "core/small_file.hpp"

namespace kk::cases {

Outcome init_case(const Context& ctx, const std::string& case_dir, const std::string& case_json) {
  auto where = locate_case(case_dir);
  if (!where) return Outcome::failed(where.error().message, 2);
  auto read = read_small_file(case_json, notice::kMaxCaseFile);
  if (!read) return Outcome::failed(read.error().message);
  const std::string& text = *read;
  IntakeCheck check = check_intake(text, where->case_id, ctx.now, ctx.tz);
  if (!check.errors.empty()) {
    std::string msg = case_json + ": " + std::to_string(check.errors.size()) +
                      " field(s) to correct; nothing was created:";
    for (const auto& e : check.errors) msg += "\n  " + e;
    return Outcome::failed(msg);
  }
  std::error_code ec;
  std::filesystem::create_directories(where->root, ec);
  auto registry = open_registry(ctx, where->root, true);
  if (registry->find_case(where->case_id))
    return Outcome::failed(where->case_id + ": already registered in " + registry->describe());
  auto dir = CaseDir::open(where->path, CaseDir::Policy{});
  if (!dir) return Outcome::failed(dir.error().message);

  Transaction tx(registry->db());
  if (registry->find_case(where->case_id))  // another init got there first
    return Outcome::failed(where->case_id + ": already registered in " + registry->describe());
  CaseRow c;
  c.case_id = where->case_id;
  c.folder = where->path;
  c.customer = std::string(check.value.get("customer.company"));
  c.analyst = std::string(check.value.get("analyst"));
  c.state = CaseState::kIntake;
  c.created_at = ctx.now;
  c.case_json = text;
  registry->insert_case(c);
  registry->audit(c.case_id, ctx.now, "init",
                  json_object({{"folder", c.folder}, {"case_json", case_json}}));
  auto written = dir->write_file("CASE.json", text);
  if (!written) return Outcome::failed(written.error().message);
  tx.commit();
  Outcome o;
  o.out = "cases: " + c.case_id + " registered (" + registry->describe() + "); folder " + c.folder +
          "\n";
  for (const auto& w : check.warnings) o.out += "  note: " + w + "\n";
  return o;
}

}  // namespace kk::cases
