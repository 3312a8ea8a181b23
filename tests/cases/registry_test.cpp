// The registry over SQLite: migrations, refusal of a newer schema, claims, audit.
#include <doctest/doctest.h>

#include <filesystem>

#include "../test_util.hpp"
#include "cases/case_folder.hpp"
#include "cases/registry.hpp"
#include "cases/schema.hpp"
#include "core/hash.hpp"

using namespace kk::cases;

namespace {
CaseRow sample_case(const std::string& id) {
  CaseRow c;
  c.case_id = id;
  c.folder = "/cases/" + id;
  c.customer = "Example KK";
  c.analyst = "analyst";
  c.created_at = 1000;
  c.case_json = "{}";
  return c;
}
}  // namespace

TEST_CASE("registry: a new SQLite registry gets the latest schema, WAL and every table") {
  std::string root = kk_test::temp_dir();
  auto reg = Registry::open(root, "");
  auto v = reg->db().query("SELECT MAX(version) FROM schema_version", {});
  CHECK(v[0].integer(0) == schema_version_latest());
  CHECK(reg->db().query("PRAGMA journal_mode", {})[0].text(0) == "wal");
  for (const char* t :
       {"cases", "inputs", "hosts", "deliveries", "deletions", "audit", "stats_facts"})
    CHECK(reg->db()
              .query("SELECT COUNT(*) FROM sqlite_master WHERE name = ?", {std::string(t)})[0]
              .integer(0) == 1);
  // Opening again applies nothing twice.
  reg.reset();
  auto again = Registry::open(root, "");
  CHECK(again->db().query("SELECT COUNT(*) FROM schema_version", {})[0].integer(0) ==
        schema_version_latest());
  CHECK((std::filesystem::status(root + "/cases.db").permissions() &
         std::filesystem::perms::others_read) == std::filesystem::perms::none);
}

TEST_CASE("registry: a registry from a newer kakekomi is refused and left unchanged") {
  std::string root = kk_test::temp_dir();
  {
    auto reg = Registry::open(root, "");
    reg->db().exec("INSERT INTO schema_version (version, applied_at, tool) VALUES (99, 0, 'x')");
  }
  std::string before = kk_test::read_file(root + "/cases.db");
  std::string message;
  try {
    Registry::open(root, "");
  } catch (const SqlError& e) {
    message = e.what();
  }
  CHECK(message.find("schema version 99") != std::string::npos);
  CHECK(message.find("newer than this kakekomi knows (1)") != std::string::npos);
  CHECK(kk::sha256_hex(kk_test::read_file(root + "/cases.db")) == kk::sha256_hex(before));
}

TEST_CASE("registry: a PC is claimed once; a rolled-back command leaves nothing") {
  std::string root = kk_test::temp_dir();
  auto a = Registry::open(root, "");
  auto b = Registry::open(root, "");  // a second command on the same root
  {
    Transaction tx(a->db());
    a->insert_case(sample_case("C1"));
    InputRow in;
    in.file = "PC01_20240101000000.zip";
    in.stored_as = "received/" + in.file;
    in.sha256 = std::string(64, 'a');
    in.kind = "bundle";
    in.host = "PC01";
    in.state = "received";
    a->insert_host("C1", {"PC01", a->insert_input("C1", in), "received"});
    tx.commit();
  }
  {
    Transaction tx(a->db());
    CHECK(a->claim_host("C1", "PC01", "m:1", 5));
    tx.commit();
  }
  {
    Transaction tx(b->db());
    CHECK_FALSE(b->claim_host("C1", "PC01", "m:2", 6));   // held by m:1
    CHECK(b->claim_host("C1", "PC01", "m:2", 6, "m:1"));  // m:1 found dead: taken over
    tx.commit();
  }
  CHECK(a->hosts("C1")[0].claimed_by == "m:2");
  {
    Transaction tx(a->db());
    a->audit("C1", 7, "never", "{}");
    a->insert_case(sample_case("C2"));
    // no commit: a crash mid-command
  }
  CHECK(a->audit_trail("C1").empty());
  CHECK_FALSE(a->find_case("C2"));
  // The same content twice is refused by the schema too.
  Transaction tx(a->db());
  InputRow dup;
  dup.file = "copy.zip";
  dup.stored_as = "received/copy.zip";
  dup.sha256 = std::string(64, 'a');
  dup.kind = "bundle";
  dup.state = "received";
  CHECK_THROWS_AS(a->insert_input("C1", dup), SqlError);
}

TEST_CASE("registry: while one command writes, another waits for it (busy timeout)") {
  std::string root = kk_test::temp_dir();
  auto a = Registry::open(root, "");
  auto fast = open_sqlite(root + "/cases.db", 200);
  Transaction hold(a->db());
  a->insert_case(sample_case("C1"));
  auto t0 = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(fast->begin(), SqlError);  // gave up after 200 ms, nothing half-written
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(150));
  hold.commit();
  fast->begin();
  fast->commit();
}

TEST_CASE("case dates: due in two weeks; deletion one calendar month after completion") {
  auto t = kk::parse_user_time("2024-01-31 10:00", "Asia/Tokyo");
  REQUIRE(t);
  CHECK(kk::format_iso(add_one_month(*t, "Asia/Tokyo")) == "2024-02-29T01:00:00.000000Z");
  auto u = kk::parse_user_time("2024-03-15 08:30", "Asia/Tokyo");
  CHECK(kk::format_iso(add_one_month(*u, "Asia/Tokyo")) == "2024-04-14T23:30:00.000000Z");
  CHECK(kk::format_iso(due_at(*u)) == "2024-03-28T23:30:00.000000Z");
}
