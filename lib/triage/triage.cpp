#include "triage/triage.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <exception>
#include <filesystem>
#include <utility>

#include "cdir/unpack.hpp"
#include "core/cpu_time.hpp"
#include "core/json_head.hpp"
#include "core/jsonl_batch.hpp"
#include "core/jsonl_reader.hpp"
#include "core/output.hpp"
#include "core/parallel.hpp"
#include "core/small_file.hpp"
#include "detect/detect.hpp"
#include "notice/case_file.hpp"
#include "notice/inputs.hpp"
#include "notice/notice.hpp"
#include "timeline/timeline_builder.hpp"
#include "timeline/window.hpp"
#include "triage/background_unpack.hpp"
#include "triage/netlog_stage.hpp"
#include "triage/parse_stage.hpp"
#include "triage/record_files.hpp"
#include "triage/record_stream.hpp"
#include "triage/rule_loading.hpp"
#include "triage/run_json.hpp"
#include "triage/sigma_set.hpp"

namespace kk::triage {

namespace {

namespace fs = std::filesystem;

// A failure whose reason a diagnostic has already printed (unpack's): the caller says it once.
struct ReportedFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Wall and process CPU seconds (all threads) since it was made.
class Stopwatch {
 public:
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  double cpu_seconds() const { return process_cpu_seconds() - cpu_; }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double cpu_ = process_cpu_seconds();
};

void write_file(const CaseDir& dir, std::string_view name, std::string_view text) {
  if (auto w = dir.write_file(name, text); !w) throw std::runtime_error(w.error().message);
}

void open_output(const CaseDir& dir, std::string_view name, Output& out) {
  auto file = dir.create_file(name);
  if (!file) throw std::runtime_error(file.error().message);
  std::string err;
  if (!out.open(std::move(*file), &err))
    throw std::runtime_error("cannot write " + dir.path_of(name) + ": " + err);
}

// The case: from CASE.json, or a minimal one with the intake marked "not provided".
// When the collection ended: the latest collector-log end (else the latest bundle folder
// time, the collection start, plus a margin for a slow collection) over the bundles.
std::optional<UtcMicros> collection_end(const cdir::UnpackResult& u) {
  constexpr std::int64_t kSlowCollection = 12LL * 3600 * 1000000;
  std::optional<UtcMicros> end;
  for (const auto& b : u.bundles) {
    std::optional<UtcMicros> e = b.summary.collection_end;
    if (!e && b.summary.folder_time) e = *b.summary.folder_time + kSlowCollection;
    if (e && (!end || *e > *end)) end = e;
  }
  return end;
}

notice::CaseFile load_case(const Options& o, notice::Lang lang) {
  if (!o.case_path.empty()) {
    auto text = read_small_file(o.case_path, notice::kMaxCaseFile);
    if (!text) throw std::runtime_error("case file: " + text.error().message);
    notice::CaseParse cp = notice::parse_case(*text, o.tz, lang);
    // --detected-at supplies (or overrides) the case's detection time, so its absence
    // from the case file is no error then.
    std::string msg;
    for (const auto& p : cp.problems)
      if (p.error && !(o.detected_at && p.path == "detection.detected_at"))
        msg += " " + (p.path.empty() ? std::string() : p.path + ": ") + p.message + ";";
    if (!msg.empty()) throw std::runtime_error("case file " + o.case_path + " is not valid:" + msg);
    notice::CaseFile c = std::move(cp.value);
    if (o.detected_at) c.detected_at = *o.detected_at;
    auto& suspects = c.lists["detection.suspect_files"];
    for (const auto& s : o.suspects)
      if (std::find(suspects.begin(), suspects.end(), s) == suspects.end()) suspects.push_back(s);
    return c;
  }
  notice::CaseFile c;
  c.detected_at = o.detected_at.value_or(0);
  c.lists["detection.suspect_files"] = o.suspects;
  // Completion = today (in the case's zone), so the retention date is concrete.
  std::string today = format_local(std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count(),
                                   o.tz)
                          .substr(0, 10);
  if (auto d = notice::parse_civil_date(today)) c.completion = *d;
  c.text["completion_date"] = today;
  return c;
}

}  // namespace

Report run(const Options& o, Diagnostics& diag) {
  CaseDir::Policy policy;
  policy.inputs = {o.bundle};
  policy.inputs.insert(policy.inputs.end(), o.netlogs.begin(), o.netlogs.end());
  auto case_dir = CaseDir::open(o.out_dir, policy);
  if (!case_dir) {  // refused: nothing is written, not even run.json
    Report r;
    r.error = case_dir.error().message;
    return r;
  }
  return run(o, *case_dir, diag);
}

Report run(const Options& o, const CaseDir& case_dir, Diagnostics& diag) {
  Report r;
  Stopwatch total;
  auto stage = [&](const char* name, auto&& fn) {
    Stopwatch sw;
    fn();
    r.timings.push_back({name, sw.seconds(), sw.cpu_seconds()});
  };
  // A stage run while the rules load: their thread's CPU is theirs, not the stage's.
  auto stage_beside = [&](const char* name, RuleLoading& beside, auto&& fn) {
    Stopwatch sw;
    const double beside_cpu = beside.cpu_seconds_so_far();
    fn();
    r.timings.push_back(
        {name, sw.seconds(), sw.cpu_seconds() - (beside.cpu_seconds_so_far() - beside_cpu)});
  };
  const std::string& dir = case_dir.path();
  try {
    // Every diagnostic of the run is kept with the case (the notice lists damage).
    if (!diag.has_jsonl()) {
      auto file = case_dir.create_file("diagnostics.jsonl");
      std::string err;
      if (!file || !diag.open_jsonl(std::move(*file), &err))
        throw std::runtime_error(file ? "cannot write " + dir + "/diagnostics.jsonl: " + err
                                      : file.error().message);
    }
    notice::Lang lang = o.lang == "en" ? notice::Lang::kEn : notice::Lang::kJa;
    notice::CaseFile case_file = load_case(o, lang);
    std::vector<std::string> suspects = case_file.list("detection.suspect_files");
    if (case_file.detected_at != 0) r.anchor = case_file.detected_at;
    if (!o.window_all && case_file.detected_at == 0)
      throw std::runtime_error(
          "no detection time: give --detected-at (or a case file with detection.detected_at), or "
          "--window all");

    Diagnostics rules_diag(diag.tool(), Diagnostics::Hold{});
    detect::Options dopt;
    dopt.rule_paths = o.rule_paths;
    // The vetted SigmaHQ set shipped with kakekomi (sigma/README.md), unless switched off.
    if (o.default_sigma) {
      std::string sigma = default_sigma_dir();
      if (sigma.empty())
        rules_diag.warning("triage", std::nullopt,
                           "the default Sigma rule set (sigma/rules) was not found: built-in rules "
                           "only (set KK_SIGMA_DIR)");
      else
        dopt.rule_paths.insert(dopt.rule_paths.begin(), sigma);
    }
    dopt.suspects = suspects;
    // One thread: with libyaml, reading the files is a third of loading the default set
    // (0.18 s in all), and a second thread cost 1.7x the CPU for no gain in wall time while
    // the rest of triage wants the cores (docs/notes/issue-21-pipeline.md, session 15).
    dopt.load_jobs = 1;
    detect::Detector det(dopt, diag);
    // The rules load on their own thread while the bundle is unpacked and parsed; their
    // reports are held and told after the parse stage's (rule_loading.hpp).
    RuleLoading rules(det, rules_diag);

    // 1. unpack: the manifest and the chain of custody. A folder read in place is listed
    // here and hashed beside the parse stage (background_unpack.hpp).
    cdir::UnpackResult unpacked;
    cdir::UnpackOptions uo;
    uo.password = o.password;
    uo.include_memory = o.include_memory;
    uo.jobs = o.jobs;
    uo.tz = o.tz;
    uo.progress = o.progress;
    auto evidence = case_dir.create_dir("evidence");
    if (!evidence) throw std::runtime_error(evidence.error().message);
    uo.out_dir_fd = evidence->fd();
    std::optional<BackgroundUnpack> hashing;
    std::string manifest_text;
    auto write_manifest = [&] {
      cdir::append_jsonl(manifest_text, unpacked);
      write_file(case_dir, "manifest.jsonl", manifest_text);
    };
    const std::size_t unpack_timing_at = r.timings.size();
    stage_beside("unpack", rules, [&] {
      std::error_code ec;
      if (fs::is_directory(o.bundle, ec)) {
        cdir::UnpackOptions lo = uo;
        lo.hashes = HashSet{};
        lo.progress = false;
        Diagnostics listing_diag(diag.tool(), Diagnostics::Hold{});  // the hashing run tells
        if (cdir::unpack(o.bundle, evidence->path(), lo, listing_diag, unpacked) &&
            !unpacked.bundles.empty()) {
          uo.progress = false;  // the parse stage shows its own
          hashing.emplace(o.bundle, evidence->path(), uo, diag);
          return;
        }
        unpacked = {};  // unreadable or not a bundle: said by the run below
      }
      cdir::unpack(o.bundle, evidence->path(), uo, diag, unpacked);
      write_manifest();
    });
    // Throws what a failed unpack said (after the hashing, if it is beside the parse stage).
    auto check_unpacked = [&] {
      if (!unpacked.unreadable.empty())
        throw ReportedFailure(o.bundle + ": " + unpacked.unreadable);
      if (!unpacked.stopped.empty()) throw ReportedFailure("unpack stopped: " + unpacked.stopped);
      if (unpacked.bundles.empty()) throw ReportedFailure("no CDIR-C bundle found in " + o.bundle);
    };
    check_unpacked();
    // The hashing beside the parse stage ends with it: its reports are told, then the parse
    // stage's, and the manifest is written as if the unpack had ended first. A run that
    // fails before then still waits for it and leaves the manifest, as the unpack did.
    bool hashing_ended = false;
    auto end_hashing = [&] {
      if (!hashing || std::exchange(hashing_ended, true)) return;
      hashing->finish();
      unpacked = std::move(hashing->result());
      write_manifest();
    };
    struct EndOnFailure {
      decltype(end_hashing)& end;
      ~EndOnFailure() {
        if (std::uncaught_exceptions() == 0) return;
        try {
          end();
        } catch (...) {  // the failure under way is the one to report
        }
      }
    } end_on_failure{end_hashing};
    std::vector<cdir::ManifestEntry> entries = unpacked.loose;
    for (const auto& b : unpacked.bundles) {
      r.hosts.push_back(b.summary.host);
      entries.insert(entries.end(), b.entries.begin(), b.entries.end());
    }
    r.counts["manifest_files"] = entries.size();

    // 2. parse, in one pass with the timeline's mapping and the rules' matching: each
    // parser's lines go to records/<artifact>.jsonl and, parsed once, to both consumers.
    timeline::BuildOptions bo;
    bo.temp_dir = dir;
    // The sorter's share of triage's 512 MB target (#21); the rest is the parsers' and the
    // record stream's bounded pools, the mapped evidence and the detector, which live at the
    // same time. A smaller budget costs little: once the timeline is larger than the budget
    // every event is spilled once and merged once whatever the number of runs.
    bo.memory_budget = 128ull << 20;
    bo.tz = o.tz;
    bo.lang = timeline::Lang::kEn;  // machine output stays English (CONTRACT.md)
    timeline::TimelineBuilder tb(bo, diag);
    const std::size_t rules_timing_at = r.timings.size();  // listed after unpack's
    notice::NoticeInputs in(suspects);
    JsonlBatch json;  // in-memory JSONL of this thread (manifest, window events, findings)
    auto records_dir = case_dir.create_dir("records");
    if (!records_dir) throw std::runtime_error(records_dir.error().message);
    RecordFiles records(std::move(*records_dir));
    RecordStream stream(records, tb, det, diag, resolve_jobs(o.jobs));
    stream.set_before_matching([&] { rules.finish(); });
    // The notice describes the device from its own registry (version, time zone).
    OwnAddresses own;  // the PC's addresses, for joining the network logs
    stream.set_observer([&](simdjson::dom::element rec) {
      own.observe(rec);
      in.cover_record(rec);  // what each kind of data covers (the verdicts' cannot_tell)
      std::string_view artifact = json_str(rec, "artifact");
      if (artifact == "system_info" || artifact == "timezone")
        in.add_record(rec, "records", 0, diag);
    });
    std::string netlog_summaries;  // netlog_input records (docs/records.md), for the notice
    stage_beside("parse", rules, [&] {
      ParseOptions po;
      po.jobs = o.jobs;
      po.progress = o.progress;
      po.recover_evtx = o.recover_evtx;
      ParseCounts pc =
          parse_bundle(entries, po, diag, [&](std::string_view lines) { stream.write(lines); });
      // Network logs: after the PC's own records, which say what its addresses are.
      std::vector<NetlogInput> bundled;
      for (const auto& e : entries)
        if (!e.path.empty() &&
            (e.source.starts_with("netlog/") || e.source.find("/netlog/") != std::string::npos))
          bundled.push_back({e.path, e.source});
      const std::vector<NetlogInput> netlogs = netlog_inputs(o.netlogs, bundled, diag);
      if (!netlogs.empty()) {
        stream.wait_seen();
        std::optional<UtcMicros> from, to;
        if (!o.window_all && case_file.detected_at != 0) {
          from = case_file.detected_at - o.before;
          if (o.after)
            to = case_file.detected_at + *o.after;
          else
            to = case_file.detected_at;
        }
        NetlogStageResult nr = run_netlog_stage(
            netlogs, own.addresses(), own.origin(), own.destinations(), own.srum_hours(), o.tz,
            from, to, diag, [&](std::string_view lines) { stream.write(lines); });
        write_file(case_dir, "netlog-inputs.jsonl", nr.summaries);
        netlog_summaries = std::move(nr.summaries);
        r.counts["netlog_files"] = nr.files;
        r.counts["netlog_lines"] = nr.lines;
        r.counts["netlog_records"] = nr.written;
        r.counts["netlog_beacons"] = nr.beacons;
        r.counts["netlog_volume_hours"] = nr.volume_hours;
      }
      stream.finish();
      if (!records.close()) throw std::runtime_error("cannot write records in " + dir + "/records");
      end_hashing();
      for (const auto& [kind, n] : pc.files_by_kind) r.counts["parsed_" + kind + "_files"] = n;
      r.counts["unparsed_files"] = pc.unparsed_files;
    });
    if (hashing) {
      // Its time is the unpack's; its CPU was counted in the parse stage's.
      r.timings[unpack_timing_at].seconds += hashing->seconds();
      r.timings[unpack_timing_at].cpu_seconds += hashing->cpu_seconds();
      r.timings.back().cpu_seconds -= hashing->cpu_seconds();
      check_unpacked();
    }
    // The manifest: the timeline takes the bundle's host from it (when it writes), the notice
    // the inventory.
    std::uint64_t manifest_line = 0;
    json.for_each(manifest_text, [&](std::string_view line, simdjson::dom::element e, bool ok) {
      ++manifest_line;
      if (!ok) return;
      tb.add_record(e, "manifest.jsonl", manifest_line, line);
      in.add_record(e, "manifest.jsonl", manifest_line, diag);
    });
    r.timings.insert(r.timings.begin() + static_cast<std::ptrdiff_t>(rules_timing_at),
                     rules.finish());
    diag.tell(rules_diag.take_notes());
    for (const auto& rs : det.rule_statuses())
      if (rs.status == "loaded")
        ++in.rules_loaded[rs.path.rfind("rules/", 0) == 0 ? "builtin" : "sigma"];
    // Parts of the parse stage's wall time, each on a thread of its own (RecordStream).
    auto busy = [&](const char* name, RecordStream::Busy b) {
      r.timings.push_back({name, b.seconds, b.cpu_seconds});
    };
    busy("parse.records_out", stream.records_busy());
    busy("parse.timeline_map", stream.timeline_busy());
    busy("parse.timeline_sort", stream.sort_busy());
    busy("parse.detect_match", stream.detect_busy());
    r.records = records.counts();

    // The network logs received: the notice's scope lists them (netlog_input records).
    std::uint64_t netlog_line = 0;
    json.for_each(netlog_summaries, [&](std::string_view, simdjson::dom::element e, bool ok) {
      if (ok) in.add_record(e, "netlog-inputs.jsonl", ++netlog_line, diag);
    });

    // 3+4. timeline, sorted, and the window cut from it as it is written.
    timeline::WindowOptions wo;
    // Nothing after the collection can have happened: the window ends there (times
    // beyond it are out of range, counted for the notice's limitations).
    std::optional<UtcMicros> collected = collection_end(unpacked);
    if (!o.window_all) {
      wo.anchor = case_file.detected_at;
      wo.before = o.before;
      wo.after = o.after;
      if (collected && *collected >= case_file.detected_at) wo.until = collected;
    }
    timeline::WindowFilter filter(wo);
    stage("timeline", [&] {
      Output out, window_out;
      open_output(case_dir, "timeline.jsonl", out);
      open_output(case_dir, "window.jsonl", window_out);
      out.write_in_background();  // overlaps the kernel's copy with sorting and rendering
      window_out.write_in_background();
      auto window = [&](UtcMicros t, std::string_view line) {
        if (filter.outside(t)) {  // most of a long timeline: no need to parse it
          if ((collected && t > *collected) || t < notice::NoticeInputs::kTimeFloor) {
            const std::string_view reason =
                t < notice::NoticeInputs::kTimeFloor ? "before_floor" : "after_collection";
            static constexpr std::array<std::string_view, 2> kKeys{"artifact", "source"};
            std::array<std::string_view, 2> head;
            if (json_head_strings(line, kKeys, head))  // read from the line's start only
              in.add_out_of_range(head[0], head[1], t, reason);
            else
              json.for_each(line, [&](std::string_view, simdjson::dom::element ev, bool ok) {
                if (ok)
                  in.add_out_of_range(json_str(ev, "artifact"), json_str(ev, "source"), t, reason);
              });
          }
          return;
        }
        json.for_each(line, [&](std::string_view text, simdjson::dom::element ev, bool ok) {
          if (!ok || !filter.keep(ev)) return;
          window_out.write(text);
          window_out.write("\n");
          in.add_record(ev, "window.jsonl", filter.stats().kept, diag);
        });
      };
      if (!tb.write(out, window) || !out.close())
        throw std::runtime_error("cannot write timeline.jsonl");
      if (!window_out.close()) throw std::runtime_error("cannot write window.jsonl");
      tb.remove_runs();  // now that nothing waits on the disk behind it
      write_file(case_dir, "window-stats.json", filter.stats_json());
      const timeline::WindowStats& ws = filter.stats();
      notice::NoticeInputs::WindowCut cut;
      cut.from = ws.from;
      cut.to = ws.to;
      cut.kept = static_cast<std::int64_t>(ws.kept);
      cut.before = static_cast<std::int64_t>(ws.before_window);
      cut.after = static_cast<std::int64_t>(ws.after_window);
      for (const auto& [a, n] : ws.per_artifact) cut.per_artifact[a] = static_cast<std::int64_t>(n);
      in.window_cut = std::move(cut);
      // The runs written beside the sorter, most during the parse: listed with its parts.
      const auto sort_at = std::find_if(r.timings.begin(), r.timings.end(), [](const auto& t) {
        return t.stage == "parse.timeline_sort";
      });
      if (sort_at != r.timings.end() && tb.stats().runs > 0)
        r.timings.insert(sort_at + 1, {"parse.timeline_spill", tb.stats().spill_seconds,
                                       tb.stats().spill_cpu_seconds});
      r.counts["timeline_events"] = tb.stats().events;
      r.counts["window_events"] = filter.stats().kept;
      r.counts["outside_window_events"] =
          filter.stats().before_window + filter.stats().after_window;
    });

    // 5. detect: stateful rules, grouping, findings.jsonl.
    std::string findings;
    stage("detect", [&] {
      findings = det.finish();
      write_file(case_dir, "findings.jsonl", findings);
      r.counts["findings"] = det.stats().findings;
    });
    std::uint64_t finding_line = 0;
    json.for_each(findings, [&](std::string_view, simdjson::dom::element e, bool ok) {
      if (!ok) return;
      ++r.findings[std::string(json_str(e, "severity", "unknown"))];
      in.add_record(e, "findings.jsonl", ++finding_line, diag);
    });

    // 6. notice (HTML and Markdown), the 速報, the appendix and its CSV files.
    stage("notice", [&] {
      diag.flush();  // every stage's damage, for the notice's limitations
      // Under its temporary name until the run ends (core/atomic_file, #22).
      const std::string written = diag.jsonl_path();
      in.add_file(written.empty() ? dir + "/diagnostics.jsonl" : written, diag, true);
      notice::RenderOptions ro;
      ro.lang = lang;
      ro.tz = o.tz;
      ro.before = o.before;
      for (const auto& doc : notice::render_case_documents(case_file, in, ro, resolve_jobs(o.jobs)))
        write_file(case_dir, doc.name, doc.content);
    });
    r.warnings = diag.warnings();
    r.errors = diag.errors();
    r.status = r.warnings + r.errors > 0 ? "completed_with_damage" : "completed";
  } catch (const ReportedFailure& e) {
    r.status = "failed";
    r.error = e.what();
    r.error_reported = true;
  } catch (const std::exception& e) {
    r.status = "failed";
    r.error = e.what();
  }
  r.seconds = total.seconds();
  r.cpu_seconds = total.cpu_seconds();
  r.warnings = diag.warnings();
  r.errors = diag.errors();
  // Only into the folder this run holds (CaseDir): a refused folder got nothing.
  (void)case_dir.write_file("run.json", render_run_json(o, r));
  return r;
}

}  // namespace kk::triage
