// The -wal next to a database: its committed frames are applied to a private copy (the
// evidence files keep their bytes), a damaged WAL is not applied and says why. SQLite
// itself writes the database and the WAL here.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "browser/browser.hpp"
#include "browser/wal.hpp"

namespace {
void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, &err) == SQLITE_OK);
}

// A minimal Chrome History in WAL mode: 2 visits checkpointed into the database, 3 more
// only in the WAL. Returns the folder holding "u_Default_History" and its "-wal".
std::string make_history_with_wal() {
  const std::string dir = kk_test::temp_dir();
  const std::string live = dir + "/live";
  std::filesystem::create_directory(live);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((live + "/History").c_str(), &db) == SQLITE_OK);
  exec(db, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;");
  exec(db,
       "CREATE TABLE urls(id INTEGER PRIMARY KEY, url TEXT, title TEXT, visit_count INTEGER,"
       " typed_count INTEGER, last_visit_time INTEGER);"
       "CREATE TABLE visits(id INTEGER PRIMARY KEY, url INTEGER, visit_time INTEGER,"
       " from_visit INTEGER, transition INTEGER);"
       "INSERT INTO urls VALUES(1,'https://a.example/','A',1,0,13300000000000000);"
       "INSERT INTO visits VALUES(1,1,13300000000000000,0,1);"
       "INSERT INTO visits VALUES(2,1,13300000001000000,1,0);");
  exec(db, "PRAGMA wal_checkpoint(TRUNCATE);");
  exec(db,
       "INSERT INTO urls VALUES(2,'https://evil.example/x.exe','X',1,0,13300000002000000);"
       "INSERT INTO visits VALUES(3,2,13300000002000000,2,0);"
       "INSERT INTO visits VALUES(4,2,13300000003000000,3,0);"
       "INSERT INTO visits VALUES(5,2,13300000004000000,4,0);");
  // Copy while the connection is open: closing would checkpoint the WAL away.
  std::filesystem::copy_file(live + "/History", dir + "/u_Default_History");
  std::filesystem::copy_file(live + "/History-wal", dir + "/u_Default_History-wal");
  sqlite3_close(db);
  return dir;
}

kk::browser::Summary parse(const std::string& path, std::string& out, kk::Diagnostics& diag) {
  return kk::browser::parse_file(path, "Web/Chrome/u_Default_History", {}, out, diag);
}
}  // namespace

TEST_CASE("wal: committed frames are read, the evidence is untouched") {
  const std::string dir = make_history_with_wal();
  const std::string db = dir + "/u_Default_History";
  const std::string before_db = kk_test::read_file(db),
                    before_wal = kk_test::read_file(db + "-wal");
  REQUIRE(before_wal.size() > 32);
  const auto mtime = std::filesystem::last_write_time(db);
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  std::string out;
  auto sum = parse(db, out, diag);
  CHECK(sum.wal_applied);
  CHECK(sum.visits == 5);
  CHECK(out.find("https://evil.example/x.exe") != std::string::npos);
  CHECK(diag.warnings() == 0);
  CHECK(kk_test::read_file(db) == before_db);
  CHECK(kk_test::read_file(db + "-wal") == before_wal);
  CHECK(std::filesystem::last_write_time(db) == mtime);
  CHECK(!std::filesystem::exists(db + "-shm"));  // SQLite never opened the evidence

  // Without its WAL the database holds the checkpointed visits only.
  std::filesystem::rename(db + "-wal", dir + "/elsewhere-wal");
  out.clear();
  CHECK(parse(db, out, diag).visits == 2);

  // A damaged WAL (a flipped byte in the last frame) keeps the commits before it.
  std::string wal = before_wal;
  wal[wal.size() - 10] ^= 0x55;
  {
    std::ofstream f(db + "-wal", std::ios::binary);
    f << wal;
  }
  std::vector<std::uint8_t> image(before_db.begin(), before_db.end());
  auto r = kk::browser::apply_wal(image,
                                  {reinterpret_cast<const std::uint8_t*>(wal.data()), wal.size()});
  // Each INSERT above is its own transaction: the last one is lost, the three before stay.
  CHECK(r.applied);
  CHECK(r.problem.find("fail their checksum") != std::string::npos);
  kk::Diagnostics d2("test");
  d2.set_stderr_limit(0);
  out.clear();
  CHECK(parse(db, out, d2).visits == 4);
  CHECK(d2.warnings() == 1);
  std::filesystem::remove_all(dir);
}

TEST_CASE("wal: headers that are not a WAL are refused with a reason") {
  std::vector<std::uint8_t> db(4096, 0);
  std::vector<std::uint8_t> wal(100, 0);
  auto r = kk::browser::apply_wal(db, wal);
  CHECK(!r.applied);
  CHECK(r.problem.find("magic") != std::string::npos);
  CHECK(!kk::browser::apply_wal(db, {}).applied);
}
