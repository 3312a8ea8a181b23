// Where a case lives: CASEDIR = ROOT/CASEID; ROOT holds the SQLite registry (cases.db).
#pragma once

#include <memory>
#include <string>

#include "cases/commands.hpp"
#include "cases/registry.hpp"
#include "core/result.hpp"

namespace kk::cases {

struct CaseFolder {
  std::string root, case_id, path;  // absolute, normalized
};
// Splits CASE_DIR into root and case id. Fails on an empty or "/" path.
Result<CaseFolder> locate_case(const std::string& case_dir);

// Opens the registry for ROOT (Context::registry or SQLite ROOT/cases.db). Only init
// (CREATE) makes a new SQLite file; the other commands refuse a root without one.
std::unique_ptr<Registry> open_registry(const Context& ctx, const std::string& root,
                                        bool create = false);

// Case dates: due = first receipt + 14 days; inquiry window end = deletion date = completion
// + one calendar month in TZ (the 31st becomes the month's last day).
UtcMicros due_at(UtcMicros received_at);
UtcMicros add_one_month(UtcMicros t, const std::string& tz);

// A one-line JSON object from key/value pairs written by the caller (audit details).
std::string json_object(std::initializer_list<std::pair<std::string_view, std::string_view>> kv);

}  // namespace kk::cases
