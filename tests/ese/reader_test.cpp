// Golden facts of a real SRUM database (tests/data/ese/SRUDB.dat.gz, from dissect.esedb).
#include <doctest/doctest.h>

#include "core/windows_types.hpp"
#include "ese/ese.hpp"
#include "ese_fixture.hpp"

using kk::ese::Database;
using kk::ese::Record;

TEST_CASE("ese: header and catalog of the small SRUM database") {
  auto file = kk_test::small_srum();
  REQUIRE(file.size() == 655360);
  auto db = Database::open(file);
  REQUIRE(db.ok());
  CHECK(db->header().format_version == 0x620);
  CHECK(db->header().format_revision == 20);
  CHECK(db->header().page_size == 4096);
  CHECK(db->header().state_name() == "clean_shutdown");
  CHECK_FALSE(db->header().dirty());
  CHECK(db->tables().size() == 12);
  const auto* idmap = db->table("SruDbIdMapTable");
  REQUIRE(idmap != nullptr);
  REQUIRE(idmap->column("IdBlob") != nullptr);
  CHECK(idmap->column("IdBlob")->type == kk::ese::ColumnType::kLongBinary);
  CHECK(idmap->column("IdIndex")->fixed_offset == 1);  // after the 1-byte IdType
  CHECK(db->issues().empty());
}

TEST_CASE("ese: SruDbIdMapTable maps ids to application paths and user SIDs") {
  auto file = kk_test::small_srum();
  auto db = Database::open(file);
  REQUIRE(db.ok());
  const auto& t = *db->table("SruDbIdMapTable");
  std::map<std::int64_t, std::pair<std::int64_t, std::string>> rows;
  auto stats = db->for_each_record(t, [&](const Record& r) {
    auto blob = r.get("IdBlob");
    const auto type = r.get("IdType").integer().value_or(-1);
    rows[r.get("IdIndex").integer().value_or(-1)] = {
        type, type == 3 ? kk::format_sid(blob.bytes()) : blob.text()};
  });
  CHECK(stats.records == 106);
  CHECK(stats.deleted == 0);
  CHECK(rows.size() == 106);
  CHECK(rows[10] == std::pair<std::int64_t, std::string>{
                        0, "\\Device\\HarddiskVolume2\\Windows\\System32\\sihost.exe"});
  CHECK(rows[7] ==
        std::pair<std::int64_t, std::string>{3, "S-1-5-21-1806060109-1839359715-529511253-500"});
  CHECK(rows[8].second ==
        "Microsoft.Windows.ShellExperienceHost_10.0.17763.1_neutral_neutral_cw5n1h2txyewy");
}

TEST_CASE("ese: SRUM TimeStamp is an OLE date, ConnectStartTime a FILETIME") {
  auto file = kk_test::small_srum();
  auto db = Database::open(file);
  REQUIRE(db.ok());
  const auto& t = *db->table("{DD6636C4-8929-4683-974E-22C046A43763}");
  std::vector<std::string> seen;
  db->for_each_record(t, [&](const Record& r) {
    seen.push_back(kk::format_iso(r.get("TimeStamp").ole_date().value_or(0)) + " " +
                   std::to_string(r.get("ConnectedTime").integer().value_or(-1)) + " " +
                   kk::format_iso(r.get("ConnectStartTime").filetime().value_or(0)));
  });
  REQUIRE(seen.size() == 3);
  CHECK(seen[0] == "2021-11-16T19:18:00.000000Z 3615 2021-11-16T18:17:44.200939Z");
}
