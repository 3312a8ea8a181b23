// Fuzzes parse-browser on in-memory databases: SQLite's own parser under our defensive
// settings and step budget, then the Chrome/Firefox readers on whatever rows come out
// (seeds: tests/data/browser). Every input is read or refused with a reason; the output
// is valid JSONL.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "browser/browser.hpp"
#include "browser/wal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  std::string out;
  kk::browser::parse_image(std::vector<std::uint8_t>(data, data + size),
                           "Web/Chrome/u_Default_History", {}, out, diag);
  if (!out.empty() && out.back() != '\n') std::abort();
  // The same bytes as a WAL over a small database image.
  std::vector<std::uint8_t> db(4096, 0);
  const char magic[] = "SQLite format 3";
  std::copy(magic, magic + 16, db.begin());
  db[16] = 0x10;  // page size 4096
  auto r = kk::browser::apply_wal(db, {data, size});
  if (!r.applied && r.problem.empty()) std::abort();
  return 0;
}
