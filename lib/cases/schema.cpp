// Migrations are append-only: a released step is never edited, a change is a new step.
// Times are integers (µs since 1970 UTC, as everywhere in kakekomi); "{id}" is each
// dialect's auto-numbered key.
#include "cases/schema.hpp"

#include <array>
#include <chrono>
#include <string>

namespace kk::cases {
namespace {

constexpr std::array<const char*, 1> kMigrations = {
    // 1: cases, their inputs and PCs, deliveries, deletions, the audit trail, and the
    //    anonymized statistics kept after purges (no case id: nothing links them back).
    R"(
CREATE TABLE cases (
  case_id TEXT PRIMARY KEY,
  folder TEXT NOT NULL,
  customer TEXT NOT NULL,
  analyst TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  received_at BIGINT,
  delivered_at BIGINT,
  completed_at BIGINT,
  inquiry_until BIGINT,
  delete_after BIGINT,
  purged_at BIGINT,
  meeting_at BIGINT,
  case_json TEXT NOT NULL
);
CREATE TABLE inputs (
  id {id},
  case_id TEXT NOT NULL REFERENCES cases(case_id),
  file TEXT NOT NULL,
  stored_as TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  host TEXT,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  UNIQUE (case_id, sha256)
);
CREATE TABLE hosts (
  case_id TEXT NOT NULL REFERENCES cases(case_id),
  host TEXT NOT NULL,
  input_id BIGINT NOT NULL,
  state TEXT NOT NULL,
  claimed_by TEXT,
  claimed_at BIGINT,
  finished_at BIGINT,
  triage_status TEXT,
  PRIMARY KEY (case_id, host)
);
CREATE TABLE deliveries (
  id {id},
  case_id TEXT NOT NULL REFERENCES cases(case_id),
  kind TEXT NOT NULL,
  host TEXT NOT NULL,
  version BIGINT NOT NULL,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  delivered_at BIGINT NOT NULL
);
CREATE TABLE deletions (
  id {id},
  case_id TEXT NOT NULL REFERENCES cases(case_id),
  purged_at BIGINT NOT NULL,
  forced BIGINT NOT NULL,
  reason TEXT NOT NULL,
  files BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  record_sha256 TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE TABLE audit (
  id {id},
  case_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  who TEXT NOT NULL,
  uid BIGINT NOT NULL,
  action TEXT NOT NULL,
  details TEXT NOT NULL
);
CREATE TABLE stats_facts (
  id {id},
  batch TEXT NOT NULL,
  incident_month TEXT NOT NULL,
  os TEXT NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  detail TEXT NOT NULL,
  recorded_at BIGINT NOT NULL
);
)",
};

std::string for_dialect(std::string sql, Dialect d) {
  const std::string token = "{id}";
  const std::string id =
      d == Dialect::kSqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
  for (auto p = sql.find(token); p != std::string::npos; p = sql.find(token, p))
    sql.replace(p, token.size(), id);
  return sql;
}

// Statements of a migration, split on ';' at line ends (libpq runs one per call).
std::vector<std::string> statements(const std::string& sql) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t p = sql.find(";\n"); p != std::string::npos; p = sql.find(";\n", start)) {
    std::string s = sql.substr(start, p - start);
    if (s.find_first_not_of(" \n") != std::string::npos) out.push_back(s);
    start = p + 2;
  }
  return out;
}

}  // namespace

int schema_version_latest() {
  return static_cast<int>(kMigrations.size());
}

void migrate(SqlConnection& db) {
  Transaction tx(db);
  // Two first commands on a new PostgreSQL registry must not both create the tables.
  if (db.dialect() == Dialect::kPostgres) db.exec("SELECT pg_advisory_xact_lock(1799419)");
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at BIGINT "
      "NOT NULL, tool TEXT NOT NULL)");
  auto rows = db.query("SELECT MAX(version) FROM schema_version", {});
  int have = rows.empty() ? 0 : static_cast<int>(rows[0].integer(0).value_or(0));
  int latest = schema_version_latest();
  if (have > latest) {
    throw SqlError(db.describe() + ": the registry has schema version " + std::to_string(have) +
                   ", newer than this kakekomi knows (" + std::to_string(latest) +
                   "); it was left as it is: use the kakekomi that wrote it, or a newer one");
  }
  if (have == latest) return;  // nothing written: the transaction rolls back
  const std::int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  for (int v = have + 1; v <= latest; ++v) {
    for (const std::string& s :
         statements(for_dialect(kMigrations[static_cast<std::size_t>(v - 1)], db.dialect())))
      db.exec(s);
    db.exec("INSERT INTO schema_version (version, applied_at, tool) VALUES (?, ?, ?)",
            {std::int64_t{v}, now, std::string("kakekomi")});
  }
  tx.commit();
}

}  // namespace kk::cases
