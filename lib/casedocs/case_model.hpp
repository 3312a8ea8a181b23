// Private to lib/casedocs: the case across its PCs as facts — what case-notice.json holds
// and the HTML/Markdown case notice is laid out from. Every fact carries the record it
// comes from (PC, source file, record id or offset), as the per-PC notice's do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casedocs/casedocs.hpp"
#include "notice/document.hpp"
#include "notice/model.hpp"

namespace kk::casedocs {

// A record on one PC.
struct CitedRef {
  std::string host;
  notice::EvidenceRef ref;
};

struct PcSummary {
  std::string host;    // the case's name for the PC
  std::string folder;  // its folder's name in CASEDIR (links: folder + "/notice.html")
  std::string state;   // the registry's state, as given
  bool readable = false;
  std::string problem;      // why not readable
  std::string bundle_host;  // notice.json "host" (the computer name in the bundle)
  std::string overall;      // notice.json "overall"
  std::optional<UtcMicros> window_start, window_end;
  std::vector<std::pair<std::string, std::string>> verdicts;  // question id, verdict
  std::int64_t findings = 0, iocs = 0;
  std::vector<std::string> suspects;
  std::vector<std::string> own_ips;
  std::string own_ip_origin;            // "registry" | "event logs" | "none"
  std::optional<CitedRef> first_touch;  // its first in-window suspicious record
};

// A file or indicator seen on two PCs or more, with one record per PC.
struct SharedIndicator {
  std::string type, value;
  std::vector<CitedRef> seen;  // one per PC, in the PCs' order
};

// A suspect file of the case and the PCs whose records show it (by path, name or hash).
struct SuspectPresence {
  std::string value;
  std::vector<CitedRef> seen;
};

// A logon on TO_HOST from an address that is FROM_HOST's own, or (no address of the case's
// PCs) from a workstation that bears FROM_HOST's computer name.
struct CrossLogon {
  std::string from_host, to_host, ip, user, workstation;
  std::string matched_by;  // "address" | "workstation_name"
  std::int64_t event_id = 0, logon_type = -1;
  CitedRef where;  // on TO_HOST
};

struct CaseModel {
  std::string case_id, customer, analyst, classification;
  notice::Lang lang = notice::Lang::kJa;
  UtcMicros issued_at = 0;
  std::vector<PcSummary> pcs;
  std::vector<std::size_t> touch_order;  // indices of pcs with a first_touch, by its time
  std::vector<SuspectPresence> suspects;
  std::vector<SharedIndicator> shared_files;  // sha256, sha1, md5, file_name, file_path
  std::vector<SharedIndicator> shared_iocs;   // the other IOC types
  std::vector<CrossLogon> logons;             // capped (kMaxLogons), by time
  std::size_t logons_total = 0;
  std::uint64_t timeline_events = 0;
};

inline constexpr std::size_t kMaxLogons = 200;

// Reads the PC folders (notice.json, run.json, records/) and compares them.
CaseModel build_case_model(const CaseNoticeRequest& rq, Diagnostics& diag);

std::string case_notice_json(const CaseModel& m);
notice::Document case_notice_document(const CaseModel& m, const DocOptions& opt);

}  // namespace kk::casedocs
