// libFuzzer: hostile JSONL records through the built-in pack, a few Sigma rules with every
// modifier kind, and the suspect pivot. Records are evidence: nothing may crash or hang.
// Differential: the same records matched on two threads in small batches (detect --jobs)
// must give the same findings as one thread; a difference aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "detect/detect.hpp"
#include "detect/line_batch.hpp"

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

std::unique_ptr<kk::detect::Detector> loaded(kk::Diagnostics& diag) {
  kk::detect::Options o;
  o.suspects = {"evil.exe", "C:\\Users\\Public\\x.exe", "da39a3ee5e6b4b0d3255bfef95601890afd80709"};
  o.evidence_cap = 2;  // caps reached on small inputs: the kept evidence depends on order
  auto d = std::make_unique<kk::detect::Detector>(o, diag);
  d->load_rules();
  d->load_rule_text(kRule, "fuzz.yml", "sigma");
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static kk::Diagnostics diag("fuzz");
  // The rules are loaded once (loading them per input ran 8 inputs/s); restart() forgets
  // the previous input's records.
  static const std::unique_ptr<kk::detect::Detector> one = loaded(diag), two = loaded(diag);
  kk::detect::Detector& d = *one;
  kk::detect::Detector& threaded = *two;
  d.restart();
  threaded.restart();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<kk::detect::LineBatch> batches(1);
  std::size_t pos = 0;
  while (pos < in.size()) {
    std::size_t nl = in.find('\n', pos);
    if (nl == std::string_view::npos) nl = in.size();
    std::string_view line = in.substr(pos, nl - pos);
    if (d.add_json(line)) {
      if (batches.back().lines() == 3) batches.emplace_back();
      batches.back().add(line);
    }
    pos = nl + 1;
  }
  threaded.add_batches(batches, 2);
  if (d.finish() != threaded.finish()) std::abort();
  return 0;
}
