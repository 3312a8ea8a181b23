// The case registry: cases, the inputs received for them and the PCs they hold, what was
// delivered, deletions, the append-only audit trail, and the anonymized statistics kept
// after purges — over either backend (sql.hpp). Callers hold one Transaction per command
// around these calls; nothing here commits on its own.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/sql.hpp"
#include "core/time.hpp"

namespace kk::cases {

// intake -> received -> analysing -> delivered -> completed -> purged (CONTRACT.md, "cases").
enum class CaseState { kIntake, kReceived, kAnalysing, kDelivered, kCompleted, kPurged };
std::string_view state_name(CaseState s);
std::optional<CaseState> parse_state(std::string_view s);

struct CaseRow {
  std::string case_id, folder, customer, analyst;
  CaseState state = CaseState::kIntake;
  UtcMicros created_at = 0;
  std::optional<UtcMicros> received_at, delivered_at, completed_at, inquiry_until, delete_after,
      purged_at, meeting_at;
  std::string case_json;  // the intake as given (CASE.json's text)
};

struct InputRow {
  std::int64_t id = 0;
  std::string file;       // the name it was received under
  std::string stored_as;  // relative to the case folder ("received/PC01_….zip")
  std::string sha256;
  std::int64_t size = 0;
  UtcMicros received_at = 0;
  std::string host;   // the PC (bundles); "" for network logs
  std::string kind;   // "bundle" or "netlog"
  std::string state;  // "received", "purged"
};

// A PC of the case: "received" (to triage), "running" (claimed), "triaged", "failed".
struct HostRow {
  std::string host;
  std::int64_t input_id = 0;
  std::string state;
  std::string claimed_by;
  std::optional<UtcMicros> claimed_at, finished_at;
  std::string triage_status;  // run.json's status
};

struct DeliveryRow {
  std::string kind;  // "notice" (a PC's), "case_notice", "completion_notice", "deletion_report"
  std::string host;  // "" for case-level documents
  std::int64_t version = 0;
  std::string file;  // relative to the case folder
  std::string sha256;
  UtcMicros delivered_at = 0;
};

struct DeletionRow {
  UtcMicros purged_at = 0;
  bool forced = false;
  std::string reason;
  std::int64_t files = 0, bytes = 0;
  std::string record_sha256, record;  // deletion-record.json and its text
};

struct AuditRow {
  UtcMicros at = 0;
  std::string who;
  std::int64_t uid = 0;
  std::string action, details;
};

// One anonymized malware fact (stats.hpp says what is kept).
struct StatsFact {
  std::string incident_month, os, kind, value, detail;
};

class Registry {
 public:
  // The registry of case root ROOT: URL empty -> SQLite ROOT/cases.db; else a PostgreSQL
  // URL ("postgresql://…" or a libpq connection string). Migrates it (schema.hpp).
  static std::unique_ptr<Registry> open(const std::string& root, const std::string& url);
  explicit Registry(std::unique_ptr<SqlConnection> db) : db_(std::move(db)) {}

  SqlConnection& db() { return *db_; }
  std::string describe() const { return db_->describe(); }

  std::optional<CaseRow> find_case(std::string_view case_id);
  std::vector<CaseRow> all_cases();
  void insert_case(const CaseRow& c);
  // Writes the state and every date column of C.
  void update_case(const CaseRow& c);
  // Holds the case's row until the transaction ends (PostgreSQL: SELECT … FOR UPDATE;
  // SQLite's BEGIN IMMEDIATE holds the whole file already).
  void lock_case(std::string_view case_id);

  std::vector<InputRow> inputs(std::string_view case_id);
  std::optional<InputRow> input_by_hash(std::string_view case_id, std::string_view sha256);
  std::int64_t insert_input(std::string_view case_id, const InputRow& in);
  void set_inputs_state(std::string_view case_id, std::string_view state);

  std::vector<HostRow> hosts(std::string_view case_id);
  void insert_host(std::string_view case_id, const HostRow& h);
  // Claims HOST for triage if it is "received"/"failed", or "running" by EXPECTED_CLAIM (a
  // stale claim the caller found dead). True when this caller got it.
  bool claim_host(std::string_view case_id, std::string_view host, std::string_view claimant,
                  UtcMicros now, std::string_view expected_claim = {});
  void finish_host(std::string_view case_id, std::string_view host, std::string_view state,
                   std::string_view triage_status, UtcMicros now);

  std::vector<DeliveryRow> deliveries(std::string_view case_id);
  void insert_delivery(std::string_view case_id, const DeliveryRow& d);
  // The next version number for KIND/HOST (1 for the first).
  std::int64_t next_delivery_version(std::string_view case_id, std::string_view kind,
                                     std::string_view host);

  std::vector<DeletionRow> deletions(std::string_view case_id);
  void insert_deletion(std::string_view case_id, const DeletionRow& d);

  // Appends an audit row: who ($USER, else the uid's name), the uid, ACTION, DETAILS (JSON).
  void audit(std::string_view case_id, UtcMicros at, std::string_view action,
             std::string_view details_json);
  std::vector<AuditRow> audit_trail(std::string_view case_id);

  void insert_facts(std::string_view batch, const std::vector<StatsFact>& facts, UtcMicros now);
  std::vector<StatsFact> facts();

 private:
  std::unique_ptr<SqlConnection> db_;
};

// Who runs this command, for the audit trail: $USER (or the uid's login name; "root (sudo by
// alice)" under sudo) and the uid.
struct Actor {
  std::string who;
  std::int64_t uid = 0;
};
Actor current_actor();

}  // namespace kk::cases
