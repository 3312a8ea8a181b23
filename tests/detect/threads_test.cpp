// detect --jobs: records matched on several threads in batches give the findings and stats
// of one thread, byte for byte — grouping, evidence caps, IOC order, stateful bursts, the
// suspect's trace and the EVTX duplicate check all depend on input order. Also run under
// ThreadSanitizer (CI: test_detect_threads).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/jsonl_reader.hpp"
#include "detect/detect.hpp"
#include "detect/jsonl_feed.hpp"
#include "detect/line_batch.hpp"

namespace {

// The built-in pack's real and synthetic records, each file twice (the second copy is
// the EVTX duplicate check's), then again under other source names (new groups).
std::vector<std::string> records() {
  std::vector<std::string> lines;
  for (const char* name : {"builtin_records.jsonl", "synthetic_records.jsonl"}) {
    std::ifstream in(std::string(KK_TEST_DATA) + "/detect/" + name);
    REQUIRE(in);
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) lines.push_back(line);
  }
  const std::size_t n = lines.size();
  for (std::size_t i = 0; i < n; ++i) lines.push_back(lines[i]);
  for (std::size_t i = 0; i < n; ++i) {
    std::string copy = lines[i];
    auto at = copy.find("\"source\":\"");
    if (at != std::string::npos) copy.insert(at + 10, "copy/");
    lines.push_back(copy);
  }
  return lines;
}

kk::detect::Options options() {
  kk::detect::Options o;
  o.suspects = {"Flash_update.exe"};  // the suspect's trace rule as well
  o.evidence_cap = 3;                 // caps reached: which evidence is kept is order's
  return o;
}

struct Run {
  std::string findings;
  kk::detect::Stats stats;
};

Run one_thread(const std::vector<std::string>& lines) {
  kk::Diagnostics diag("test");
  kk::detect::Detector d(options(), diag);
  d.load_rules();
  for (const auto& l : lines) REQUIRE(d.add_json(l));
  Run r{d.finish(), d.stats()};
  return r;
}

Run batched(const std::vector<std::string>& lines, std::size_t per_batch, unsigned jobs) {
  kk::Diagnostics diag("test");
  kk::detect::Detector d(options(), diag);
  d.load_rules();
  std::vector<kk::detect::LineBatch> batches(5);
  std::size_t filling = 0;
  for (const auto& l : lines) {
    batches[filling].add(l);
    if (batches[filling].lines() == per_batch && ++filling == batches.size()) {
      d.add_batches(batches, jobs);
      for (auto& b : batches) b.clear();
      filling = 0;
    }
  }
  d.add_batches(std::span(batches.data(), filling + 1), jobs);
  Run r{d.finish(), d.stats()};
  return r;
}

}  // namespace

TEST_CASE("add_batches on several threads gives the findings and stats of add()") {
  const std::vector<std::string> lines = records();
  const Run want = one_thread(lines);
  REQUIRE(want.stats.findings > 10);
  REQUIRE(want.stats.duplicates > 0);
  REQUIRE(want.stats.unselected > 0);
  for (unsigned jobs : {1u, 2u, 3u})
    for (std::size_t per_batch : {1u, 7u, 64u}) {
      CAPTURE(jobs);
      CAPTURE(per_batch);
      const Run got = batched(lines, per_batch, jobs);
      CHECK(got.findings == want.findings);
      CHECK(got.stats.records == want.stats.records);
      CHECK(got.stats.duplicates == want.stats.duplicates);
      CHECK(got.stats.unselected == want.stats.unselected);
      CHECK(got.stats.matches == want.stats.matches);
      CHECK(got.stats.evaluations == want.stats.evaluations);
      CHECK(got.stats.findings == want.stats.findings);
    }
}

TEST_CASE("add_batches: lines that are not JSON are told in input order and are no records") {
  const std::vector<std::string> lines = records();
  const Run want = one_thread(lines);
  // Every 50th line is preceded by one that is not JSON.
  std::vector<std::string> mixed;
  std::vector<std::size_t> bad_at;  // positions in MIXED
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i % 50 == 0) {
      bad_at.push_back(mixed.size());
      mixed.push_back(i % 100 == 0 ? "{\"cut\":" : "not json");
    }
    mixed.push_back(lines[i]);
  }
  for (unsigned jobs : {1u, 2u, 3u}) {
    CAPTURE(jobs);
    kk::Diagnostics diag("test");
    kk::detect::Detector d(options(), diag);
    d.load_rules();
    constexpr std::size_t kPerBatch = 7;
    std::vector<kk::detect::LineBatch> batches(5);
    std::vector<std::size_t> told;  // positions in MIXED, as told
    std::vector<std::string> errors;
    std::size_t first = 0;  // MIXED's position of the first line of the batches handed over
    auto hand_over = [&](std::span<kk::detect::LineBatch> span) {
      d.add_batches(span, jobs, [&](std::size_t batch, std::size_t line, const std::string& e) {
        told.push_back(first + batch * kPerBatch + line);
        errors.push_back(e);
      });
      for (auto& b : span) first += b.lines(), b.clear();
    };
    std::size_t filling = 0;
    for (const auto& l : mixed) {
      batches[filling].add(l);
      if (batches[filling].lines() == kPerBatch && ++filling == batches.size()) {
        hand_over(batches);
        filling = 0;
      }
    }
    hand_over(std::span(batches.data(), filling + 1));
    const Run got{d.finish(), d.stats()};
    CHECK(told == bad_at);
    REQUIRE(!errors.empty());
    CHECK(errors.front().starts_with("invalid JSON: "));
    CHECK(got.findings == want.findings);
    CHECK(got.stats.records == want.stats.records);
    CHECK(got.stats.evaluations == want.stats.evaluations);
  }
}

TEST_CASE("prepare_matching on another thread: the same findings, then rules loaded later count") {
  const std::vector<std::string> lines = records();
  const Run want = one_thread(lines);
  kk::Diagnostics diag("test");
  kk::detect::Detector d(options(), diag);
  // As triage does: loaded and prepared on a thread of their own, then matched on this one.
  std::thread([&] {
    d.load_rules();
    d.prepare_matching();
  }).join();
  for (const auto& l : lines) REQUIRE(d.add_json(l));
  const Run got{d.finish(), d.stats()};
  CHECK(got.findings == want.findings);
  CHECK(got.stats.evaluations == want.stats.evaluations);
  // A rule loaded after prepare_matching() is matched too (the groups are built again).
  kk::detect::Detector late(options(), diag);
  late.load_rules();
  late.prepare_matching();
  auto st = late.load_rule_text(R"(title: late rule
id: 7d1bb4a6-3c4e-4f0a-9d61-5c1f0a2b9e01
logsource: {product: windows, service: security}
detection:
  selection: {EventID: 4624}
  condition: selection
level: low
)",
                                "late.yml", "sigma");
  REQUIRE(st.status == "loaded");
  for (const auto& l : lines) REQUIRE(late.add_json(l));
  const std::string findings = late.finish();
  CHECK(findings.find("late rule") != std::string::npos);
}

TEST_CASE("LineBatch: lines in order, padded, reusable after clear") {
  kk::detect::LineBatch b;
  b.add("{\"a\":1}");
  b.add("{}");
  CHECK(b.lines() == 2);
  CHECK(b.bytes() == 11);
  std::vector<std::string> seen;
  b.for_each([&](std::string_view l) { seen.emplace_back(l); });
  CHECK(seen == std::vector<std::string>{"{\"a\":1}", "{}"});
  CHECK(b.bytes() == 11);  // the padding is not counted
  b.add("[]");             // after for_each: the padding moves behind the new line
  seen.clear();
  b.for_each([&](std::string_view l) { seen.emplace_back(l); });
  CHECK(seen == std::vector<std::string>{"{\"a\":1}", "{}", "[]"});
  b.clear();
  CHECK(b.lines() == 0);
  CHECK(b.bytes() == 0);
  seen.clear();
  b.for_each([&](std::string_view l) { seen.emplace_back(l); });
  CHECK(seen.empty());
}

TEST_CASE("rule files read on several threads load as on one: statuses, order, findings") {
  // The shipped SigmaHQ set (2,000+ files), then a file that is not YAML.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("kk-rules-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "broken.yml") << "title: [unclosed\n";
  const std::vector<std::string> lines = records();
  auto load = [&](unsigned jobs, std::vector<kk::detect::RuleStatus>* statuses) {
    kk::Diagnostics diag("test");
    diag.set_stderr_limit(0);
    kk::detect::Options o = options();
    o.rule_paths = {KK_SIGMA_RULES, dir.string()};
    o.load_jobs = jobs;
    kk::detect::Detector d(o, diag);
    d.load_rules();
    *statuses = d.rule_statuses();
    for (const auto& l : lines) REQUIRE(d.add_json(l));
    Run r{d.finish(), d.stats()};
    return r;
  };
  std::vector<kk::detect::RuleStatus> one, three;
  const Run a = load(1, &one), b = load(3, &three);
  REQUIRE(one.size() == three.size());
  CHECK(one.size() > 2000);
  std::size_t skipped_yaml = 0;
  for (std::size_t i = 0; i < one.size(); ++i) {
    CHECK(one[i].path == three[i].path);
    CHECK(one[i].id == three[i].id);
    CHECK(one[i].status == three[i].status);
    CHECK(one[i].reason == three[i].reason);
    CHECK(one[i].warnings == three[i].warnings);
    if (one[i].reason.rfind("YAML: ", 0) == 0) ++skipped_yaml;
  }
  CHECK(skipped_yaml == 1);  // broken.yml, with libyaml's message
  CHECK(a.stats.rules_loaded == b.stats.rules_loaded);
  CHECK(a.stats.rules_loaded > 1000);
  CHECK(a.findings == b.findings);
  fs::remove_all(dir);
}

TEST_CASE("feed_jsonl: the same findings, records and reports, in input order, for 1 to 3 jobs") {
  // One input long enough that two jobs' batches fill up and are matched in its middle
  // (8 batches of 2,048 lines), with blank lines, CRLF line ends and lines that are not
  // JSON; then a missing file, a file that is not JSON Lines and a short one without a
  // final newline.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("kk-feed-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::vector<std::string> base = records();
  std::vector<std::string> good;  // the records, in order
  std::string text;
  struct Bad {
    std::uint64_t offset, line;
  };
  std::vector<Bad> bad;
  std::uint64_t line_no = 0;
  for (std::size_t copy = 0; good.size() < 18000; ++copy)
    for (std::string l : base) {
      auto at = l.find("\"source\":\"");
      if (at != std::string::npos) l.insert(at + 10, "c" + std::to_string(copy) + "/");
      if (good.size() % 97 == 3) {
        bad.push_back({text.size(), ++line_no});
        text += good.size() % 2 ? "{\"cut\":\n" : "not json\r\n";
      }
      if (good.size() % 501 == 7) ++line_no, text += "\n";
      ++line_no;
      text += l + (good.size() % 3 ? "\n" : "\r\n");
      good.push_back(l);
    }
  std::ofstream(dir / "a.jsonl", std::ios::binary) << text;
  std::ofstream(dir / "b.csv", std::ios::binary) << "artifact,source\nx,y\n";
  std::ofstream(dir / "c.jsonl", std::ios::binary) << base[0] << "\n" << base[1];
  const std::vector<std::string> inputs = {(dir / "a.jsonl").string(), (dir / "missing").string(),
                                           (dir / "b.csv").string(), (dir / "c.jsonl").string()};
  struct Fed {
    std::string findings;
    std::uint64_t records;
    std::vector<kk::Diagnostics::Note> notes;
  };
  auto feed = [&](unsigned jobs) {
    kk::Diagnostics diag("test", kk::Diagnostics::Hold{});
    kk::detect::Detector d(options(), diag);
    d.load_rules();
    diag.take_notes();
    Fed f;
    f.records = kk::detect::feed_jsonl(d, inputs, jobs, diag).records();
    f.findings = d.finish();
    f.notes = diag.take_notes();
    return f;
  };
  std::vector<std::string> want_lines = good;
  want_lines.push_back(base[0]);
  want_lines.push_back(base[1]);
  const Run want = one_thread(want_lines);
  const Fed one = feed(1);
  CHECK(one.findings == want.findings);
  CHECK(one.records == want_lines.size());
  // The bad lines at their offsets and line numbers, then the missing file, then the CSV.
  REQUIRE(one.notes.size() == bad.size() + 2);
  for (std::size_t i = 0; i < bad.size(); ++i) {
    CAPTURE(i);
    CHECK(one.notes[i].file == inputs[0]);
    CHECK(one.notes[i].severity == kk::Severity::kWarning);
    CHECK(one.notes[i].offset == bad[i].offset);
    CHECK(
        one.notes[i].message.starts_with("line " + std::to_string(bad[i].line) + " is not JSON ("));
  }
  CHECK(one.notes[bad.size()].file == inputs[1]);
  CHECK(one.notes[bad.size()].severity == kk::Severity::kError);
  CHECK(one.notes[bad.size() + 1].file == inputs[2]);
  CHECK(one.notes[bad.size() + 1].severity == kk::Severity::kError);
  for (unsigned jobs : {2u, 3u}) {
    CAPTURE(jobs);
    const Fed got = feed(jobs);
    CHECK(got.findings == one.findings);
    CHECK(got.records == one.records);
    REQUIRE(got.notes.size() == one.notes.size());
    for (std::size_t i = 0; i < one.notes.size(); ++i) {
      CAPTURE(i);
      CHECK(got.notes[i].file == one.notes[i].file);
      CHECK(got.notes[i].offset == one.notes[i].offset);
      CHECK(got.notes[i].message == one.notes[i].message);
    }
  }
  fs::remove_all(dir);
}

TEST_CASE("feed_jsonl: a line too long to read is told in its place among the bad lines") {
  namespace fs = std::filesystem;
  const fs::path path =
      fs::temp_directory_path() / ("kk-feed-long-" + std::to_string(::getpid()) + ".jsonl");
  const std::vector<std::string> base = records();
  std::string head = base[0] + "\nnot json\n";
  const std::string tail = "\n{\"cut\":\n" + base[1] + "\n";
  {
    std::ofstream out(path, std::ios::binary);
    out << head << "{\"p\":\"" << std::string(kk::JsonlReader::kMaxLineBytes, 'x') << "\"}" << tail;
  }
  const std::uint64_t long_at = head.size();
  const std::uint64_t cut_at = long_at + kk::JsonlReader::kMaxLineBytes + 9;
  std::vector<std::string> told_one;
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    kk::Diagnostics diag("test", kk::Diagnostics::Hold{});
    kk::detect::Detector d(options(), diag);
    d.load_rules();
    diag.take_notes();
    CHECK(kk::detect::feed_jsonl(d, {path.string()}, jobs, diag).records() == 2);
    const auto notes = diag.take_notes();
    REQUIRE(notes.size() == 3);
    CHECK(notes[0].offset == base[0].size() + 1);
    CHECK(notes[1].offset == long_at);
    CHECK(notes[1].message == "line 3 is not JSON (longer than " +
                                  std::to_string(kk::JsonlReader::kMaxLineBytes) +
                                  " bytes, not read), skipped");
    CHECK(notes[2].offset == cut_at);
    CHECK(notes[2].message.starts_with("line 4 is not JSON (invalid JSON: "));
  }
  fs::remove(path);
}
