// Fuzzes parse-wmi: the input is an OBJECTS.DATA (no mapping beside it, so every page is
// carved: page tables, objects spanning pages, class definitions, instances of the
// subscription classes) and, the same bytes, its INDEX.BTR (namespaces of the instances). Nothing
// crashes, hangs or over-allocates. The file is rewritten per input in tmpfs (scratch.hpp).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "scratch.hpp"
#include "wmi/wmi.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = kk_fuzz::scratch_dir() + "/OBJECTS.DATA";
  static const std::string index = kk_fuzz::scratch_dir() + "/INDEX.BTR";
  if (!kk_fuzz::write_file(path, nullptr, 0, data, size)) return 0;
  if (!kk_fuzz::write_file(index, nullptr, 0, data, size)) return 0;
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  std::string out;
  kk::wmi::parse_repository(path, "OBJECTS.DATA", {}, out, diag);
  if (!out.empty() && out.back() != '\n') std::abort();
  return 0;
}
