// libFuzzer: hostile Sigma rule YAML. A rule either loads or is skipped with a reason; a
// loaded rule then runs over a fixed record.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/diagnostics.hpp"
#include "detect/detect.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static kk::Diagnostics diag("fuzz");
  kk::detect::Options o;
  o.builtin = false;
  kk::detect::Detector d(o, diag);
  d.load_rule_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yml", "sigma");
  d.add_json(R"({"artifact":"evtx","source":"s","record_id":1,"time":"2024-01-01T00:00:00Z","event_id":1,"channel":"Microsoft-Windows-Sysmon/Operational","data":{"Image":"C:\\a.exe","CommandLine":"a -enc SQBFAFgAIAAoAA==","ParentImage":"C:\\a.exe","DestinationIp":"10.1.2.3","ProcessId":4321}})");
  d.add_json(R"({"artifact":"evtx","source":"s","record_id":2,"time":"2024-01-01T00:00:00Z","event_id":4625,"channel":"Security","data":{"IpAddress":"203.0.113.5","TargetUserName":"bob"}})");
  (void)d.finish();
  return 0;
}
