// SRUM (System Resource Usage Monitor, %SystemRoot%\System32\sru\SRUDB.dat): per-hour
// application resource usage, network bytes per application and user, network
// connectivity, push notifications, energy and app timeline, one JSONL record per
// table row with the application and user resolved through SruDbIdMapTable.
// The only evidence of "this program sent 300 MB out at 03:00".
// Public face of lib/srum (parse-srum and triage); fields: man/parse-srum.1.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/byte_reader.hpp"
#include "core/diagnostics.hpp"
#include "core/time.hpp"

namespace kk::srum {

struct Summary {
  std::string state;  // database state: "clean_shutdown", "dirty_shutdown", …
  std::uint64_t records = 0;
  std::uint64_t tables = 0;
  std::uint64_t unresolved_ids = 0;  // AppId/UserId values missing from SruDbIdMapTable
  std::optional<UtcMicros> newest;   // the latest row time (what a dirty database may lack after)
};

// Receives whole JSONL lines (each ending in '\n'), in table order.
using LineSink = std::function<void(std::string_view lines)>;

// Reads a SRUDB.dat image. SOURCE names it in records, FILE in diagnostics. Damage
// is reported to DIAG (file and offset) and the rest still read; a dirty-shutdown
// database is read as it is on disk (an info diagnostic says so). Returns false
// when DB is not an ESE database at all (nothing emitted; reported as unreadable).
bool parse_srum(Bytes db, std::string_view source, std::string_view file, Diagnostics& diag,
                const LineSink& sink, Summary* summary = nullptr);

// For triage: maps PATH read-only and parses it (false: unreadable, reported).
bool srum_file_to_jsonl(const std::string& path, std::string_view source, Diagnostics& diag,
                        const LineSink& sink, Summary* summary = nullptr);

// Whether a file of a bundle's SRUM/ folder is the database itself (SRUDB.dat); the
// SRU*.log / .chk / .jrs / .jfm files around it are its transaction logs.
bool is_srum_database(std::string_view path);

}  // namespace kk::srum
