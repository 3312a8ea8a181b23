// The verdict scenarios (tests/scenarios/*.json): bundles assembled from corpus files of one
// source each, whose true answer per question was read in the logs by hand. Each runs
// through triage; notice.json must give the true verdicts, cite the proving records, list
// the expected IOCs and never a stock Windows binary or built-in account.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "core/ascii_case.hpp"
#include "core/jsonl_reader.hpp"
#include "core/time.hpp"
#include "triage/triage.hpp"

namespace fs = std::filesystem;

namespace {

// Never an IOC, whatever the case (CONTRACT.md "notice.json").
bool forbidden_ioc(std::string_view type, std::string_view value) {
  std::string v = kk::ascii_lower(value);
  if (type == "file_name")
    for (std::string_view n :
         {"cmd.exe", "powershell.exe", "rundll32.exe", "reg.exe", "explorer.exe", "svchost.exe",
          "services.exe", "control.exe", "wscript.exe", "mshta.exe", "schtasks.exe", "vssadmin.exe",
          "lsass.exe", "conhost.exe", "regsvr32.exe", "certutil.exe"})
      if (v == n) return true;
  if (type == "file_path" && (v.find("\\windows\\system32\\") != std::string::npos ||
                              v.find("\\windows\\syswow64\\") != std::string::npos))
    return true;
  if (type == "account")
    for (std::string_view a : {"administrators", "system", "nt authority\\system", "local service",
                               "network service", "users", "guests"})
      if (v == a) return true;
  return v.rfind("file:_", 0) == 0 || v.rfind("containerfile:_", 0) == 0;
}

// The corpus: KK_CORPUS (../shared/corpus beside the checkout), or the environment's
// KK_CORPUS when the checkout is elsewhere (a worktree).
std::string corpus() {
  const char* env = std::getenv("KK_CORPUS");
  return env && *env ? env : KK_CORPUS;
}

struct Outcome {
  int right = 0, total = 0;
};

Outcome run_scenario(const fs::path& spec_path, simdjson::dom::parser& parser) {
  Outcome out;
  std::string name = spec_path.stem().string();
  INFO("scenario " << name);
  simdjson::dom::element spec;
  std::string text = kk_test::read_file(spec_path.string());
  REQUIRE(parser.parse(text).get(spec) == simdjson::SUCCESS);
  std::string root = kk_test::temp_dir() + "/" + name;
  std::string bundle = root + "/bundle/" + std::string(kk::json_str(spec, "host")) + "_" +
                       std::string(kk::json_str(spec, "folder_time"));
  simdjson::dom::object files;
  REQUIRE(spec["files"].get(files) == simdjson::SUCCESS);
  for (auto [dst, src] : files) {
    fs::path to = fs::path(bundle) / std::string(dst);
    fs::create_directories(to.parent_path());
    fs::copy_file(fs::path(corpus()) / std::string(src.get_string().value()), to);
  }
  kk::triage::Options o;
  o.bundle = root + "/bundle";
  o.out_dir = root + "/case";
  o.detected_at = *kk::parse_user_time(kk::json_str(spec, "detected_at"), "UTC");
  o.tz = "UTC";
  simdjson::dom::array suspects;
  if (spec["suspects"].get(suspects) == simdjson::SUCCESS)
    for (auto s : suspects) o.suspects.emplace_back(s.get_string().value());
  kk::Diagnostics diag("triage");
  diag.set_stderr_limit(0);
  kk::triage::Report r = kk::triage::run(o, diag);
  INFO(r.error);
  REQUIRE(r.status != "failed");

  std::string notice_text = kk_test::read_file(o.out_dir + "/notice.json");
  simdjson::dom::parser notice_parser;
  simdjson::dom::element notice;
  REQUIRE(notice_parser.parse(notice_text).get(notice) == simdjson::SUCCESS);
  simdjson::dom::object truth;
  REQUIRE(spec["truth"].get(truth) == simdjson::SUCCESS);
  simdjson::dom::array questions;
  REQUIRE(notice["questions"].get(questions) == simdjson::SUCCESS);
  CHECK(questions.size() == 8);
  std::string table = name + ":";
  for (auto q : questions) {
    std::string id(kk::json_str(q, "id"));
    std::string got(kk::json_str(q, "verdict"));
    std::string want(truth[id].get_string().value_unsafe());
    INFO(id << ": " << kk::json_str(q, "statement"));
    CHECK(got == want);
    ++out.total;
    out.right += got == want;
    table += " " + id + "=" + got;
    // A "found" always cites a record; the statement is never empty.
    CHECK(!kk::json_str(q, "statement").empty());
    simdjson::dom::array ev;
    REQUIRE(q["evidence"].get(ev) == simdjson::SUCCESS);
    if (got == "found") CHECK(ev.size() > 0);
    // The records the truth names are cited.
    simdjson::dom::array cites;
    simdjson::dom::element cite_map;
    if (spec["cite"].get(cite_map) == simdjson::SUCCESS &&
        cite_map[id].get(cites) == simdjson::SUCCESS)
      for (auto c : cites) {
        std::string_view src = kk::json_str(c, "source");
        std::int64_t rid = kk::json_int(c, "record_id", -1);
        std::int64_t eid = kk::json_int(c, "event_id", -1);
        bool cited = std::any_of(ev.begin(), ev.end(), [&](simdjson::dom::element e) {
          return kk::json_str(e, "source") == src &&
                 (rid < 0 || kk::json_int(e, "record_id", -2) == rid) &&
                 (eid < 0 || kk::json_int(e, "event_id", -2) == eid);
        });
        INFO("cited " << src << " #" << rid << " event " << eid);
        CHECK(cited);
      }
  }
  MESSAGE(table);
  // IOCs: the expected ones present, the forbidden ones absent.
  simdjson::dom::array iocs;
  REQUIRE(notice["iocs"].get(iocs) == simdjson::SUCCESS);
  auto has_ioc = [&](std::string_view type, std::string_view value) {
    return std::any_of(iocs.begin(), iocs.end(), [&](simdjson::dom::element i) {
      return kk::json_str(i, "type") == type && kk::iequals(kk::json_str(i, "value"), value);
    });
  };
  for (auto i : iocs) {
    INFO("IOC " << kk::json_str(i, "type") << " " << kk::json_str(i, "value"));
    CHECK_FALSE(forbidden_ioc(kk::json_str(i, "type"), kk::json_str(i, "value")));
  }
  for (const char* list : {"iocs_present", "iocs_absent"}) {
    simdjson::dom::array want;
    if (spec[list].get(want) != simdjson::SUCCESS) continue;
    for (auto pair : want) {
      simdjson::dom::array tv = pair.get_array().value();
      std::string_view type = tv.at(0).get_string().value(), value = tv.at(1).get_string().value();
      INFO(list << ": " << type << " " << value);
      CHECK(has_ioc(type, value) == (std::string_view(list) == "iocs_present"));
    }
  }
  // One window, one set of numbers: notice.json's count is window.jsonl's line count.
  std::string window = kk_test::read_file(o.out_dir + "/window.jsonl");
  auto window_lines = static_cast<std::int64_t>(std::count(window.begin(), window.end(), '\n'));
  simdjson::dom::element counts;
  REQUIRE(notice["counts"].get(counts) == simdjson::SUCCESS);
  CHECK(kk::json_int(counts, "window_events", -1) == window_lines);
  return out;
}

}  // namespace

TEST_CASE("verdict scenarios: true verdicts, cited records, actionable IOCs") {
  if (!fs::exists(corpus())) {
    MESSAGE("skipped: no ../shared/corpus");
    return;
  }
  simdjson::dom::parser parser;
  std::vector<fs::path> specs;
  for (const auto& e : fs::directory_iterator(KK_SOURCE_DIR "/tests/scenarios"))
    if (e.path().extension() == ".json") specs.push_back(e.path());
  std::sort(specs.begin(), specs.end());
  REQUIRE(specs.size() >= 9);
  Outcome all;
  for (const auto& s : specs) {
    Outcome o = run_scenario(s, parser);
    all.right += o.right;
    all.total += o.total;
  }
  MESSAGE("verdicts right: " << all.right << " of " << all.total);
  CHECK(all.right == all.total);
}
