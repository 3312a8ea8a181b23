// Registry transaction logs (.LOG, .LOG1, .LOG2) and their replay into an in-memory copy of a
// dirty hive, so what is read matches what Windows would see. Evidence files are never
// written. See the REGF documentation, "Transaction log files" (old "DIRT" format up to
// Windows 8, new "HvLE" log-entry format from Windows 8.1 on).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/byte_reader.hpp"
#include "core/diagnostics.hpp"

namespace kk::registry {

struct LogInput {
  std::string name;  // for diagnostics
  Bytes bytes;
};

struct ReplayResult {
  bool applied = false;
  std::string format;  // "new", "old" or "" when nothing was applied
  std::vector<std::string> logs_used;
  std::uint32_t entries = 0;  // log entries (new format) applied
  std::uint32_t pages = 0;    // dirty pages written
  std::uint32_t first_sequence = 0, last_sequence = 0;
};

// Applies LOGS (the hive's logs in the order LOG, LOG1, LOG2) to HIVE, the bytes of the primary
// file, when the hive is dirty. Damage in a log stops that log and is reported; what was valid
// before it is kept. HIVE_NAME names the primary file in diagnostics.
ReplayResult replay_logs(std::vector<std::uint8_t>& hive, const std::vector<LogInput>& logs,
                         const std::string& hive_name, Diagnostics& diag);

// Transaction logs next to HIVE_PATH: HIVE.LOG, HIVE.LOG1, HIVE.LOG2 with any letter case
// (also CDIR-C's "<user>_NTUSER.dat.LOG1"). Empty files are left out.
std::vector<std::string> find_logs(const std::string& hive_path);

}  // namespace kk::registry
