// A browser database opened for reading without ever touching the evidence: the file
// (plus its committed "-wal" frames, applied in memory) is loaded into a private buffer
// that SQLite reads through sqlite3_deserialize. SQLite runs in defensive mode with a
// step budget, so a hostile database cannot hang or rewrite anything.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "browser/wal.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace kk::browser {

// A prepared query; columns are read by index (0-based) on each row.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  // true on a row; false at the end or on an error (then error() is not empty).
  bool next();
  const std::string& error() const { return error_; }
  std::uint64_t rows() const { return rows_; }

  bool is_null(int col) const;
  std::optional<std::int64_t> integer(int col) const;  // nullopt for NULL
  std::string text(int col) const;                     // "" for NULL; bytes as stored
  std::vector<std::uint8_t> blob(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string error_;
  std::uint64_t rows_ = 0;
};

class Database {
 public:
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Opens IMAGE (a whole database file, WAL already applied). nullptr with *error set
  // when SQLite refuses it.
  static std::unique_ptr<Database> from_image(std::vector<std::uint8_t> image, std::string* error);

  sqlite3* handle() const { return db_; }
  const std::set<std::string>& tables() const { return tables_; }
  bool has_table(std::string_view t) const { return tables_.count(std::string(t)) != 0; }
  // Column names of TABLE (empty when it does not exist or cannot be read).
  std::set<std::string> columns(std::string_view table) const;
  // "name" when TABLE has column NAME, else "NULL": queries stay valid across versions.
  std::string column_or_null(std::string_view table, std::string_view name) const;
  std::int64_t pragma_integer(std::string_view pragma) const;
  // Why the schema could not be read (a damaged sqlite_master), else empty.
  const std::string& schema_problem() const { return schema_problem_; }

 private:
  Database() = default;
  sqlite3* db_ = nullptr;
  std::vector<std::uint8_t> image_;  // SQLite reads this buffer; it lives as long as db_
  std::set<std::string> tables_;
  std::string schema_problem_;
  mutable std::uint64_t steps_ = 0;
  std::uint64_t step_budget_ = 0;
  friend int progress_callback(void*);
};

// True when BYTES start with the SQLite header string "SQLite format 3\0".
bool is_sqlite(const std::uint8_t* bytes, std::size_t size);

// The database at PATH and its WAL ("PATH-wal", when present and not empty) as one image.
struct LoadedImage {
  std::vector<std::uint8_t> image;
  std::optional<WalResult> wal;  // set when a WAL file was found
  std::string wal_path;
};
// Loads PATH; false with *error set when it cannot be read.
bool load_image(const std::string& path, LoadedImage& out, std::string* error);

}  // namespace kk::browser
