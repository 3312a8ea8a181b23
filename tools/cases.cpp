// cases: a case from intake to deletion — several PCs, deadlines, the 業務完了通知書,
// retention — over a registry (SQLite ROOT/cases.db, or PostgreSQL). See man/cases.1.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cases/commands.hpp"
#include "core/cli.hpp"

namespace {

kk::UtcMicros clock_now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<kk::UtcMicros>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

}  // namespace

int main(int argc, char** argv) {
  kk::Tool tool("cases", "Cases from intake to deletion: PCs, deadlines, notices, retention");
  tool.without_output();
  auto& app = tool.app();
  app.fallthrough();  // --now, --registry, --tz … may follow the subcommand
  app.require_subcommand(1);
  std::string now_text, registry, lang = "ja";
  bool json = false;
  app.add_option("--now", now_text,
                 "Stand-in for the clock (TIME), to rehearse a case's month or test it");
  app.add_option("--registry", registry,
                 "PostgreSQL registry (postgresql://…; default $KK_REGISTRY, else ROOT/cases.db)");
  app.add_option("--lang", lang, "Language of the documents (ja, en)")
      ->check(CLI::IsMember({"ja", "en"}));
  app.add_flag("--json", json, "status/list: JSON instead of the text screen");

  std::string case_dir, case_json, root, format = "csv", password_file, triage, reason,
                                         meeting_text, host;
  std::vector<std::string> inputs;
  unsigned pcs_at_once = 2;
  bool no_sigma = false, execute = false, dry_run = false, force = false;

  auto* init = app.add_subcommand("init", "Register a case: ROOT/CASEID and its intake");
  init->add_option("CASEDIR", case_dir, "ROOT/CASEID (CASEID = CASE.json's case_id)")->required();
  init->add_option("--case", case_json, "CASE.json (render-notice --case-template)")->required();

  auto* add = app.add_subcommand("add", "Receive bundles or network logs (copied, hashed)");
  add->add_option("CASEDIR", case_dir, "The case folder")->required();
  add->add_option("INPUT", inputs, "CDIR-C bundle (folder or archive) or network log")->required();
  add->add_option("--host", host, "The PC of the bundle, when its name does not say it");

  auto* run = app.add_subcommand("run", "Triage every PC not yet done, then the case notice");
  run->add_option("CASEDIR", case_dir, "The case folder")->required();
  run->add_option("--pcs", pcs_at_once, "PCs triaged at once (default 2; --jobs: threads each)");
  run->add_option("--password-file", password_file, "Archive password (first line)");
  run->add_flag("--no-sigma", no_sigma, "Triage without the default Sigma set");
  run->add_option("--triage", triage, "The triage program (default: beside cases, else $PATH)");

  auto* status = app.add_subcommand("status", "One case: state, PCs, dates (--json)");
  status->add_option("CASEDIR", case_dir, "The case folder")->required();

  auto* complete = app.add_subcommand("complete", "Complete the case: the 業務完了通知書");
  complete->add_option("CASEDIR", case_dir, "The case folder")->required();
  complete->add_option("--meeting", meeting_text, "When the report meeting was held (TIME)");

  auto* purge = app.add_subcommand("purge", "Delete the customer's data after the deletion date");
  purge->add_option("CASEDIR", case_dir, "The case folder")->required();
  purge->add_flag("--dry-run", dry_run, "List what would be deleted (the default)");
  purge->add_flag("--execute", execute, "Delete, verify, record");
  purge->add_flag("--force", force, "Delete before the deletion date or without completion");
  purge->add_option("--reason", reason, "Why --force (recorded)");

  auto* stats = app.add_subcommand("stats", "The anonymized malware facts kept after purges");
  stats->add_option("ROOT", root, "The case root (holding cases.db)")->required();
  stats->add_option("--format", format, "csv or jsonl")->check(CLI::IsMember({"csv", "jsonl"}));

  auto* list = app.add_subcommand("list", "Every case under ROOT: due this week, delete today");
  list->add_option("ROOT", root, "The case root (holding cases.db)")->required();

  return tool.run(argc, argv, [&](kk::Tool& t) -> int {
    kk::cases::Context ctx;
    ctx.tz = t.options().tz;
    ctx.quiet = t.options().quiet;
    ctx.lang = lang;
    ctx.registry = registry;
    if (ctx.registry.empty()) {
      if (const char* env = std::getenv("KK_REGISTRY")) ctx.registry = env;
    }
    std::optional<kk::UtcMicros> now;
    if (!t.time_option("--now", now_text, now)) return 2;
    ctx.now = now ? *now : clock_now();
    if (execute && dry_run) {
      t.error("--dry-run and --execute exclude each other");
      return 2;
    }
    kk::cases::Outcome o;
    if (*init) {
      o = kk::cases::init_case(ctx, case_dir, case_json);
    } else if (*add) {
      o = kk::cases::add_inputs(ctx, case_dir, inputs, {host});
    } else if (*run) {
      kk::cases::RunOptions ro;
      ro.jobs = pcs_at_once;
      ro.triage_jobs = t.options().jobs;
      ro.password_file = password_file;
      ro.sigma = !no_sigma;
      ro.triage = triage;
      o = kk::cases::run_case(ctx, case_dir, ro);
    } else if (*status) {
      o = kk::cases::status_case(ctx, case_dir, json);
    } else if (*complete) {
      kk::cases::CompleteOptions co;
      if (!t.time_option("--meeting", meeting_text, co.meeting)) return 2;
      o = kk::cases::complete_case(ctx, case_dir, co);
    } else if (*purge) {
      o = kk::cases::purge_case(ctx, case_dir, {execute, force, reason});
    } else if (*stats) {
      o = kk::cases::stats_root(ctx, root, format);
    } else if (*list) {
      o = kk::cases::list_root(ctx, root, json);
    }
    std::fputs(o.out.c_str(), stdout);
    if (!o.error.empty()) {  // the first line as the tool's message, the rest (a list) below
      auto nl = o.error.find('\n');
      t.error(o.error.substr(0, nl));
      if (nl != std::string::npos) std::fprintf(stderr, "%s\n", o.error.substr(nl + 1).c_str());
    }
    return o.status;
  });
}
