// Helpers for detect tests: run rules over JSONL records and read the findings back.
#pragma once

#include <simdjson.h>

#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "detect/detect.hpp"
#include "detect/event.hpp"

namespace kk_detect_test {

// Loads one rule (YAML text) into a detector without the built-in pack.
inline kk::detect::RuleStatus load_one(kk::detect::Detector& d, const std::string& yaml,
                                       const std::string& source = "sigma") {
  return d.load_rule_text(yaml, "test.yml", source);
}

// Parses the findings JSONL into DOM documents (kept alive by the returned parsers).
struct Findings {
  std::vector<std::string> lines;
  std::vector<std::string> rule_ids;
  std::vector<std::uint64_t> counts;
  explicit Findings(const std::string& jsonl) {
    simdjson::dom::parser p;
    std::size_t pos = 0;
    while (pos < jsonl.size()) {
      std::size_t nl = jsonl.find('\n', pos);
      std::string line = jsonl.substr(pos, nl - pos);
      pos = nl == std::string::npos ? jsonl.size() : nl + 1;
      simdjson::dom::element e;
      if (p.parse(line).get(e)) continue;
      std::string_view id;
      std::uint64_t count = 0;
      if (e["rule"]["id"].get(id) != simdjson::SUCCESS ||
          e["count"].get(count) != simdjson::SUCCESS)
        continue;
      lines.push_back(line);
      rule_ids.emplace_back(id);
      counts.push_back(count);
    }
  }
  std::uint64_t count_of(const std::string& id) const {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < rule_ids.size(); ++i)
      if (rule_ids[i] == id) n += counts[i];
    return n;
  }
};

// Sigma rule text for a Sysmon process_creation rule with DETECTION (indented by 2).
inline std::string proc_rule(const std::string& detection, const std::string& id = "test-rule") {
  return "title: t\nid: " + id +
         "\nlogsource: {product: windows, category: process_creation}\ndetection:\n" + detection;
}

// A Sysmon 1 record (parse-evtx shape) with the given EventData fields (JSON members).
inline std::string sysmon1(const std::string& data_members, int record_id = 1) {
  return R"({"artifact":"evtx","source":"t.evtx","record_id":)" + std::to_string(record_id) +
         R"(,"time":"2024-05-01T00:00:00.000000Z","event_id":1,"provider":"Microsoft-Windows-Sysmon","channel":"Microsoft-Windows-Sysmon/Operational","data":{)" +
         data_members + "}}";
}

}  // namespace kk_detect_test
