// The anonymized malware facts a case leaves behind when it is purged (the statistics the
// service may publish): malware hashes and file names, threat names, detection rule ids,
// ATT&CK techniques, public IOCs (external domains, IP addresses, URLs), the OS, and the
// month of the incident. Never the customer, the PCs, users, internal addresses or paths:
// every candidate goes through the `anonymize` rules (lib/notice/anonymize) and is kept
// only if they leave it unchanged and it contains none of the case's identifying strings.
#pragma once

#include <string>
#include <vector>

#include "cases/registry.hpp"
#include "core/case_dir.hpp"

namespace kk::cases {

struct ExtractedFacts {
  std::vector<StatsFact> facts;
  std::size_t dropped = 0;  // candidates refused as identifying
};

// Reads CASE_DIR/<HOST>/notice.json and findings.jsonl for every host, and the intake.
ExtractedFacts extract_facts(const CaseDir& case_dir, const CaseRow& c,
                             const std::vector<HostRow>& hosts);

// The strings of a case that identify the customer (company, people, contacts, e-mail
// domains, PC names, accounts seen): what must never reach the statistics store.
std::vector<std::string> identifying_strings(const CaseDir& case_dir, const CaseRow& c,
                                             const std::vector<HostRow>& hosts);

// The store as CSV (with a header) or JSON Lines.
std::string render_facts(const std::vector<StatsFact>& facts, const std::string& format);

}  // namespace kk::cases
