// Findings for people (detect --format table|csv, Hayabusa/Chainsaw style): one row per
// finding — its first time in local time, level, rule title, host, event id, how many
// records matched, a short detail — and the summary of hits by level and by rule.
// Built from the findings JSONL (docs/records.md "Finding"), the one format detect writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace kk::detect {

// Finding severities in order: 1 info, 2 low, 3 medium, 4 high, 5 critical; 0 unknown.
// Sigma's "informational" is info.
int severity_level(std::string_view severity);

// The lines of findings JSONL whose severity is at least MIN_LEVEL (severity_level).
std::string findings_at_least(std::string_view jsonl, int min_level);

struct FindingRow {
  std::string id, rule_id, rule_name, severity, title, host, source, details;
  std::optional<UtcMicros> first, last;
  std::optional<std::int64_t> event_id;
  std::uint64_t count = 0;  // records the rule matched (the finding's hits)
};
// One row per finding line of JSONL (lines that are not a finding are skipped).
std::vector<FindingRow> finding_rows(std::string_view jsonl);

struct TableOptions {
  std::string tz = std::string(kDefaultTz);  // times in this zone
  std::size_t width = 0;                     // columns to fit in; 0 = as wide as needed
  bool color = false;                        // ANSI colours by level
};
// The table, then the summary (render_summary).
std::string render_table(const std::vector<FindingRow>& rows, const TableOptions& opt);
// CSV (core/csv.hpp cells): local time, UTC time, level, title, host, event id, count,
// details, rule id, source, finding id.
std::string render_csv(const std::vector<FindingRow>& rows, std::string_view tz);
// Findings and hits by level, then by rule (most severe first).
std::string render_summary(const std::vector<FindingRow>& rows, bool color);

}  // namespace kk::detect
