// The case's documents (lib/casedocs) filled from the registry: the case notice across PCs
// (cases run), the 業務完了通知書 (cases complete) and the 削除報告 (cases purge --execute).
// Each returns the names it wrote into the case folder, for the deliveries table.
#pragma once

#include <string>
#include <vector>

#include "cases/commands.hpp"
#include "cases/registry.hpp"
#include "core/case_dir.hpp"
#include "core/result.hpp"

namespace kk::cases {

struct DeletedEntry {
  std::string path;  // relative to the case folder
  std::uint64_t size = 0;
  std::string sha256;
};

struct PurgeSummary {
  UtcMicros purged_at = 0;
  std::vector<DeletedEntry> files;
  std::uint64_t bytes = 0;
  bool verified_empty = false, forced = false;
  std::string reason, record_sha256;
  std::uint64_t kept_records = 0;
};

// The fact kinds the statistics store keeps (stats.hpp), as the documents list them.
const std::vector<std::string>& kept_fact_kinds();

Result<std::vector<std::string>> write_case_notice(const CaseDir& dir, const CaseRow& c,
                                                   const std::vector<HostRow>& hosts,
                                                   const Context& ctx);
Result<std::vector<std::string>> write_completion_notice(const CaseDir& dir, Registry& registry,
                                                         const CaseRow& c, const Context& ctx);
Result<std::vector<std::string>> write_deletion_report(const CaseDir& dir, Registry& registry,
                                                       const CaseRow& c, const PurgeSummary& p,
                                                       const Context& ctx);

// Records the HTML documents among FILES (names in DIR) as one delivered version of KIND,
// with their SHA-256: what the customer receives and the 業務完了通知書 lists.
void record_documents(Registry& registry, const CaseDir& dir, const std::string& case_id,
                      const std::string& kind, const std::vector<std::string>& files,
                      UtcMicros now);

}  // namespace kk::cases
