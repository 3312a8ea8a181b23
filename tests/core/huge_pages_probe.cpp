// test_core's probe of core/huge_pages: runs use_huge_pages, then prints the tunables it
// ends up with ("-" for none), so the test sees whether it re-ran itself.
#include <cstdio>
#include <cstdlib>

#include "core/huge_pages.hpp"

int main(int, char** argv) {
  kk::use_huge_pages(argv);
  const char* t = std::getenv("GLIBC_TUNABLES");
  std::printf("%s\n", t ? t : "-");
  return 0;
}
