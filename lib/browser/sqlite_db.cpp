#include "browser/sqlite_db.hpp"

#include <sqlite3.h>

#include <cstring>
#include <filesystem>

#include "core/mapped_file.hpp"

namespace kk::browser {

int progress_callback(void* p) {
  auto* d = static_cast<Database*>(p);
  d->steps_ += 1;
  return d->steps_ > d->step_budget_ ? 1 : 0;  // non-zero interrupts the statement
}

namespace {
constexpr int kProgressOps = 1000;  // VM instructions between progress callbacks
}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK) {
    error_ = sqlite3_errmsg(db);
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
  }
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

bool Statement::next() {
  if (!stmt_ || !error_.empty()) return false;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    ++rows_;
    return true;
  }
  if (rc != SQLITE_DONE) {
    error_ = rc == SQLITE_INTERRUPT ? "query stopped: the database needed more work than its "
                                      "size allows (a loop in damaged pages?)"
                                    : sqlite3_errmsg(db_);
  }
  return false;
}

bool Statement::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::integer(int col) const {
  int t = sqlite3_column_type(stmt_, col);
  if (t == SQLITE_NULL) return std::nullopt;
  if (t == SQLITE_TEXT || t == SQLITE_BLOB) {
    // A column that holds text where a number belongs (an added or reused column).
    const unsigned char* s = sqlite3_column_text(stmt_, col);
    if (!s || !*s || !((*s >= '0' && *s <= '9') || *s == '-')) return std::nullopt;
  }
  return sqlite3_column_int64(stmt_, col);
}

std::string Statement::text(int col) const {
  const unsigned char* s = sqlite3_column_text(stmt_, col);
  if (!s) return {};
  return std::string(reinterpret_cast<const char*>(s),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::vector<std::uint8_t> Statement::blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  if (!p || n <= 0) return {};
  const auto* b = static_cast<const std::uint8_t*>(p);
  return {b, b + n};
}

Database::~Database() {
  if (db_) sqlite3_close(db_);
}

std::unique_ptr<Database> Database::from_image(std::vector<std::uint8_t> image,
                                               std::string* error) {
  std::unique_ptr<Database> d(new Database());
  d->image_ = std::move(image);
  // Bytes 18/19 say "WAL mode" (2) in a WAL database; the copy is read as a plain
  // (rollback-journal) file, its WAL having been applied already.
  if (d->image_.size() >= 20 && d->image_[18] == 2 && d->image_[19] == 2)
    d->image_[18] = d->image_[19] = 1;
  if (sqlite3_open_v2(":memory:", &d->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    *error = "SQLite cannot start: " + std::string(d->db_ ? sqlite3_errmsg(d->db_) : "no memory");
    return nullptr;
  }
  sqlite3_db_config(d->db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(d->db_, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(d->db_, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(d->db_, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
  // Work budget: generous for any real History (a few thousand instructions per row),
  // bounded for a crafted file whose pages loop.
  d->step_budget_ = 20000 + d->image_.size() / 16;
  sqlite3_progress_handler(d->db_, kProgressOps, progress_callback, d.get());
  const auto size = static_cast<sqlite3_int64>(d->image_.size());
  if (sqlite3_deserialize(d->db_, "main", d->image_.data(), size, size,
                          SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
    *error = std::string("SQLite cannot load the database: ") + sqlite3_errmsg(d->db_);
    return nullptr;
  }
  Statement s(d->db_, "SELECT name FROM sqlite_master WHERE type = 'table'");
  while (s.next()) d->tables_.insert(s.text(0));
  if (!s.error().empty()) d->schema_problem_ = s.error();
  return d;
}

std::set<std::string> Database::columns(std::string_view table) const {
  std::set<std::string> out;
  if (!has_table(table)) return out;
  std::string sql = "PRAGMA table_info(\"" + std::string(table) + "\")";
  Statement s(db_, sql);
  while (s.next()) out.insert(s.text(1));
  return out;
}

std::string Database::column_or_null(std::string_view table, std::string_view name) const {
  auto cols = columns(table);
  return cols.count(std::string(name)) ? std::string(name) : std::string("NULL");
}

std::int64_t Database::pragma_integer(std::string_view pragma) const {
  Statement s(db_, "PRAGMA " + std::string(pragma));
  if (s.next()) return s.integer(0).value_or(0);
  return 0;
}

bool is_sqlite(const std::uint8_t* bytes, std::size_t size) {
  return size >= 16 && std::memcmp(bytes, "SQLite format 3", 16) == 0;
}

bool load_image(const std::string& path, LoadedImage& out, std::string* error) {
  MappedFile f;
  if (!f.open(path, error)) return false;
  out.image.assign(f.bytes().begin(), f.bytes().end());
  std::string wal = path + "-wal";
  std::error_code ec;
  if (std::filesystem::is_regular_file(wal, ec)) {
    out.wal_path = wal;
    MappedFile w;
    std::string werr;
    if (!w.open(wal, &werr)) {
      WalResult r;
      r.problem = "WAL unreadable: " + werr;
      out.wal = r;
    } else if (w.size() > 0) {
      out.wal = apply_wal(out.image, w.bytes());
    }
  }
  return true;
}

}  // namespace kk::browser
