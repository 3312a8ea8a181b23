// The registry on PostgreSQL: a throwaway server of the test's own (initdb + pg_ctl in a
// temporary folder, Unix socket only, as "nobody" when the test runs as root). Skipped with
// a message where no server can be started.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "cases/registry.hpp"
#include "cases/schema.hpp"

namespace fs = std::filesystem;
using namespace kk::cases;

namespace {

const std::string kPgBin = "/usr/lib/postgresql/15/bin";

int quiet(const std::string& cmd) {
  int rc = std::system((cmd + " >/dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

class Server {
 public:
  Server() {
    if (!fs::exists(kPgBin + "/initdb")) {
      why_ = kPgBin + "/initdb not installed (Debian postgresql)";
      return;
    }
    dir_ = kk_test::temp_dir();
    // The server refuses to run as root: then it runs as nobody, in a folder nobody owns.
    as_ = ::geteuid() == 0 ? "runuser -u nobody -- " : "";
    if (::geteuid() == 0 && quiet("chown nobody " + dir_) != 0) {
      why_ = "cannot hand " + dir_ + " to nobody";
      return;
    }
    if (quiet(as_ + kPgBin + "/initdb -D " + dir_ + "/data -A trust -U kk --no-sync") != 0) {
      why_ = "initdb failed";
      return;
    }
    if (quiet(as_ + kPgBin + "/pg_ctl -D " + dir_ + "/data -w -l " + dir_ + "/log -o \"-k " + dir_ +
              " -c listen_addresses= -p 5432 -c fsync=off\" start") != 0) {
      why_ = "pg_ctl start failed (see " + dir_ + "/log)";
      return;
    }
    running_ = true;
  }
  ~Server() {
    if (running_) quiet(as_ + kPgBin + "/pg_ctl -D " + dir_ + "/data -m immediate stop");
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  bool running() const { return running_; }
  const std::string& why() const { return why_; }
  std::string url(const std::string& db = "postgres") const {
    return "postgresql://kk@/" + db + "?host=" + dir_ + "&port=5432";
  }
  bool create_db(const std::string& name) const {
    return quiet(kPgBin + "/createdb -h " + dir_ + " -p 5432 -U kk " + name) == 0;
  }

 private:
  std::string dir_, as_, why_;
  bool running_ = false;
};

Server& server() {
  static Server s;  // one server for the whole test binary
  return s;
}

bool have_server() {
  if (server().running()) return true;
  MESSAGE("PostgreSQL tests skipped: " << server().why());
  return false;
}

int sh(const std::string& cmd, std::string* out = nullptr) {
  std::string file = kk_test::temp_file();
  int rc = std::system(("(" + cmd + ") >" + file + " 2>&1").c_str());
  if (out) *out = kk_test::read_file(file);
  fs::remove(file);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace

TEST_CASE("postgresql: same schema and migrations; a newer schema is refused") {
  if (!have_server()) return;
  REQUIRE(server().create_db("schema_test"));
  {
    auto reg = Registry::open("/nonexistent", server().url("schema_test"));
    CHECK(reg->db().dialect() == Dialect::kPostgres);
    CHECK(reg->db().query("SELECT MAX(version) FROM schema_version", {})[0].integer(0) ==
          schema_version_latest());
    CHECK(reg->db()
              .query("SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN "
                     "('cases','inputs','hosts','deliveries','deletions','audit','stats_facts')",
                     {})[0]
              .integer(0) == 7);
    reg->db().exec("INSERT INTO schema_version (version, applied_at, tool) VALUES (42, 0, 'x')");
  }
  std::string message;
  try {
    Registry::open("/nonexistent", server().url("schema_test"));
  } catch (const SqlError& e) {
    message = e.what();
  }
  CHECK(message.find("schema version 42, newer than this kakekomi knows") != std::string::npos);
}

TEST_CASE("postgresql: a PC is claimed by one of two connections; rollback leaves nothing") {
  if (!have_server()) return;
  REQUIRE(server().create_db("claim_test"));
  auto a = Registry::open("", server().url("claim_test"));
  auto b = Registry::open("", server().url("claim_test"));
  {
    Transaction tx(a->db());
    CaseRow c;
    c.case_id = "C1";
    c.folder = "/cases/C1";
    c.customer = "X";
    c.analyst = "Y";
    c.case_json = "{}";
    a->insert_case(c);
    InputRow in;
    in.file = "PC01_20240101000000.zip";
    in.stored_as = "received/" + in.file;
    in.sha256 = std::string(64, 'b');
    in.kind = "bundle";
    in.host = "PC01";
    in.state = "received";
    CHECK(a->insert_input("C1", in) > 0);
    a->insert_host("C1", {"PC01", 1, "received"});
    tx.commit();
  }
  {
    Transaction ta(a->db());
    CHECK(a->claim_host("C1", "PC01", "m:1", 5));
    ta.commit();
  }
  {
    Transaction tb(b->db());
    CHECK_FALSE(b->claim_host("C1", "PC01", "m:2", 6));
    b->audit("C1", 7, "never", "{}");
  }  // no commit: rolled back, the audit row is gone
  CHECK(b->audit_trail("C1").empty());
  CHECK(a->hosts("C1")[0].claimed_by == "m:1");
}

TEST_CASE("postgresql: the cases tool over --registry, init to purge") {
  if (!have_server()) return;
  if (!fs::exists(std::string(KK_BIN_DIR) + "/cases") ||
      !fs::exists(std::string(KK_BIN_DIR) + "/triage")) {
    MESSAGE("cases/triage not built; skipped");
    return;
  }
  REQUIRE(server().create_db("tool_test"));
  const std::string t = kk_test::temp_dir();
  const std::string samples = std::string(KK_SOURCE_DIR) + "/samples";
  std::string intake = kk_test::read_file(samples + "/CASE.json");
  intake.replace(intake.find("KK-SAMPLE-0001"), 14, "PG-1");
  std::ofstream(t + "/CASE.json") << intake;
  const std::string cases = "KK_REGISTRY='" + server().url("tool_test") + "' " +
                            std::string(KK_BIN_DIR) + "/cases --quiet";
  const std::string cd = t + "/root/PG-1";
  std::string out;
  REQUIRE(sh(cases + " init " + cd + " --case " + t + "/CASE.json --now '2019-09-25 12:00'",
             &out) == 0);
  CHECK(out.find("postgresql://kk@/tool_test") != std::string::npos);
  CHECK_FALSE(fs::exists(t + "/root/cases.db"));  // the registry is the server
  REQUIRE(sh(cases + " add " + cd + " " + samples +
             "/MSEDGEWIN10_20190925100000.zip --now '2019-09-25 13:00'") == 0);
  CHECK(sh(cases + " add " + cd + " " + samples +
           "/MSEDGEWIN10_20190925100000.zip --now '2019-09-25 13:00'") == 1);
  // A second PC (the sample unpacked into a folder named PC02_…), and two runs at once.
  REQUIRE(sh(std::string(KK_BIN_DIR) + "/unpack-cdir " + samples +
             "/MSEDGEWIN10_20190925100000.zip --password-file " + samples +
             "/password.txt --quiet -o " + t + "/ex >/dev/null") == 0);
  fs::rename(t + "/ex/MSEDGEWIN10_20190925100000", t + "/PC02_20190925100000");
  REQUIRE(sh(cases + " add " + cd + " " + t + "/PC02_20190925100000 --now '2019-09-25 13:00'") ==
          0);
  const std::string run = cases + " run " + cd + " --no-sigma --password-file " + samples +
                          "/password.txt --pcs 1 --jobs 1 --now '2019-09-26'";
  CHECK(sh("(" + run + " & " + run + " & wait)") == 0);
  {
    auto reg = Registry::open("", server().url("tool_test"));
    for (const std::string host : {"MSEDGEWIN10", "PC02"}) {
      int started = 0;
      for (const AuditRow& a : reg->audit_trail("PG-1"))
        started += a.action == "triage-start" &&
                   a.details.find("\"host\":\"" + host + "\"") != std::string::npos;
      CHECK(started == 1);
    }
  }
  CHECK(sh(cases + " status " + cd + " --json --now '2019-09-27'", &out) == 0);
  CHECK(out.find("\"state\":\"delivered\"") != std::string::npos);
  CHECK(out.find("{\"host\":\"MSEDGEWIN10\",\"state\":\"triaged\"") != std::string::npos);
  REQUIRE(sh(cases + " complete " + cd + " --now '2019-10-01'") == 0);
  CHECK(sh(cases + " purge " + cd + " --execute --now '2019-10-02'") == 1);
  REQUIRE(
      sh(cases + " purge " + cd + " --execute --force --reason 'customer asked' --now '2019-10-02'",
         &out) == 0);
  CHECK(out.find("verified: nothing left") != std::string::npos);
  CHECK_FALSE(fs::exists(cd + "/received"));
  CHECK(sh(cases + " stats " + t + "/root --format jsonl", &out) == 0);
  CHECK(out.find("\"kind\":\"threat_name\",\"value\":\"Trojan:PowerShell/Powersploit.M\"") !=
        std::string::npos);
  auto reg = Registry::open("", server().url("tool_test"));
  auto trail = reg->audit_trail("PG-1");
  REQUIRE_FALSE(trail.empty());
  CHECK(trail.back().action == "purge-forced");
  CHECK(trail.back().details.find("customer asked") != std::string::npos);
  fs::remove_all(t);
}
