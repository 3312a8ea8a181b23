// End to end on the bundled sample (samples/, built from real corpus files): every
// stage runs in-process and its output states facts we know about the sample.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "../cdir/bundle_fixture.hpp"
#include "../notice/browser_util.hpp"
#include "../test_util.hpp"
#include "../timeline/schema_check.hpp"
#include "../timeline/timeline_test_util.hpp"
#include "core/jsonl_reader.hpp"
#include "core/time.hpp"
#include "detect/detect.hpp"
#include "timeline/timeline_builder.hpp"
#include "timeline/window.hpp"
#include "triage/batch.hpp"
#include "triage/record_files.hpp"
#include "triage/record_stream.hpp"
#include "triage/sigma_set.hpp"
#include "triage/triage.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kSample = KK_SOURCE_DIR "/samples/MSEDGEWIN10_20190925100000.zip";

template <typename Fn>
std::size_t each_record(const std::string& path, Fn fn) {
  kk::JsonlReader r;
  std::string err;
  REQUIRE(r.open(path, &err));
  simdjson::dom::element e;
  std::size_t n = 0;
  while (r.next(&e, &err)) {
    REQUIRE(err.empty());
    fn(e);
    ++n;
  }
  return n;
}

kk::triage::Options sample_options(const std::string& dir) {
  kk::triage::Options o;
  o.bundle = kSample;
  o.out_dir = dir;
  o.password = "infected";
  o.case_path = KK_SOURCE_DIR "/samples/CASE.json";
  o.jobs = 2;
  return o;
}

// Triage of a folder BUNDLE into ROOT/case, the whole timeline, two jobs.
kk::triage::Options folder_options(const std::string& bundle, const std::string& root) {
  kk::triage::Options o;
  o.bundle = bundle;
  o.out_dir = root + "/case";
  o.window_all = true;
  o.jobs = 2;
  return o;
}

// "file: message" of each report in a diagnostics.jsonl, in order.
std::vector<std::string> diagnostic_lines(const std::string& path) {
  std::vector<std::string> lines;
  each_record(path, [&](simdjson::dom::element e) {
    lines.push_back(std::string(e["file"].get_string().value_unsafe()) + ": " +
                    std::string(e["message"].get_string().value_unsafe()));
  });
  return lines;
}

// Runs triage with diagnostics kept off stderr (they are in the case's diagnostics.jsonl).
kk::triage::Report run_quiet(const kk::triage::Options& o) {
  kk::Diagnostics diag("triage");
  diag.set_stderr_limit(0);
  return kk::triage::run(o, diag);
}

}  // namespace

TEST_CASE("leading_artifact reads only a plain identifier") {
  using kk::triage::leading_artifact;
  CHECK(leading_artifact(R"({"artifact":"evtx","source":"x"})") == "evtx");
  CHECK(leading_artifact(R"({"source":"x","artifact":"evtx"})").empty());
  CHECK(leading_artifact(R"({"artifact":"../../etc/passwd"})").empty());
  CHECK(leading_artifact(R"({"artifact":"evtx)").empty());
}

TEST_CASE("triage on the bundled sample: every stage, facts about the data") {
  std::string dir = kk_test::temp_dir() + "/case";
  kk::triage::Report r = run_quiet(sample_options(dir));
  INFO(r.error);
  REQUIRE(r.status != "failed");
  REQUIRE(r.hosts == std::vector<std::string>{"MSEDGEWIN10"});

  // Chain of custody: every file hashed and equal to collector-log.txt.
  std::string hash_result;
  std::size_t evtx_files = 0;
  each_record(dir + "/manifest.jsonl", [&](simdjson::dom::element e) {
    if (kk::json_str(e, "artifact") == "bundle_summary") {
      simdjson::dom::element h;
      if (e["hash_check"].get(h) == simdjson::SUCCESS)
        hash_result = std::string(kk::json_str(h, "result"));
    }
    if (kk::json_str(e, "kind") == "evtx") ++evtx_files;
  });
  CHECK(hash_result == "ok");
  CHECK(evtx_files == 4);

  // 608 EVTX records: the sum of the 12 source files' counts (evtx_reference_counts.tsv,
  // where libevtx and python-evtx agree).
  std::map<std::int64_t, int> defender;
  std::size_t evtx = each_record(dir + "/records/evtx.jsonl", [&](simdjson::dom::element e) {
    if (kk::json_str(e, "channel") == "Microsoft-Windows-Windows Defender/Operational")
      ++defender[kk::json_int(e, "event_id")];
  });
  CHECK(evtx == 608);
  CHECK(defender[1116] == 6);
  CHECK(defender[1117] == 5);
  // Six Windows 10 (MAM-compressed) prefetch files.
  CHECK(each_record(dir + "/records/prefetch.jsonl", [](simdjson::dom::element) {}) == 6);

  // The window starts 3 days before the detection (2019-07-18T20:40:00Z): the Defender
  // detections are in it.
  std::size_t in_window = each_record(dir + "/window.jsonl", [&](simdjson::dom::element e) {
    CHECK(kk::json_int(e, "timestamp") >= 1563223200000000 - 1);  // 2019-07-15T20:40:00Z
  });
  CHECK(in_window > 500);

  // Detections: the antivirus events give at least one finding about them.
  bool av = false;
  each_record(dir + "/findings.jsonl", [&](simdjson::dom::element e) {
    std::string_view title = kk::json_str(e, "title");
    if (title.find("efender") != std::string_view::npos ||
        title.find("alware") != std::string_view::npos)
      av = true;
  });
  CHECK(av);

  std::string html = kk_test::read_file(dir + "/notice.html");
  CHECK(html.find("MSEDGEWIN10") != std::string::npos);
  CHECK(html.find("調査通知書") != std::string::npos);
  CHECK(html.find("2019-07-19 05:40") != std::string::npos);  // detection time in JST
  std::string md = kk_test::read_file(dir + "/notice.md");
  CHECK(md.find("MSEDGEWIN10") != std::string::npos);
  std::string run = kk_test::read_file(dir + "/run.json");
  CHECK(run.find("\"status\":\"completed") != std::string::npos);
  fs::remove_all(fs::path(dir).parent_path());
}

TEST_CASE("triage refuses a non-empty case folder and a wrong password, with a reason") {
  std::string root = kk_test::temp_dir();
  {
    auto o = sample_options(root);  // root holds nothing yet, but add a file
    std::ofstream(root + "/x") << "x";
    auto r = run_quiet(o);
    CHECK(r.status == "failed");
    CHECK(r.error.find("not empty") != std::string::npos);
  }
  {
    auto o = sample_options(root + "/bad");
    o.password = "wrong";
    auto r = run_quiet(o);
    CHECK(r.status == "failed");
    CHECK_FALSE(r.error.empty());
  }
  fs::remove_all(root);
}

TEST_CASE("batch: one bad bundle does not stop the others; --resume skips finished ones") {
  std::string root = kk_test::temp_dir();
  std::string list = root + "/list.txt";
  // An upload that broke off (the zip cut in the middle), a file that is no archive at
  // all, and a path that does not exist.
  std::string zip = kk_test::read_file(kSample);
  std::ofstream(root + "/CUT_20190719000000.zip", std::ios::binary)
      << zip.substr(0, zip.size() / 2);
  std::ofstream(root + "/GARBAGE_20190719000000.zip", std::ios::binary)
      << std::string(5000, '\x5a');
  std::ofstream(list) << "# intake\n"
                      << kSample << "\n"
                      << root + "/CUT_20190719000000.zip\n"
                      << root + "/GARBAGE_20190719000000.zip\n"
                      << root + "/missing.zip\n";
  std::string err;
  auto items = kk::triage::list_batch(list, root + "/out", &err);
  REQUIRE(items.size() == 4);
  kk::triage::BatchOptions bo;
  bo.base = sample_options("");
  bo.base.case_path.clear();
  bo.base.detected_at = 1563482400000000;  // 2019-07-18T20:40:00Z
  std::string table;
  CHECK(kk::triage::run_batch(items, bo, root + "/out", "triage", &table) == 1);
  std::map<std::string, std::string> status;  // bundle file name -> status column
  for (const auto& row : kk_test::split_lines(table)) {
    auto tab1 = row.find('\t'), tab2 = row.find('\t', tab1 + 1), tab3 = row.find('\t', tab2 + 1);
    if (tab3 == std::string::npos) continue;
    status[fs::path(row.substr(0, tab1)).filename()] = row.substr(tab2 + 1, tab3 - tab2 - 1);
  }
  INFO(table);
  CHECK(status["MSEDGEWIN10_20190925100000.zip"].rfind("completed", 0) == 0);
  CHECK(status["CUT_20190719000000.zip"] == "completed_with_damage");  // what it held is used
  CHECK(status["GARBAGE_20190719000000.zip"] == "failed");
  CHECK(table.find("not a readable archive") != std::string::npos);  // the reason, not a guess
  CHECK(table.find("cannot open") != std::string::npos);
  CHECK(status["missing.zip"] == "failed");
  CHECK(fs::exists(root + "/out/summary.tsv"));
  bo.resume = true;
  CHECK(kk::triage::run_batch(items, bo, root + "/out", "triage", &table) == 1);
  CHECK(table.find("skipped (done)") != std::string::npos);
  fs::remove_all(root);
}

TEST_CASE("in-process hand-over gives the same files as the separate tools would") {
  // triage parses each record once and cuts the window while the timeline is written;
  // the library run over the files it left must give the same bytes.
  std::string dir = kk_test::temp_dir() + "/case";
  kk::triage::Report r = run_quiet(sample_options(dir));
  REQUIRE(r.status != "failed");

  kk::Diagnostics quiet("test");
  quiet.set_stderr_limit(0);
  kk::timeline::BuildOptions bo;
  bo.temp_dir = kk_test::temp_dir();
  kk::timeline::TimelineBuilder tb(bo, quiet);
  tb.add_jsonl(dir + "/manifest.jsonl");
  std::vector<std::string> record_files;
  for (const auto& f : fs::directory_iterator(dir + "/records")) record_files.push_back(f.path());
  std::sort(record_files.begin(), record_files.end());
  CHECK(record_files.size() == r.records.size());
  for (const auto& f : record_files) tb.add_jsonl(f);
  std::string timeline_path = kk_test::temp_dir() + "/timeline.jsonl";
  {
    kk::Output out;
    std::string err;
    REQUIRE(out.open(timeline_path, &err));
    REQUIRE(tb.write(out));
    REQUIRE(out.close());
  }
  // Events are sorted by (time, input order), so the order of the record files does not
  // matter for events of different times; compare as sorted line sets.
  auto sorted_lines = [](const std::string& path) {
    auto lines = kk_test::split_lines(kk_test::read_file(path));
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  auto triage_timeline = sorted_lines(dir + "/timeline.jsonl");
  CHECK(triage_timeline.size() == r.counts["timeline_events"]);
  CHECK(triage_timeline == sorted_lines(timeline_path));

  kk::timeline::WindowOptions wo;
  wo.anchor = *r.anchor;
  // The window ends when the collection ended (the sample's collector-log end time).
  wo.until = *kk::parse_user_time("2019-09-25T01:07:42Z", "UTC");
  kk::timeline::WindowFilter filter(wo);
  std::string window_path = kk_test::temp_dir() + "/window.jsonl";
  {
    kk::Output out;
    std::string err;
    REQUIRE(out.open(window_path, &err));
    REQUIRE(filter.run({dir + "/timeline.jsonl"}, out, quiet));
    REQUIRE(out.close());
  }
  CHECK(kk_test::read_file(window_path) == kk_test::read_file(dir + "/window.jsonl"));
  CHECK(filter.stats_json() == kk_test::read_file(dir + "/window-stats.json"));

  kk::detect::Options dopt;
  dopt.suspects = {
      R"(C:\AtomicRedTeam\atomic-red-team-master\atomics\T1056\Get-Keystrokes.ps1)"};  // CASE.json
  dopt.rule_paths = {kk::triage::default_sigma_dir()};  // triage's default Sigma set
  REQUIRE(!dopt.rule_paths[0].empty());
  kk::detect::Detector det(dopt, quiet);
  det.load_rules();
  for (const auto& f : record_files) each_record(f, [&](simdjson::dom::element e) { det.add(e); });
  auto findings = kk_test::split_lines(det.finish());
  auto triage_findings = kk_test::split_lines(kk_test::read_file(dir + "/findings.jsonl"));
  std::sort(findings.begin(), findings.end());
  std::sort(triage_findings.begin(), triage_findings.end());
  CHECK(findings == triage_findings);
  fs::remove_all(fs::path(dir).parent_path());
}

TEST_CASE("a bundle with a damaged EVTX completes, and the damage is in the notice") {
  std::string root = kk_test::temp_dir();
  std::string bundle = root + "/DAMAGED-PC_20190719000000";
  fs::create_directories(bundle + "/Evtx");
  fs::copy_file(KK_TEST_DATA "/evtx/Security_short_selected.evtx", bundle + "/Evtx/Security.evtx");
  std::string broken = kk_test::read_file(KK_TEST_DATA "/evtx/sysmon_13_keylogger_directx.evtx");
  REQUIRE(broken.size() > 0x1000 + 0x2000);
  for (std::size_t i = 0x1000 + 0x400; i < 0x1000 + 0x1400; ++i)
    broken[i] = static_cast<char>(0xA5);
  std::ofstream(bundle + "/Evtx/Microsoft-Windows-Sysmon%4Operational.evtx", std::ios::binary)
      << broken;

  kk::triage::Report r = run_quiet(folder_options(bundle, root));
  INFO(r.error);
  CHECK(r.status == "completed_with_damage");
  CHECK(r.records["evtx"] > 0);
  CHECK(r.counts["timeline_events"] > 0);
  std::string diags = kk_test::read_file(root + "/case/diagnostics.jsonl");
  CHECK(diags.find("Sysmon%4Operational.evtx") != std::string::npos);
  std::string notice = kk_test::read_file(root + "/case/notice.md");
  CHECK(notice.find("Sysmon%4Operational.evtx") != std::string::npos);
  for (const char* f : {"manifest.jsonl", "timeline.jsonl", "window.jsonl", "window-stats.json",
                        "findings.jsonl", "notice.html", "notice.md", "run.json"})
    CHECK_MESSAGE(fs::exists(root + "/case/" + f), f);
  fs::remove_all(root);
}

TEST_CASE("rules load beside unpack and parse; their reports come after the unpack's, once") {
  std::string root = kk_test::temp_dir();
  std::string bundle = root + "/RULES-PC_20190719000000";  // no collector log: unpack says so
  fs::create_directories(bundle + "/Evtx");
  fs::copy_file(KK_TEST_DATA "/evtx/Security_short_selected.evtx", bundle + "/Evtx/Security.evtx");
  kk::triage::Options o = folder_options(bundle, root);
  o.rule_paths = {root + "/no-such-rules"};
  kk::triage::Report r = run_quiet(o);
  INFO(r.error);
  REQUIRE(r.status != "failed");
  const std::vector<std::string> lines = diagnostic_lines(root + "/case/diagnostics.jsonl");
  auto first = [&](const std::string& part) {
    auto it = std::find_if(lines.begin(), lines.end(),
                           [&](const std::string& l) { return l.find(part) != std::string::npos; });
    return it - lines.begin();
  };
  const auto rules_at = first(root + "/no-such-rules");
  const auto unpack_at = first("no collector-log.txt in the bundle");
  REQUIRE(rules_at < static_cast<std::ptrdiff_t>(lines.size()));
  REQUIRE(unpack_at < static_cast<std::ptrdiff_t>(lines.size()));
  CHECK(unpack_at < rules_at);
  CHECK(std::count_if(lines.begin(), lines.end(), [&](const std::string& l) {
          return l.find("no-such-rules") != std::string::npos;
        }) == 1);
  std::vector<std::string> stages;
  for (const auto& t : r.timings) stages.push_back(t.stage);
  REQUIRE(stages.size() >= 3);
  CHECK(stages[0] == "unpack");
  CHECK(stages[1] == "rules");
  CHECK(r.timings[1].cpu_seconds >= 0);
  fs::remove_all(root);
}

TEST_CASE("a suspect's execution: prefetch and process creation both found") {
  // calc.exe ran on MSEDGEWIN10 (Sysmon 1) and has a Windows 10 prefetch file in the sample.
  std::string dir = kk_test::temp_dir() + "/case";
  kk::triage::Options o = sample_options(dir);
  o.case_path.clear();
  o.window_all = true;
  o.suspects = {"calc.exe"};
  kk::triage::Report r = run_quiet(o);
  INFO(r.error);
  REQUIRE(r.status != "failed");
  std::map<std::string, std::set<std::string>> suspect_findings;  // title -> evidence artifacts
  each_record(dir + "/findings.jsonl", [&](simdjson::dom::element e) {
    simdjson::dom::element s;
    if (e["suspect"].get(s) != simdjson::SUCCESS || s.is_null()) return;
    auto& artifacts = suspect_findings[std::string(kk::json_str(e, "title"))];
    simdjson::dom::array ev;
    if (e["evidence"].get(ev) == simdjson::SUCCESS)
      for (simdjson::dom::element x : ev)
        artifacts.insert(std::string(kk::json_str(x, "artifact")));
  });
  REQUIRE(suspect_findings.count("Suspect file executed (Prefetch)") == 1);
  CHECK(suspect_findings["Suspect file executed (Prefetch)"].count("prefetch") == 1);
  REQUIRE(suspect_findings.count("Suspect file started as a process") == 1);
  CHECK(suspect_findings["Suspect file started as a process"].count("evtx") == 1);
  std::string md = kk_test::read_file(dir + "/notice.md");
  CHECK(md.find("calc.exe") != std::string::npos);
  fs::remove_all(fs::path(dir).parent_path());
}

TEST_CASE(
    "every file triage leaves validates: timeline schema, findings, run.json, the notice in a "
    "browser") {
  std::string dir = kk_test::temp_dir() + "/case";
  kk::triage::Report r = run_quiet(sample_options(dir));
  REQUIRE(r.status != "failed");
  for (const char* f : {"timeline.jsonl", "window.jsonl"}) {
    INFO(f);
    auto report = kk_test::check_schema(kk_test::split_lines(kk_test::read_file(dir + "/" + f)));
    CHECK(report.events > (std::string(f) == "window.jsonl" ? 500 : 1000));
    CHECK(report.types.size() < 300);
  }
  std::set<std::string> severities;
  std::size_t findings = each_record(dir + "/findings.jsonl", [&](simdjson::dom::element e) {
    CHECK(kk::json_str(e, "artifact") == "finding");
    CHECK_FALSE(kk::json_str(e, "id").empty());
    CHECK_FALSE(kk::json_str(e, "title").empty());
    CHECK_FALSE(kk::json_str(e, "title_ja").empty());
    severities.insert(std::string(kk::json_str(e, "severity")));
  });
  CHECK(findings == r.counts["findings"]);
  for (const auto& s : severities)
    CHECK_MESSAGE((s == "critical" || s == "high" || s == "medium" || s == "low" || s == "info"),
                  s);
  each_record(dir + "/run.json", [&](simdjson::dom::element e) {
    CHECK(kk::json_str(e, "tool") == "triage");
    simdjson::dom::array timings;
    REQUIRE(e["timings"].get(timings) == simdjson::SUCCESS);
    std::set<std::string> stages;
    for (simdjson::dom::element t : timings) stages.insert(std::string(kk::json_str(t, "stage")));
    for (const char* s : {"unpack", "parse", "timeline", "detect", "notice"})
      CHECK_MESSAGE(stages.count(s), s);
  });
  std::string chromium = kk_test::find_chromium();
  if (chromium.empty()) {
    MESSAGE("chromium not installed; browser check skipped");
  } else {
    REQUIRE(kk_test::dump_dom(chromium, dir + "/notice.html", dir + "/dom.html",
                              dir + "/chromium.log") == 0);
    std::string rendered = kk_test::read_file(dir + "/dom.html");
    for (const char* id : kk_test::kNoticeSections)
      CHECK_MESSAGE(rendered.find(std::string("<section id=\"") + id + "\"") != std::string::npos,
                    id);
    CHECK(rendered.find("MSEDGEWIN10") != std::string::npos);
    std::string log = kk_test::read_file(dir + "/chromium.log");
    CHECK_MESSAGE(log.find("Refused to") == std::string::npos, log);
  }
  fs::remove_all(fs::path(dir).parent_path());
}

TEST_CASE("the case folder is the same whatever --jobs (mappers run in parallel)") {
  std::string root = kk_test::temp_dir();
  std::map<unsigned, std::string> timeline, window, findings, records;
  for (unsigned jobs : {1u, 2u, 5u}) {
    std::string dir = root + "/j" + std::to_string(jobs);
    kk::triage::Options o = sample_options(dir);
    o.jobs = jobs;
    REQUIRE(run_quiet(o).status != "failed");
    timeline[jobs] = kk_test::read_file(dir + "/timeline.jsonl");
    window[jobs] = kk_test::read_file(dir + "/window.jsonl");
    findings[jobs] = kk_test::read_file(dir + "/findings.jsonl");
    records[jobs] = kk_test::read_file(dir + "/records/evtx.jsonl");
  }
  CHECK(timeline[1].size() > 100000);
  for (unsigned jobs : {2u, 5u}) {
    INFO("jobs " << jobs);
    CHECK(timeline[jobs] == timeline[1]);
    CHECK(window[jobs] == window[1]);
    CHECK(findings[jobs] == findings[1]);
    CHECK(records[jobs] == records[1]);
  }
  fs::remove_all(root);
}

TEST_CASE(
    "RecordStream: many small batches through 4 mappers give the timeline and findings of one "
    "thread") {
  // The real records of the sample's EVTX, MFT and prefetch files, fed in 2 KiB batches.
  std::string dir = kk_test::temp_dir() + "/case";
  REQUIRE(run_quiet(sample_options(dir)).status != "failed");
  std::string input;
  for (const char* f : {"evtx", "mft", "prefetch", "usnjrnl"})
    input += kk_test::read_file(dir + "/records/" + f + ".jsonl");
  std::int64_t expected_last_run_count = -1;
  each_record(dir + "/records/prefetch.jsonl", [&](simdjson::dom::element e) {
    expected_last_run_count = kk::json_int(e, "run_count");
  });
  REQUIRE(expected_last_run_count > 0);
  auto run = [&](unsigned mappers, std::size_t batch, const std::string& out_dir) {
    kk::Diagnostics diag("test");
    diag.set_stderr_limit(0);
    fs::create_directories(out_dir);
    auto records_dir = kk::CaseDir::open(out_dir + "/records", {});
    REQUIRE(records_dir);
    kk::timeline::BuildOptions bo;
    bo.temp_dir = out_dir;
    kk::timeline::TimelineBuilder tb(bo, diag);
    kk::detect::Detector det({}, diag);
    det.load_rules();
    kk::triage::RecordFiles files(std::move(*records_dir));
    {
      kk::triage::RecordStream stream(files, tb, det, diag, mappers, batch);
      std::uint64_t seen = 0;
      std::int64_t last_prefetch_run_count = -1;  // the observer sees records in input order
      stream.set_observer([&](simdjson::dom::element rec) {
        ++seen;
        if (kk::json_str(rec, "artifact") == "prefetch")
          last_prefetch_run_count = kk::json_int(rec, "run_count");
      });
      // Hand the input over in uneven pieces, as parsers do.
      std::size_t pos = 0, step = 1, writes = 0;
      bool waited = false;
      while (pos < input.size()) {
        std::size_t end = input.find('\n', std::min(input.size() - 1, pos + step * 997));
        end = end == std::string::npos ? input.size() : end + 1;
        stream.write(std::string_view(input).substr(pos, end - pos));
        ++writes;
        pos = end;
        step = step % 7 + 1;
        if (!waited && pos > input.size() / 2) {  // the records written so far, all seen
          waited = true;
          stream.wait_seen();
          CHECK(seen ==
                static_cast<std::uint64_t>(std::count(input.begin(), input.begin() + pos, '\n')));
        }
      }
      stream.finish();
      CHECK(seen == static_cast<std::uint64_t>(std::count(input.begin(), input.end(), '\n')));
      CHECK(last_prefetch_run_count == expected_last_run_count);
      // Small writes are gathered: every batch but the one cut by wait_seen() and the last
      // holds at least BATCH bytes.
      CHECK(stream.batches() <= input.size() / batch + 2);
      CHECK(stream.batches() < (batch > 8 * 997 ? writes : input.size()));
    }
    REQUIRE(files.close());
    kk::Output out;
    std::string err;
    REQUIRE(out.open(out_dir + "/timeline.jsonl", &err));
    REQUIRE(tb.write(out));
    REQUIRE(out.close());
    return std::make_pair(kk_test::read_file(out_dir + "/timeline.jsonl"), det.finish());
  };
  auto one = run(1, 1 << 20, dir + "/one");
  auto many = run(4, 2048, dir + "/many");
  CHECK(one.first.size() > 100000);
  CHECK(many.first == one.first);
  CHECK(many.second == one.second);
  CHECK(kk_test::read_file(dir + "/many/records/evtx.jsonl") ==
        kk_test::read_file(dir + "/records/evtx.jsonl"));
  fs::remove_all(fs::path(dir).parent_path());
}

TEST_CASE("RecordStream: a batch is parsed as one array; a line that is not JSON is told alone") {
  const std::string a = R"({"artifact":"prefetch","source":"A.pf","run_count":1})";
  const std::string b = R"({"artifact":"prefetch","source":"B.pf","run_count":2,"s":"x\",\n]"})";
  const std::string c = R"({"artifact":"prefetch","source":"C.pf","run_count":3})";
  // Blank and white lines, a CRLF end and no end at all: framing only.
  const std::string good = a + "\n\n  \t\n" + b + "\r\n" + c;
  const std::string two_in_one = a + "," + c;  // an array's two elements, not one JSON value
  const std::string cut = R"({"artifact":"prefetch","source":"D.pf")";
  auto run = [&](const std::vector<std::string>& writes, std::uint64_t* by_line,
                 std::vector<std::string>* warnings) {
    const std::string dir = kk_test::temp_dir();
    kk::Diagnostics diag("test", kk::Diagnostics::Hold{});
    auto records_dir = kk::CaseDir::open(dir + "/records", {});
    REQUIRE(records_dir);
    kk::timeline::BuildOptions bo;
    bo.temp_dir = dir;
    kk::timeline::TimelineBuilder tb(bo, diag);
    kk::detect::Detector det({}, diag);
    kk::triage::RecordFiles files(std::move(*records_dir));
    std::vector<std::string> seen;
    {
      kk::triage::RecordStream stream(files, tb, det, diag, 2, 1 << 20);
      stream.set_observer([&](simdjson::dom::element rec) {
        seen.push_back(std::string(kk::json_str(rec, "source")));
      });
      for (const std::string& w : writes) {
        stream.write(w);
        stream.wait_seen();  // one batch per write
      }
      stream.finish();
      *by_line = stream.batches_parsed_by_line();
    }
    REQUIRE(files.close());
    warnings->clear();
    for (const auto& n : diag.take_notes())
      if (n.message.find("not valid JSON") != std::string::npos) warnings->push_back(n.message);
    CHECK(kk_test::read_file(dir + "/records/prefetch.jsonl").size() > 0);
    fs::remove_all(dir);
    return seen;
  };
  std::uint64_t by_line = 0;
  std::vector<std::string> warnings;
  CHECK(run({good, good}, &by_line, &warnings) ==
        std::vector<std::string>{"A.pf", "B.pf", "C.pf", "A.pf", "B.pf", "C.pf"});
  CHECK(by_line == 0);
  CHECK(warnings.empty());
  CHECK(run({good + "\n" + two_in_one + "\n" + cut + "\n" + c + "\n", good}, &by_line, &warnings) ==
        std::vector<std::string>{"A.pf", "B.pf", "C.pf", "C.pf", "A.pf", "B.pf", "C.pf"});
  CHECK(by_line == 1);
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0] == "line 4: not valid JSON, not used by timeline or detect");
  CHECK(warnings[1] == "line 5: not valid JSON, not used by timeline or detect");
}

TEST_CASE("the whole shared corpus as one bundle (when ../shared/corpus is present)") {
  // Every EVTX, prefetch file, hive, $MFT sample and journal of the corpus, damaged ones
  // included, in one CDIR-C folder: the run completes and loses no record.
  const fs::path corpus = KK_CORPUS;
  if (!fs::exists(corpus / "evtx")) {
    MESSAGE("skipped: no ../shared/corpus");
    return;
  }
  std::string root = kk_test::temp_dir();
  const fs::path b = fs::path(root) / "CORPUS-PC_20240101000000";
  for (const char* d : {"Evtx", "Prefetch", "Registry", "NTFS"}) fs::create_directories(b / d);
  std::size_t n = 0, evtx_files = 0;
  auto copy_all = [&](const fs::path& from, const char* to, const std::string& ext) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(from))
      if (e.is_regular_file() && (ext.empty() || e.path().extension() == ext))
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      fs::copy_file(f, b / to / (std::to_string(++n) + "-" + f.filename().string()));
    return files.size();
  };
  evtx_files = copy_all(corpus / "evtx", "Evtx", ".evtx");
  copy_all(corpus / "prefetch", "Prefetch", ".pf");
  copy_all(corpus / "registry", "Registry", "");
  fs::copy_file(corpus / "usnjrnl/plaso/UsnJrnl.raw", b / "NTFS" / "C_$UsnJrnl-$J");
  std::vector<fs::path> mfts;
  for (const auto& e : fs::recursive_directory_iterator(corpus / "mft"))
    if (e.is_regular_file()) mfts.push_back(e.path());
  std::sort(mfts.begin(), mfts.end());
  char letter = 'D';
  for (const auto& f : mfts)
    if (letter <= 'Z') fs::copy_file(f, b / "NTFS" / (std::string(1, letter++) + "_$MFT"));

  kk::triage::Report r = run_quiet(folder_options(b.string(), root));
  INFO(r.error);
  CHECK(r.status == "completed_with_damage");
  CHECK(evtx_files == 300);
  // The records libevtx and python-evtx agree on, plus what they lose on damaged files
  // (tests/evtx conformance): 32,163 in all.
  CHECK(r.records["evtx"] == 32163);
  CHECK(r.records["prefetch"] >= 38);
  CHECK(r.counts["timeline_events"] > 30000);
  std::string md = kk_test::read_file(root + "/case/notice.md");
  CHECK(md.find("NotAHive") != std::string::npos);  // unreadable files are listed
  CHECK(md.find("notAPrefetch.pf") != std::string::npos);
  fs::remove_all(root);
}

TEST_CASE(
    "the sample's customer documents: notice ≤ 12 A4 pages, 速報 1 page, appendix and CSV "
    "files, chart = window, IOCs defanged") {
  std::string dir = kk_test::temp_dir() + "/case";
  kk::triage::Report r = run_quiet(sample_options(dir));
  REQUIRE(r.status != "failed");
  for (const char* f : {"notice-brief.html", "notice-brief.md", "notice-appendix.html"})
    CHECK_MESSAGE(fs::file_size(dir + "/" + f) > 1000, f);
  for (const char* f : {"key-events.csv", "findings.csv", "iocs.csv", "evidence-files.csv"}) {
    std::string csv = kk_test::read_file(dir + "/" + f);
    CHECK_MESSAGE(csv.starts_with("\xEF\xBB\xBF"), f);
    CHECK_MESSAGE(csv.find("\r\n") != std::string::npos, f);
  }
  std::string html = kk_test::read_file(dir + "/notice.html");
  // The chart counts exactly the window's events, in bins that tile the window.
  simdjson::dom::parser parser;
  simdjson::dom::element model = parser.load(dir + "/notice.json");
  std::int64_t window_events = kk::json_int(model["counts"], "window_events");
  CHECK(html.find("data-total=\"" + std::to_string(window_events) + "\"") != std::string::npos);
  auto start = kk::parse_user_time(std::string(kk::json_str(model["window"], "start")), "UTC");
  auto end = kk::parse_user_time(std::string(kk::json_str(model["window"], "end")), "UTC");
  REQUIRE(start);
  REQUIRE(end);
  auto attr = [&](const std::string& name) {
    auto at = html.find(name + "=\"");
    REQUIRE(at != std::string::npos);
    return std::stoll(html.substr(at + name.size() + 2));
  };
  const std::int64_t bins = attr("data-bins"), bin = attr("data-bin-hours") * 3600000000LL;
  CHECK(bins * bin >= *end - *start);
  CHECK((bins - 1) * bin < *end - *start);
  // Every network IOC of the model appears in the body only defanged.
  simdjson::dom::array iocs;
  REQUIRE(model["iocs"].get(iocs) == simdjson::SUCCESS);
  for (simdjson::dom::element i : iocs) {
    std::string type(kk::json_str(i, "type")), value(kk::json_str(i, "value"));
    if (type == "ip" || type == "domain" || type == "url")
      CHECK_MESSAGE(html.find(value) == std::string::npos, value);
  }
  std::string chromium = kk_test::find_chromium();
  if (chromium.empty()) {
    MESSAGE("chromium not installed; print check skipped");
  } else {
    // The PDFs stay under the build dir, as the test run's artefacts to look at.
    const std::string keep = std::string(KK_BIN_DIR) + "/../notice-printed";
    fs::create_directories(keep);
    for (auto [name, max_pages] : {std::pair{"notice", 12}, std::pair{"notice-brief", 1}}) {
      std::string n = name;
      int pages =
          kk_test::print_pages(chromium, dir + "/" + n + ".html", keep + "/sample-" + n + ".pdf");
      CHECK_MESSAGE((pages >= 1 && pages <= max_pages), n << ": " << pages << " pages");
      std::string where;
      double em = kk_test::narrowest_column_em(chromium, dir + "/" + n + ".html", &where);
      CHECK_MESSAGE(em >= 4.0, n << ": a column " << em << " em wide (" << where << ")");
      MESSAGE("sample " << n << ": " << pages << " A4 pages, narrowest column " << em << " em");
    }
  }
  fs::remove_all(fs::path(dir).parent_path());
}

TEST_CASE("a folder bundle is hashed beside the parse stage; the unpack's reports still first") {
  std::string root = kk_test::temp_dir();
  kk_test::BundleSpec spec;  // the prefetch file's SHA-256 in the log is wrong
  const fs::path bundle = kk_test::build_bundle(root, spec);
  // A damaged log the collector log does not list: one unpack report, then the parser's.
  std::string broken = kk_test::read_file(KK_TEST_DATA "/evtx/sysmon_13_keylogger_directx.evtx");
  REQUIRE(broken.size() > 0x1000 + 0x2000);
  for (std::size_t i = 0x1000 + 0x400; i < 0x1000 + 0x1400; ++i)
    broken[i] = static_cast<char>(0xA5);
  std::ofstream(bundle / "Evtx/Microsoft-Windows-Sysmon%4Operational.evtx", std::ios::binary)
      << broken;
  kk::triage::Report r = run_quiet(folder_options(bundle.string(), root));
  INFO(r.error);
  REQUIRE(r.status == "completed_with_damage");
  const std::vector<std::string> lines = diagnostic_lines(root + "/case/diagnostics.jsonl");
  std::ptrdiff_t last_unpack = -1, first_parse = -1;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const bool unpack = lines[i].find("collector-log.txt") != std::string::npos;
    if (unpack) last_unpack = static_cast<std::ptrdiff_t>(i);
    if (!unpack && lines[i].find("Sysmon%4Operational.evtx") != std::string::npos &&
        first_parse < 0)
      first_parse = static_cast<std::ptrdiff_t>(i);
  }
  INFO(kk_test::read_file(root + "/case/diagnostics.jsonl"));
  REQUIRE(last_unpack >= 0);
  REQUIRE(first_parse >= 0);
  CHECK(last_unpack < first_parse);
  CHECK(std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
    return l.find("hash differs from collector-log.txt") != std::string::npos;
  }));
  // Every file read in place has its digests in the manifest; the altered one is a mismatch.
  std::size_t hashed = 0;
  each_record(root + "/case/manifest.jsonl", [&](simdjson::dom::element e) {
    std::string_view artifact = e["artifact"].get_string().value_unsafe();
    if (artifact != "manifest") return;
    std::string_view source = e["source"].get_string().value_unsafe();
    if (source.starts_with("RAM_")) return;  // a memory image: listed, not read
    std::string_view sha256;
    CHECK_MESSAGE(e["sha256"].get(sha256) == simdjson::SUCCESS, source);
    CHECK(sha256.size() == 64);
    ++hashed;
    if (source == spec.wrong_hash_source) CHECK(e["hash_match"].get_bool().value_unsafe() == false);
  });
  CHECK(hashed >= 10);
  REQUIRE(!r.timings.empty());
  CHECK(r.timings[0].stage == "unpack");
  CHECK(r.timings[0].cpu_seconds > 0);
  fs::remove_all(root);
}
