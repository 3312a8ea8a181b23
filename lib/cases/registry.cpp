#include "cases/registry.hpp"

#include <pwd.h>
#include <unistd.h>

#include <array>
#include <cstdlib>

#include "cases/schema.hpp"

namespace kk::cases {
namespace {

constexpr std::array<std::string_view, 6> kStates{"intake",    "received",  "analysing",
                                                  "delivered", "completed", "purged"};

constexpr const char* kCaseColumns =
    "case_id, folder, customer, analyst, state, created_at, received_at, delivered_at, "
    "completed_at, inquiry_until, delete_after, purged_at, meeting_at, case_json";

CaseRow case_from(const SqlRow& r) {
  CaseRow c;
  c.case_id = r.text(0);
  c.folder = r.text(1);
  c.customer = r.text(2);
  c.analyst = r.text(3);
  c.state = parse_state(r.text(4)).value_or(CaseState::kIntake);
  c.created_at = r.integer(5).value_or(0);
  c.received_at = r.integer(6);
  c.delivered_at = r.integer(7);
  c.completed_at = r.integer(8);
  c.inquiry_until = r.integer(9);
  c.delete_after = r.integer(10);
  c.purged_at = r.integer(11);
  c.meeting_at = r.integer(12);
  c.case_json = r.text(13);
  return c;
}

std::string s(std::string_view v) {
  return std::string(v);
}

}  // namespace

std::string_view state_name(CaseState st) {
  return kStates[static_cast<std::size_t>(st)];
}

std::optional<CaseState> parse_state(std::string_view text) {
  for (std::size_t i = 0; i < kStates.size(); ++i)
    if (kStates[i] == text) return static_cast<CaseState>(i);
  return std::nullopt;
}

std::unique_ptr<Registry> Registry::open(const std::string& root, const std::string& url) {
  std::unique_ptr<SqlConnection> db =
      url.empty() ? open_sqlite(root + "/cases.db") : open_postgres(url);
  migrate(*db);
  return std::make_unique<Registry>(std::move(db));
}

std::optional<CaseRow> Registry::find_case(std::string_view case_id) {
  auto rows = db_->query(std::string("SELECT ") + kCaseColumns + " FROM cases WHERE case_id = ?",
                         {s(case_id)});
  if (rows.empty()) return std::nullopt;
  return case_from(rows[0]);
}

std::vector<CaseRow> Registry::all_cases() {
  std::vector<CaseRow> out;
  for (const SqlRow& r :
       db_->query(std::string("SELECT ") + kCaseColumns + " FROM cases ORDER BY case_id", {}))
    out.push_back(case_from(r));
  return out;
}

void Registry::insert_case(const CaseRow& c) {
  db_->exec(std::string("INSERT INTO cases (") + kCaseColumns +
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {c.case_id, c.folder, c.customer, c.analyst, s(state_name(c.state)), c.created_at,
             sql_opt(c.received_at), sql_opt(c.delivered_at), sql_opt(c.completed_at),
             sql_opt(c.inquiry_until), sql_opt(c.delete_after), sql_opt(c.purged_at),
             sql_opt(c.meeting_at), c.case_json});
}

void Registry::update_case(const CaseRow& c) {
  db_->exec(
      "UPDATE cases SET state = ?, received_at = ?, delivered_at = ?, completed_at = ?, "
      "inquiry_until = ?, delete_after = ?, purged_at = ?, meeting_at = ? WHERE case_id = ?",
      {s(state_name(c.state)), sql_opt(c.received_at), sql_opt(c.delivered_at),
       sql_opt(c.completed_at), sql_opt(c.inquiry_until), sql_opt(c.delete_after),
       sql_opt(c.purged_at), sql_opt(c.meeting_at), c.case_id});
}

void Registry::lock_case(std::string_view case_id) {
  if (db_->dialect() == Dialect::kPostgres)
    db_->exec("SELECT case_id FROM cases WHERE case_id = ? FOR UPDATE", {s(case_id)});
}

namespace {
constexpr const char* kInputColumns =
    "id, file, stored_as, sha256, size, received_at, host, kind, state";
InputRow input_from(const SqlRow& r) {
  InputRow in;
  in.id = r.integer(0).value_or(0);
  in.file = r.text(1);
  in.stored_as = r.text(2);
  in.sha256 = r.text(3);
  in.size = r.integer(4).value_or(0);
  in.received_at = r.integer(5).value_or(0);
  in.host = r.text(6);
  in.kind = r.text(7);
  in.state = r.text(8);
  return in;
}
}  // namespace

std::vector<InputRow> Registry::inputs(std::string_view case_id) {
  std::vector<InputRow> out;
  for (const SqlRow& r : db_->query(
           std::string("SELECT ") + kInputColumns + " FROM inputs WHERE case_id = ? ORDER BY id",
           {s(case_id)}))
    out.push_back(input_from(r));
  return out;
}

std::optional<InputRow> Registry::input_by_hash(std::string_view case_id, std::string_view sha256) {
  auto rows = db_->query(
      std::string("SELECT ") + kInputColumns + " FROM inputs WHERE case_id = ? AND sha256 = ?",
      {s(case_id), s(sha256)});
  if (rows.empty()) return std::nullopt;
  return input_from(rows[0]);
}

std::int64_t Registry::insert_input(std::string_view case_id, const InputRow& in) {
  auto rows = db_->query(
      "INSERT INTO inputs (case_id, file, stored_as, sha256, size, received_at, host, kind, "
      "state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {s(case_id), in.file, in.stored_as, in.sha256, in.size, in.received_at,
       in.host.empty() ? SqlValue() : SqlValue(in.host), in.kind, in.state});
  return rows.empty() ? 0 : rows[0].integer(0).value_or(0);
}

void Registry::set_inputs_state(std::string_view case_id, std::string_view state) {
  db_->exec("UPDATE inputs SET state = ? WHERE case_id = ?", {s(state), s(case_id)});
}

std::vector<HostRow> Registry::hosts(std::string_view case_id) {
  std::vector<HostRow> out;
  for (const SqlRow& r : db_->query(
           "SELECT host, input_id, state, claimed_by, claimed_at, finished_at, triage_status "
           "FROM hosts WHERE case_id = ? ORDER BY host",
           {s(case_id)})) {
    HostRow h;
    h.host = r.text(0);
    h.input_id = r.integer(1).value_or(0);
    h.state = r.text(2);
    h.claimed_by = r.text(3);
    h.claimed_at = r.integer(4);
    h.finished_at = r.integer(5);
    h.triage_status = r.text(6);
    out.push_back(std::move(h));
  }
  return out;
}

void Registry::insert_host(std::string_view case_id, const HostRow& h) {
  db_->exec("INSERT INTO hosts (case_id, host, input_id, state) VALUES (?, ?, ?, ?)",
            {s(case_id), h.host, h.input_id, h.state});
}

bool Registry::claim_host(std::string_view case_id, std::string_view host,
                          std::string_view claimant, UtcMicros now,
                          std::string_view expected_claim) {
  // One conditional UPDATE: whichever command's statement runs first gets the PC; the
  // other sees no row changed (both backends serialize writers of a row).
  if (expected_claim.empty()) {
    db_->exec(
        "UPDATE hosts SET state = 'running', claimed_by = ?, claimed_at = ? WHERE case_id = ? "
        "AND host = ? AND state IN ('received', 'failed')",
        {s(claimant), now, s(case_id), s(host)});
  } else {
    db_->exec(
        "UPDATE hosts SET state = 'running', claimed_by = ?, claimed_at = ? WHERE case_id = ? "
        "AND host = ? AND state = 'running' AND claimed_by = ?",
        {s(claimant), now, s(case_id), s(host), s(expected_claim)});
  }
  return db_->changes() == 1;
}

void Registry::finish_host(std::string_view case_id, std::string_view host, std::string_view state,
                           std::string_view triage_status, UtcMicros now) {
  db_->exec(
      "UPDATE hosts SET state = ?, triage_status = ?, finished_at = ?, claimed_by = NULL WHERE "
      "case_id = ? AND host = ?",
      {s(state), s(triage_status), now, s(case_id), s(host)});
}

std::vector<DeliveryRow> Registry::deliveries(std::string_view case_id) {
  std::vector<DeliveryRow> out;
  for (const SqlRow& r :
       db_->query("SELECT kind, host, version, file, sha256, delivered_at FROM deliveries WHERE "
                  "case_id = ? ORDER BY id",
                  {s(case_id)})) {
    DeliveryRow d;
    d.kind = r.text(0);
    d.host = r.text(1);
    d.version = r.integer(2).value_or(0);
    d.file = r.text(3);
    d.sha256 = r.text(4);
    d.delivered_at = r.integer(5).value_or(0);
    out.push_back(std::move(d));
  }
  return out;
}

void Registry::insert_delivery(std::string_view case_id, const DeliveryRow& d) {
  db_->exec(
      "INSERT INTO deliveries (case_id, kind, host, version, file, sha256, delivered_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {s(case_id), d.kind, d.host, d.version, d.file, d.sha256, d.delivered_at});
}

std::int64_t Registry::next_delivery_version(std::string_view case_id, std::string_view kind,
                                             std::string_view host) {
  auto rows =
      db_->query("SELECT MAX(version) FROM deliveries WHERE case_id = ? AND kind = ? AND host = ?",
                 {s(case_id), s(kind), s(host)});
  return (rows.empty() ? 0 : rows[0].integer(0).value_or(0)) + 1;
}

std::vector<DeletionRow> Registry::deletions(std::string_view case_id) {
  std::vector<DeletionRow> out;
  for (const SqlRow& r :
       db_->query("SELECT purged_at, forced, reason, files, bytes, record_sha256, record FROM "
                  "deletions WHERE case_id = ? ORDER BY id",
                  {s(case_id)})) {
    DeletionRow d;
    d.purged_at = r.integer(0).value_or(0);
    d.forced = r.integer(1).value_or(0) != 0;
    d.reason = r.text(2);
    d.files = r.integer(3).value_or(0);
    d.bytes = r.integer(4).value_or(0);
    d.record_sha256 = r.text(5);
    d.record = r.text(6);
    out.push_back(std::move(d));
  }
  return out;
}

void Registry::insert_deletion(std::string_view case_id, const DeletionRow& d) {
  db_->exec(
      "INSERT INTO deletions (case_id, purged_at, forced, reason, files, bytes, record_sha256, "
      "record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {s(case_id), d.purged_at, std::int64_t{d.forced ? 1 : 0}, d.reason, d.files, d.bytes,
       d.record_sha256, d.record});
}

void Registry::audit(std::string_view case_id, UtcMicros at, std::string_view action,
                     std::string_view details_json) {
  Actor a = current_actor();
  db_->exec("INSERT INTO audit (case_id, at, who, uid, action, details) VALUES (?, ?, ?, ?, ?, ?)",
            {s(case_id), at, a.who, a.uid, s(action), s(details_json)});
}

std::vector<AuditRow> Registry::audit_trail(std::string_view case_id) {
  std::vector<AuditRow> out;
  for (const SqlRow& r :
       db_->query("SELECT at, who, uid, action, details FROM audit WHERE case_id = ? ORDER BY id",
                  {s(case_id)})) {
    AuditRow a;
    a.at = r.integer(0).value_or(0);
    a.who = r.text(1);
    a.uid = r.integer(2).value_or(0);
    a.action = r.text(3);
    a.details = r.text(4);
    out.push_back(std::move(a));
  }
  return out;
}

void Registry::insert_facts(std::string_view batch, const std::vector<StatsFact>& facts,
                            UtcMicros now) {
  for (const StatsFact& f : facts)
    db_->exec(
        "INSERT INTO stats_facts (batch, incident_month, os, kind, value, detail, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {s(batch), f.incident_month, f.os, f.kind, f.value, f.detail, now});
}

std::vector<StatsFact> Registry::facts() {
  std::vector<StatsFact> out;
  for (const SqlRow& r : db_->query(
           "SELECT incident_month, os, kind, value, detail FROM stats_facts ORDER BY id", {}))
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4)});
  return out;
}

Actor current_actor() {
  Actor a;
  a.uid = static_cast<std::int64_t>(::getuid());
  if (const char* u = std::getenv("USER"); u && *u) {
    a.who = u;
  } else if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_name) {
    a.who = pw->pw_name;
  } else {
    a.who = "uid " + std::to_string(a.uid);
  }
  // Run through sudo, the analyst behind it is who acted.
  if (const char* s = std::getenv("SUDO_USER"); s && *s && a.who != s)
    a.who += std::string(" (sudo by ") + s + ")";
  return a;
}

}  // namespace kk::cases
