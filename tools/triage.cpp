// triage: one command from a received CDIR-C bundle to the investigation notice.
#include <cstdio>

#include <algorithm>

#include "core/cli.hpp"
#include "core/huge_pages.hpp"
#include "core/jsonl_reader.hpp"
#include "core/password_file.hpp"
#include "core/printable.hpp"
#include "core/time.hpp"
#include "triage/batch.hpp"
#include "triage/triage.hpp"

namespace {

// The files the run's warnings and errors named (CASEDIR/diagnostics.jsonl), for the summary.
std::vector<std::string> damaged_files(const std::string& diagnostics) {
  std::vector<std::string> files;
  kk::JsonlReader in;
  std::string err;
  if (!in.open(diagnostics, &err)) return files;
  simdjson::dom::element d;
  while (in.next(&d, &err)) {
    if (!err.empty() || kk::json_str(d, "severity") == "info") continue;
    std::string file(kk::json_str(d, "file"));
    if (!file.empty() && std::find(files.begin(), files.end(), file) == files.end())
      files.push_back(file);
  }
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  kk::use_huge_pages(argv);  // its heap grows large: see core/huge_pages.hpp
  kk::Tool tool(
      "triage",
      "Runs every stage on a CDIR-C bundle: unpack, parse, timeline, window, detect, notice");
  std::string bundle, detected_at, before = "3d", after, case_path, password_file, batch, window,
                                   lang = "ja";
  std::vector<std::string> suspects, rules, netlogs;
  bool include_memory = false, recover = false, resume = false, no_sigma = false;
  auto& app = tool.app();
  app.add_option("BUNDLE", bundle, "CDIR-C folder or archive (zip/7z/tar)");
  app.add_option("--detected-at", detected_at,
                 "Antivirus detection time, the window anchor: \"2019-07-19 05:40 JST\", ISO 8601 "
                 "with an offset or Z (no zone: --tz; a date alone: 00:00)");
  app.add_option("--suspect", suspects, "Suspect file name, path or hash (repeatable)");
  app.add_option("--case", case_path, "CASE.json intake (render-notice --case-template)");
  app.add_option("--before", before, "Lookback from the detection time (90m, 36h, 3d, 1w)");
  app.add_option("--after", after,
                 "Keep events up to this long after detection (default: unbounded)");
  app.add_option("--window", window, "'all' keeps every event (no detection time needed)")
      ->check(CLI::IsMember({"all"}));
  app.add_option("--password-file", password_file, "File whose first line is the archive password");
  app.add_option("--rules", rules, "Extra Sigma rule file or directory (repeatable)");
  app.add_flag("--no-sigma", no_sigma,
               "Do not load the default Sigma set (sigma/rules, vetted SigmaHQ rules)");
  app.add_option("--lang", lang, "Notice language")->check(CLI::IsMember({"ja", "en"}));
  app.add_option(
      "--netlog", netlogs,
      "Network/security logs of the case (file or folder, repeatable): lines involving the "
      "PC's addresses and detections are joined to its timeline and findings");
  app.add_flag("--include-memory", include_memory, "Also extract and hash memory images (RAM_*)");
  app.add_flag("--recover", recover, "Also carve deleted EVTX records from slack space");
  app.add_option("--batch", batch,
                 "Directory of bundles, or a file listing one bundle path per line");
  app.add_flag("--resume", resume,
               "With --batch: skip bundles whose case folder is already complete");
  tool.options().output.clear();
  tool.describe_output(
      "CASEDIR: the case folder to create (new or empty), where every result is written "
      "(with --batch: OUTROOT, one case folder per bundle)");
  return tool.run(argc, argv, [&](kk::Tool& t) -> int {
    const auto& common = t.options();
    if (common.output.empty() || common.output == "-") {
      t.error("-o CASEDIR (or OUTROOT with --batch) is required");
      return 2;
    }
    if (bundle.empty() == batch.empty()) {
      t.error(batch.empty() ? "give a BUNDLE (or --batch DIR_OR_LIST)"
                            : "give either BUNDLE or --batch, not both");
      return 2;
    }
    kk::triage::Options o;
    o.bundle = bundle;
    o.out_dir = common.output;
    o.window_all = window == "all";
    o.suspects = suspects;
    o.case_path = case_path;
    o.rule_paths = rules;
    o.default_sigma = !no_sigma;
    o.netlogs = netlogs;
    o.include_memory = include_memory;
    o.recover_evtx = recover;
    o.jobs = t.jobs();
    o.progress = t.show_progress();
    o.tz = common.tz;
    o.lang = lang;
    if (!t.time_option("--detected-at", detected_at, o.detected_at) ||
        !t.duration_option("--before", before, o.before))
      return 2;
    if (!after.empty()) {
      std::int64_t a;
      if (!t.duration_option("--after", after, a)) return 2;
      o.after = a;
    }
    if (!password_file.empty()) {
      auto pw = kk::read_password_file(password_file);
      if (!pw) {
        t.error(pw.error().message);
        return 2;
      }
      o.password = *pw;
    }
    if (!batch.empty()) {
      std::string err;
      auto items = kk::triage::list_batch(batch, common.output, &err);
      if (!err.empty()) {
        t.error(err);
        return 1;
      }
      kk::triage::BatchOptions bo{o, resume};
      std::string table;
      int status = kk::triage::run_batch(items, bo, common.output, t.name(), &table);
      std::fputs(table.c_str(), stdout);
      return status;
    }
    if (!o.detected_at && !o.window_all && case_path.empty()) {
      t.error("--detected-at TIME is required (the antivirus detection time), or --window all");
      return 2;
    }
    kk::triage::Report r = kk::triage::run(o, t.diag());
    if (r.status == "failed") {
      if (!r.error_reported) t.error(r.error);
      return 1;
    }
    // The run is complete either way: damage is input that was read around, said with the
    // files it was in, so "completed_with_damage" (run.json's status) is not read as failure.
    std::string damage;
    if (r.status == "completed_with_damage") {
      t.diag().flush();  // CASEDIR/diagnostics.jsonl, still under its temporary name
      std::vector<std::string> files = damaged_files(t.diag().jsonl_path());
      damage = "; damaged input read as far as possible (" + std::to_string(r.warnings) +
               " warning(s), " + std::to_string(r.errors) + " error(s), listed above)";
      for (std::size_t i = 0; i < files.size() && i < 3; ++i)
        damage += (i ? ", " : ": ") + kk::printable(files[i]);
      if (files.size() > 3) damage += ", …";
    }
    std::printf("%s: run complete — %llu findings; notice: %s/notice.html%s\n", t.name().c_str(),
                static_cast<unsigned long long>(r.counts["findings"]), o.out_dir.c_str(),
                damage.c_str());
    return 0;
  });
}
