// Public interface of lib/registry: turn a hive file into parse-registry's JSONL records
// (see ../shared/CONTRACT.md, "parse-registry", and man/parse-registry.1).
//
// Used by tools/parse-registry.cpp and in-process by triage.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"

namespace kk::registry {

enum class LogMode {
  kAuto,  // replay HIVE.LOG/.LOG1/.LOG2 found next to a dirty hive (in memory only)
  kNone,  // read the primary file as it is
};

enum class HiveType {
  kUnknown,
  kSystem,
  kSoftware,
  kNtuser,
  kUsrClass,
  kAmcache,
  kSam,
  kSecurity,
  kBcd
};
// "SYSTEM", "SOFTWARE", "NTUSER", "UsrClass", "Amcache", "SAM", "SECURITY", "BCD", "unknown".
std::string_view hive_type_name(HiveType t);

struct Options {
  LogMode logs = LogMode::kAuto;
  bool raw = false;              // registry_key records for every key (with its values)
  std::string key_regex;         // with raw: only keys whose path matches (ECMAScript, icase)
  bool plugins = true;           // typed records; --raw alone turns them off in the tool
  bool recover_deleted = false;  // also read deleted keys/values from free cells
};

struct HiveSummary {
  bool readable = false;
  HiveType type = HiveType::kUnknown;
  bool dirty = false;
  bool replayed = false;      // a transaction log changed what was read
  std::uint64_t keys = 0;     // keys visited by plugins/raw
  std::uint64_t records = 0;  // JSONL lines appended
};

// Reads the hive at PATH and appends its records to OUT (one JSON object per line).
// SOURCE is the name records carry in "source" (the path relative to the bundle root when
// known, else PATH). Damage goes to DIAG; an unreadable file gives diag.unreadable and
// readable=false.
HiveSummary parse_hive(const std::string& path, const std::string& source, const Options& options,
                       std::string& out, Diagnostics& diag);

// The same for a hive already in memory (no transaction logs are looked for).
HiveSummary parse_hive_bytes(std::vector<std::uint8_t> bytes, const std::string& source,
                             const Options& options, std::string& out, Diagnostics& diag);

}  // namespace kk::registry
