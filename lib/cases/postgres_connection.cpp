// The PostgreSQL backend (Debian libpq), for a registry several analysts' machines share.
// Same schema and queries as SQLite: "?" placeholders become $1, $2 …; every command's
// transaction is READ COMMITTED and claims rows with conditional UPDATEs, which PostgreSQL
// serializes per row.
#include <libpq-fe.h>

#include "cases/sql.hpp"

namespace kk::cases {
namespace {

// "?" -> "$N" outside quoted literals.
std::string number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

class PostgresConnection final : public SqlConnection {
 public:
  explicit PostgresConnection(const std::string& url) : url_(redact(url)) {
    conn_ = PQconnectdb(url.c_str());
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string why = conn_ ? PQerrorMessage(conn_) : "out of memory";
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      PQfinish(conn_);
      conn_ = nullptr;
      throw SqlError(url_ + ": cannot connect to the registry: " + why);
    }
    query("SET client_min_messages TO WARNING", {});
  }
  ~PostgresConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string describe() const override { return url_; }
  std::int64_t changes() const override { return changes_; }

  std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) override {
    std::string text = number_placeholders(sql);
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (std::holds_alternative<std::int64_t>(params[i])) {
        storage[i] = std::to_string(std::get<std::int64_t>(params[i]));
        values[i] = storage[i].c_str();
      } else if (std::holds_alternative<std::string>(params[i])) {
        storage[i] = std::get<std::string>(params[i]);
        values[i] = storage[i].c_str();
      }
    }
    PGresult* r = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
    struct Clear {
      PGresult* r;
      ~Clear() { PQclear(r); }
    } clear{r};
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      std::string why = PQresultErrorMessage(r);
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      throw SqlError(url_ + ": statement failed: " + why);
    }
    const char* affected = PQcmdTuples(r);
    changes_ = affected && *affected ? std::stoll(affected) : 0;
    std::vector<SqlRow> rows;
    int nrows = PQntuples(r), ncols = PQnfields(r);
    rows.reserve(static_cast<std::size_t>(nrows));
    for (int i = 0; i < nrows; ++i) {
      SqlRow row;
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(r, i, c)) {
          row.cols.emplace_back();
        } else {
          row.cols.emplace_back(
              std::string(PQgetvalue(r, i, c), static_cast<std::size_t>(PQgetlength(r, i, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  void begin() override { query("BEGIN", {}); }
  void commit() override { query("COMMIT", {}); }
  void rollback() noexcept override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

 private:
  // Messages never show a password given in the URL.
  static std::string redact(const std::string& url) {
    auto scheme = url.find("://");
    auto at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
    auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon) + ":***" + url.substr(at);
  }
  PGconn* conn_ = nullptr;
  std::string url_;
  std::int64_t changes_ = 0;
};

}  // namespace

std::unique_ptr<SqlConnection> open_postgres(const std::string& url) {
  return std::make_unique<PostgresConnection>(url);
}

}  // namespace kk::cases
