// A case folder of two PCs for the case-document tests: PC01 is triage of the bundled
// sample, PC02 its copy (as two PCs infected from the same source look), made once per test
// binary and kept under the build folder so the documents can be looked at after the run.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "../test_util.hpp"
#include "notice/notice.hpp"
#include "triage/triage.hpp"

namespace kk_test {

inline const std::string& two_pc_case() {
  static const std::string dir = [] {
    namespace fs = std::filesystem;
    const std::string d = std::string(KK_BIN_DIR) + "/../casedocs-case";
    fs::remove_all(d);
    fs::create_directories(d);
    kk::triage::Options o;
    o.bundle = KK_SOURCE_DIR "/samples/MSEDGEWIN10_20190925100000.zip";
    o.out_dir = d + "/PC01";
    o.password = "infected";
    o.case_path = KK_SOURCE_DIR "/samples/CASE.json";
    o.jobs = 2;
    o.default_sigma = false;  // the built-in rules find the sample's IOCs; loading Sigma is 1.5 s
    kk::Diagnostics diag("triage");
    diag.set_stderr_limit(0);
    kk::triage::Report r = kk::triage::run(o, diag);
    REQUIRE_MESSAGE(r.status != "failed", r.error);
    fs::copy(d + "/PC01", d + "/PC02", fs::copy_options::recursive);
    return d;
  }();
  return dir;
}

inline kk::notice::CaseFile sample_case() {
  const std::string text = read_file(KK_SOURCE_DIR "/samples/CASE.json");
  return kk::notice::parse_case(text, "Asia/Tokyo", kk::notice::Lang::kJa).value;
}

}  // namespace kk_test
