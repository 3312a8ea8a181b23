// Private to lib/casedocs: what the case notice reads from one triaged PC folder.
#pragma once

#include <simdjson.h>

#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "notice/model.hpp"

namespace kk::casedocs {

// The parts of a PC's notice.json the case notice compares.
struct PcNotice {
  struct Question {
    std::string id, verdict;
    std::vector<notice::EvidenceRef> evidence;
  };
  std::string case_id, host, overall;
  std::optional<UtcMicros> window_start, window_end;
  std::vector<std::string> suspects;
  std::vector<Question> questions;
  std::vector<notice::IocModel> iocs;
  std::int64_t findings = 0;
};

// FOLDER/notice.json; false with *PROBLEM set when it is missing or not a notice.
bool read_pc_notice(const std::string& folder, PcNotice& out, std::string* problem);

notice::EvidenceRef evidence_from_json(simdjson::dom::element e);

// A logon that names the address it came from (Security 4624/4625, RDP 1149).
struct Logon {
  std::string ip, user;
  std::string workstation;  // 4624/4625 WorkstationName: the client's computer name
  std::int64_t event_id = 0, logon_type = -1;
  notice::EvidenceRef ref;
};

struct PcNetwork {
  std::vector<std::string> own_ips;  // registry network_interface, else outbound connections
  std::string origin;                // "registry" | "event logs" | "none"
  std::vector<Logon> logons;
  std::uint64_t logons_dropped = 0;
};

// The earliest record inside [START, END] among the evidence of FOLDER/findings.jsonl's
// findings of medium severity or more (streamed; a damaged line is skipped).
std::optional<notice::EvidenceRef> earliest_finding_record(const std::string& folder,
                                                           std::optional<UtcMicros> start,
                                                           std::optional<UtcMicros> end);

// FOLDER/records/network_interface.jsonl and evtx.jsonl (the same rule as triage --netlog
// uses for the PC's own addresses: triage::OwnAddresses).
// OWN_NAME: the PC's computer name (notice.json "host"), so its local logons, which name
// itself as the workstation, are not kept.
PcNetwork read_pc_network(const std::string& folder, std::string_view own_name, Diagnostics& diag);

}  // namespace kk::casedocs
