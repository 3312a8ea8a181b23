// libFuzzer target: any bytes as a network log file (plain, gzip, UTF-16, DetectionHistory).
// Both paths per input (the generic one, then the Defender one: an MPLog name, forced
// key=value, a given year): one path per input chosen by the size ran 2.3x as many inputs
// per CPU second but lost 57 of 3,631 edges on the 20-minute corpus (issue-23 notes, session 7).
// Seeds: ../shared/corpus/netlog and ../shared/corpus/defender files.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "netlog/netlog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::size_t total = 0;
  kk::netlog::Options opts;
  kk::netlog::parse_bytes(bytes, "fuzz.log", opts, [&](kk::OutBuffer& s) { total += s.size(); });
  opts.format = "kv";
  opts.year = 2024;
  kk::netlog::parse_bytes(bytes, "MPLog-fuzz.log", opts,
                          [&](kk::OutBuffer& s) { total += s.size(); });
  return total > 0 ? 0 : 0;
}
