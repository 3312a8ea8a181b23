// The registry's database, reduced to what the registry needs: statements with
// parameters, rows of text, and write transactions. Two backends implement it — SQLite
// (one file per case root, the default) and PostgreSQL (shared by several analysts'
// machines) — so the schema, the migrations and every query are written once.
//
// SQL is written with "?" placeholders; a backend that numbers them ($1, $2 …) rewrites it.
// Failures throw SqlError: a registry that cannot be read or written ends the command, and
// the open transaction is rolled back, so the registry stays as it was.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kk::cases {

struct SqlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A parameter: NULL, an integer or text.
using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;
inline SqlValue sql_opt(const std::optional<std::int64_t>& v) {
  return v ? SqlValue(*v) : SqlValue();
}

// One result row: each column as text, nullopt for NULL.
struct SqlRow {
  std::vector<std::optional<std::string>> cols;
  std::string text(std::size_t i) const { return i < cols.size() && cols[i] ? *cols[i] : ""; }
  std::optional<std::int64_t> integer(std::size_t i) const;
  bool is_null(std::size_t i) const { return i >= cols.size() || !cols[i]; }
};

enum class Dialect { kSqlite, kPostgres };

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual Dialect dialect() const = 0;
  // Runs SQL with PARAMS; returns its rows (none for statements without results).
  virtual std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  // The number of rows the last INSERT/UPDATE/DELETE changed.
  virtual std::int64_t changes() const = 0;
  // Starts a transaction that will write: SQLite takes the write lock now (BEGIN
  // IMMEDIATE, waiting up to the busy timeout), so two commands never deadlock upgrading.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // Where the registry is, for messages ("ROOT/cases.db", "postgresql://host/db").
  virtual std::string describe() const = 0;

  void exec(std::string_view sql, const std::vector<SqlValue>& params = {}) { query(sql, params); }
};

// Opens (creating) the SQLite file PATH: WAL journal, a busy timeout of BUSY_MS, foreign keys.
std::unique_ptr<SqlConnection> open_sqlite(const std::string& path, int busy_ms = 30000);
// Connects to the PostgreSQL server named by URL (libpq connection string or URI).
std::unique_ptr<SqlConnection> open_postgres(const std::string& url);

// One command = one transaction: begun on construction, rolled back unless commit() ran.
class Transaction {
 public:
  explicit Transaction(SqlConnection& db) : db_(db) { db_.begin(); }
  ~Transaction() {
    if (!done_) db_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    db_.commit();
    done_ = true;
  }

 private:
  SqlConnection& db_;
  bool done_ = false;
};

}  // namespace kk::cases
