// Fuzzes parse-wmi: the input is an OBJECTS.DATA (no mapping beside it, so every page is
// carved: page tables, objects spanning pages, class definitions, instances of the
// subscription classes). Nothing crashes, hangs or over-allocates.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "wmi/wmi.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/fuzz-wmi-XXXXXX";
    const char* d = mkdtemp(tmpl);
    return std::string(d ? d : "/tmp");
  }();
  const std::string path = dir + "/OBJECTS.DATA";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  std::string out;
  kk::wmi::parse_repository(path, "OBJECTS.DATA", {}, out, diag);
  if (!out.empty() && out.back() != '\n') std::abort();
  return 0;
}
