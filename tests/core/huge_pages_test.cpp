// core/huge_pages: the tools re-run themselves once with glibc.malloc.hugetlb=1, keep the
// user's own tunables, and leave alone what asks them to (KK_HUGE_PAGES=0, LD_PRELOAD, a
// tunable already set).
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "core/huge_pages.hpp"

namespace {

// The probe's output with environment ENV ("A=1 B=2", through env(1), others cleared).
std::string probe(const std::string& env) {
  const std::string cmd =
      "env -u GLIBC_TUNABLES -u LD_PRELOAD -u KK_HUGE_PAGES " + env + " " + KK_HUGE_PAGES_PROBE;
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("huge pages: one re-run with the tunable, the user's tunables kept, opt-outs honoured") {
  if (!kk::huge_pages_supported()) {
    // A sanitizer build or a kernel with THP off: nothing changes.
    CHECK(probe("") == "-");
    return;
  }
  CHECK(probe("") == "glibc.malloc.hugetlb=1");
  CHECK(probe("GLIBC_TUNABLES=glibc.malloc.check=0") ==
        "glibc.malloc.check=0:glibc.malloc.hugetlb=1");
  CHECK(probe("GLIBC_TUNABLES=glibc.malloc.hugetlb=0") == "glibc.malloc.hugetlb=0");
  CHECK(probe("KK_HUGE_PAGES=0") == "-");
  CHECK(probe("LD_PRELOAD=libm.so.6") == "-");
}
