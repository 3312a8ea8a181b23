// The SQLite backend: ROOT/cases.db, WAL journal (readers never wait for a writer), a busy
// timeout so concurrent commands queue for the write lock instead of failing, and
// BEGIN IMMEDIATE for every command's transaction.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cases/sql.hpp"

namespace kk::cases {

namespace {

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(const std::string& path, int busy_ms) : path_(path) {
    // A new registry file is created here, readable by this user only (it names customers);
    // an existing one must not be a link (SQLITE_OPEN_NOFOLLOW refuses it too).
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw SqlError(path + ": cannot open the registry: " + std::strerror(errno));
    ::close(fd);
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw SqlError(path + ": cannot open the registry: " + why);
    }
    sqlite3_busy_timeout(db_, busy_ms);
    sqlite3_extended_result_codes(db_, 1);
    query("PRAGMA journal_mode=WAL", {});
    query("PRAGMA synchronous=NORMAL", {});
    query("PRAGMA foreign_keys=ON", {});
  }
  ~SqliteConnection() override { sqlite3_close(db_); }

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string describe() const override { return path_; }
  std::int64_t changes() const override { return sqlite3_changes64(db_); }

  std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) override {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st, nullptr) !=
        SQLITE_OK)
      fail("cannot prepare a statement");
    struct Finalize {
      sqlite3_stmt* s;
      ~Finalize() { sqlite3_finalize(s); }
    } finalize{st};
    for (std::size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      const SqlValue& p = params[i];
      if (std::holds_alternative<std::int64_t>(p)) {
        sqlite3_bind_int64(st, idx, std::get<std::int64_t>(p));
      } else if (std::holds_alternative<std::string>(p)) {
        const std::string& s = std::get<std::string>(p);
        sqlite3_bind_text64(st, idx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else {
        sqlite3_bind_null(st, idx);
      }
    }
    std::vector<SqlRow> rows;
    for (;;) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail("statement failed");
      SqlRow row;
      int n = sqlite3_column_count(st);
      for (int c = 0; c < n; ++c) {
        const unsigned char* t = sqlite3_column_text(st, c);
        if (!t) {
          row.cols.emplace_back();
        } else {
          row.cols.emplace_back(std::string(reinterpret_cast<const char*>(t),
                                            static_cast<std::size_t>(sqlite3_column_bytes(st, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  void begin() override { query("BEGIN IMMEDIATE", {}); }
  void commit() override { query("COMMIT", {}); }
  void rollback() noexcept override {
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  [[noreturn]] void fail(const char* what) {
    throw SqlError(path_ + ": " + what + ": " + sqlite3_errmsg(db_));
  }
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace

std::unique_ptr<SqlConnection> open_sqlite(const std::string& path, int busy_ms) {
  return std::make_unique<SqliteConnection>(path, busy_ms);
}

}  // namespace kk::cases
