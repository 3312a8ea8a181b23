// SRUM records from real databases: the small one of tests/data/ese and the corpus's,
// against the values Chainsaw's `analyse srum` gives for the same database.
#include <doctest/doctest.h>

#include <simdjson.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "../ese/ese_fixture.hpp"
#include "core/diagnostics.hpp"
#include "srum/srum.hpp"

namespace {
struct Run {
  std::string lines;
  kk::srum::Summary summary;
  bool ok = false;
};
Run run(const std::vector<std::uint8_t>& db, kk::Diagnostics& diag) {
  Run r;
  r.ok = kk::srum::parse_srum(
      db, "SRUM/SRUDB.dat", "SRUM/SRUDB.dat", diag, [&](std::string_view l) { r.lines.append(l); },
      &r.summary);
  return r;
}
std::vector<std::string> lines_with(const std::string& text, const std::string& needle) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    if (line.find(needle) != std::string::npos) out.push_back(line);
    start = end + 1;
  }
  return out;
}
}  // namespace

TEST_CASE("srum: the small database gives every usage row, apps and users resolved") {
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  auto r = run(kk_test::small_srum(), diag);
  REQUIRE(r.ok);
  CHECK(r.summary.state == "clean_shutdown");
  CHECK(r.summary.tables == 6);
  CHECK(r.summary.records == 6 + 3 + 203 + 3 + 3 + 2);
  CHECK(diag.warnings() == 0);
  auto conn = lines_with(r.lines, "\"srum_connectivity\"");
  REQUIRE(conn.size() == 3);
  CHECK(
      conn[0] ==
      R"({"artifact":"srum_connectivity","source":"SRUM/SRUDB.dat","table":"{DD6636C4-8929-4683-974E-22C046A43763}",)"
      R"("provider":"Windows Network Connectivity Usage Monitor","record_id":2,"time":"2021-11-16T19:18:00.000000Z",)"
      R"("app":null,"app_id":1,"user_sid":null,"user_id":2,"interface_luid":1689399632855040,"l2_profile_id":0,)"
      R"("connected_time":3615,"connect_start_time":"2021-11-16T18:17:44.200939Z","l2_profile_flags":0,"offset":)" +
          conn[0].substr(conn[0].rfind(':') + 1));
  // Every line is JSON with the contract's leading fields.
  simdjson::dom::parser p;
  std::size_t n = 0;
  for (const auto& l : lines_with(r.lines, "\"artifact\"")) {
    auto doc = p.parse(l);
    REQUIRE(doc.error() == simdjson::SUCCESS);
    CHECK(doc["source"].get_string().value() == "SRUM/SRUDB.dat");
    ++n;
  }
  CHECK(n == r.summary.records);
  // sihost.exe of the id map is an app of the application resource usage table.
  CHECK_FALSE(lines_with(r.lines, "System32\\\\sihost.exe").empty());
}

TEST_CASE("srum: a damaged, a dirty and a non-ESE database") {
  auto db = kk_test::small_srum();
  SUBCASE("not ESE: false, one error naming the offset, nothing emitted") {
    std::vector<std::uint8_t> text(8192, 'x');
    kk::Diagnostics diag("test");
    diag.set_stderr_limit(0);
    auto r = run(text, diag);
    CHECK_FALSE(r.ok);
    CHECK(r.lines.empty());
    CHECK(diag.errors() == 1);
  }
  SUBCASE("dirty: read in full, said so (info, not damage)") {
    db[52] = 2;
    kk::Diagnostics diag("test");
    diag.set_stderr_limit(0);
    const auto diag_path = std::filesystem::temp_directory_path() /
                           ("kk-srum-dirty-" + std::to_string(::getpid()) + ".jsonl");
    REQUIRE(diag.open_jsonl(diag_path.string(), nullptr));
    auto r = run(db, diag);
    CHECK(r.ok);
    CHECK(r.summary.state == "dirty_shutdown");
    CHECK(r.summary.records == 220);
    CHECK(diag.warnings() == 0);
    // Which rows may be missing: those after the newest row the database holds.
    REQUIRE(r.summary.newest.has_value());
    diag.flush();
    std::ifstream in(diag.jsonl_path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string newest;
    kk::append_iso(newest, *r.summary.newest);
    CHECK(text.find("rows SRUM recorded after " + newest +
                    " (the newest row in the database) until collection may exist only in "
                    "those logs") != std::string::npos);
    diag.finish();
    std::filesystem::remove(diag_path);
  }
  SUBCASE("truncated: what lies before the cut, warnings with offsets") {
    db.resize(400 * 1024);
    kk::Diagnostics diag("test");
    diag.set_stderr_limit(0);
    auto r = run(db, diag);
    CHECK(r.ok);
    CHECK(r.summary.records > 0);
    CHECK(r.summary.records < 220);
    CHECK(diag.warnings() > 0);
  }
}

TEST_CASE("srum: corpus databases against Chainsaw's analysis of the same file") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(KK_CORPUS) / "srum/dfir-artifact-museum/Win10";
  if (!fs::exists(dir)) {
    MESSAGE("shared corpus not present, skipped");
    return;
  }
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  auto apt = run(kk_test::bytes_of((dir / "APTSimulatorVM/Clean/SRUDB.dat").string()), diag);
  REQUIRE(apt.ok);
  // Chainsaw (srum/chainsaw in the corpus): 96 network usage rows, 562 app usage rows.
  CHECK(lines_with(apt.lines, "\"srum_network_usage\"").size() == 96);
  CHECK(lines_with(apt.lines, "\"srum_app_usage\"").size() == 562);
  auto edge = lines_with(apt.lines,
                         "\"record_id\":2,\"time\":\"2022-03-10T16:35:00.000000Z\",\"app\":"
                         "\"\\\\device\\\\harddiskvolume3\\\\program files "
                         "(x86)\\\\microsoft\\\\edgeupdate\\\\microsoftedgeupdate.exe\"");
  REQUIRE(edge.size() >= 1);
  CHECK(lines_with(edge[0] + "\n", "\"bytes_sent\":1883,\"bytes_received\":4244").size() == 1);
  CHECK(lines_with(edge[0] + "\n", "S-1-5-21-2212929841-2730996645-2649195864-1000").size() == 1);

  // The dirty copy (header revision 20, dirty shutdown) gives the same rows as the
  // copy repaired with esentutl.
  kk::Diagnostics d2("test");
  d2.set_stderr_limit(0);
  auto dirty =
      run(kk_test::bytes_of((dir / "BelkasoftCTF_InsiderThreat/Dirty/SRUDB.dat").string()), d2);
  auto clean =
      run(kk_test::bytes_of((dir / "BelkasoftCTF_InsiderThreat/Clean/SRUDB.dat").string()), d2);
  REQUIRE(dirty.ok);
  REQUIRE(clean.ok);
  CHECK(dirty.summary.state == "dirty_shutdown");
  CHECK(dirty.summary.records == clean.summary.records);
  CHECK(dirty.summary.records == 4107 + 101 + 465 + 2087 + 50 + 0 + 1);
}
