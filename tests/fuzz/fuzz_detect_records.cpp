// libFuzzer: hostile JSONL records through the built-in pack, a few Sigma rules with every
// modifier kind, and the suspect pivot. Records are evidence: nothing may crash or hang.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/diagnostics.hpp"
#include "detect/detect.hpp"

namespace {

constexpr const char* kRule = R"(title: fuzz
id: fuzz-1
logsource: {product: windows, category: process_creation}
detection:
  a:
    CommandLine|base64offset|contains: 'IEX ('
  b:
    CommandLine|windash|contains: ' -enc '
  c:
    CommandLine|re: '(a+)+b'
  d:
    DestinationIp|cidr: ['10.0.0.0/8', 'fe80::/10']
  e:
    ProcessId|gt: 100
  f:
    Image|fieldref: ParentImage
  g:
    - '*mimi*k?tz*'
  condition: 1 of them
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static kk::Diagnostics diag("fuzz");
  // The rules are loaded once (loading them per input ran 8 inputs/s); restart() forgets
  // the previous input's records.
  static kk::detect::Detector& d = []() -> kk::detect::Detector& {
    kk::detect::Options o;
    o.suspects = {"evil.exe", "C:\\Users\\Public\\x.exe",
                  "da39a3ee5e6b4b0d3255bfef95601890afd80709"};
    static kk::detect::Detector detector(o, diag);
    detector.load_rules();
    detector.load_rule_text(kRule, "fuzz.yml", "sigma");
    return detector;
  }();
  d.restart();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t pos = 0;
  while (pos < in.size()) {
    std::size_t nl = in.find('\n', pos);
    if (nl == std::string_view::npos) nl = in.size();
    d.add_json(in.substr(pos, nl - pos));
    pos = nl + 1;
  }
  std::string out = d.finish();
  return out.empty() ? 0 : 0;
}
