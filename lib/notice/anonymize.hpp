// Stable pseudonyms for the shareable notice and for JSONL samples given to research.
//
// A pseudonym is a keyed hash (HMAC-SHA256 with the analyst's key) of the category and
// the case-folded original, so the same input always gives the same pseudonym under the
// same key and nobody without the key can test a guess. Replaced: customer and person
// names, host names, user and domain names, internal IP addresses (RFC 1918, CGNAT,
// link-local, IPv6 ULA and link-local), e-mail addresses, phone numbers, the user part
// of profile paths (C:\Users\<name>\) and the domain part of SIDs. Kept: malware facts
// (hashes, public IP addresses, domains, rule hits, ATT&CK ids), so the sample stays
// useful for research.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kk::notice {

struct CaseFile;

enum class Category { kCustomer, kPerson, kHost, kUser, kDomain, kEmail, kPhone, kIp, kTerm };

class Anonymizer {
 public:
  explicit Anonymizer(std::string key);

  // Learns an identifier to replace wherever it appears as a whole word.
  void learn(Category category, std::string_view value);
  // Learns the identifiers held by a record's identifier fields (host, computer,
  // TargetUserName, SubjectDomainName, …, at any depth) and profile paths in any string.
  void learn_record(simdjson::dom::element record);
  // Learns the customer's names, contacts and device from the intake.
  void learn_case(const CaseFile& c);

  // TEXT with every identifier and pattern replaced by its pseudonym.
  std::string text(std::string_view text) const;
  // RECORD re-written as one JSON line (no newline) with every string value passed
  // through text(), except the fields that hold malware facts (hashes, rule, attack).
  std::string record(simdjson::dom::element record) const;

  // The pseudonym of VALUE in CATEGORY ("host-1a2b3c4d", "10.23.4.5", …).
  std::string pseudonym(Category category, std::string_view value) const;
  std::size_t learned() const { return terms_.size(); }

 private:
  void learn_paths(std::string_view s);
  void learn_account(std::string_view value, Category category);
  std::string replace_terms(std::string_view s) const;
  std::string replace_patterns(std::string_view s) const;
  void write_value(std::string& out, simdjson::dom::element v, bool protect) const;

  std::string key_;
  // Case-folded single-word identifiers, looked up per word.
  std::unordered_map<std::string, Category> terms_;
  // Identifiers with spaces or non-ASCII letters, searched as substrings (longest first).
  std::vector<std::pair<std::string, Category>> phrases_;
};

// A sensible word boundary for identifiers: ASCII letters, digits, '_' and '-'.
bool is_identifier_char(char c);

}  // namespace kk::notice
