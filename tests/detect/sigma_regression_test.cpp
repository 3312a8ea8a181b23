// SigmaHQ regression data (../shared/sigma/regression_data): for each of the 132 cases, the
// .evtx recorded while the behaviour happened is parsed with lib/evtx, and the rule named
// by info.yml (by id) must fire; info.yml's match_count is compared too (reported, see below).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "evtx/evtx.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace kk_detect_test;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "key: value" on its own line, first occurrence (info.yml is flat enough for this).
std::string yaml_value(const std::string& text, const std::string& key) {
  std::size_t at = text.find(key + ": ");
  if (at == std::string::npos) return {};
  std::size_t start = at + key.size() + 2, end = text.find('\n', start);
  return text.substr(start, end - start);
}

}  // namespace

TEST_CASE("SigmaHQ regression cases fire their rule") {
  fs::path sigma = KK_SIGMA;
  if (!fs::exists(sigma / "regression_data")) {
    MESSAGE("shared Sigma data not found, skipped: " << sigma);
    return;
  }
  // rule id → rule file
  std::map<std::string, fs::path> rules;
  for (const char* dir : {"rules", "rules-emerging-threats", "rules-threat-hunting"})
    for (const auto& e : fs::recursive_directory_iterator(sigma / dir))
      if (e.path().extension() == ".yml") {
        std::string id = yaml_value(slurp(e.path()), "\nid");
        if (!id.empty()) rules[id] = e.path();
      }
  int cases = 0, fired = 0, exact = 0;
  for (const auto& e : fs::recursive_directory_iterator(sigma / "regression_data")) {
    if (e.path().filename() != "info.yml") continue;
    ++cases;
    std::string info = slurp(e.path());
    std::size_t meta = info.find("rule_metadata:");
    std::string id = yaml_value(info.substr(meta), "    - id");
    std::string want = yaml_value(info, "      match_count");
    fs::path evtx_file;
    for (const auto& f : fs::directory_iterator(e.path().parent_path()))
      if (f.path().extension() == ".evtx") evtx_file = f.path();
    INFO(e.path().parent_path().filename().string() << " rule " << id);
    REQUIRE(rules.count(id));
    kk::Diagnostics diag("test");
    kk::detect::Options o;
    o.builtin = false;
    o.evidence_cap = 1000;
    kk::detect::Detector d(o, diag);
    auto st = d.load_rule_text(slurp(rules[id]), rules[id].string(), "sigma");
    CHECK_MESSAGE(st.status == "loaded", st.reason);
    kk::evtx::Options eo;
    kk::evtx::parse_file(evtx_file.string(), eo, diag, [&](std::string_view lines) {
      std::size_t pos = 0;
      while (pos < lines.size()) {
        std::size_t nl = lines.find('\n', pos);
        if (nl == std::string_view::npos) nl = lines.size();
        if (nl > pos) d.add_json(lines.substr(pos, nl - pos));
        pos = nl + 1;
      }
    });
    std::uint64_t got = Findings(d.finish()).count_of(id);
    CHECK(got >= 1);
    if (got >= 1) ++fired;
    if (!want.empty() && std::to_string(got) == want) ++exact;
  }
  MESSAGE("Sigma regression: " << fired << " of " << cases << " cases fire their rule; " << exact
                               << " also match info.yml's match_count");
  CHECK(cases == 132);
}
