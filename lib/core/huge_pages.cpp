// See huge_pages.hpp for why the tools re-run themselves once with glibc.malloc.hugetlb=1.
#include "core/huge_pages.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "core/thread_name.hpp"

namespace kk {

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

constexpr const char* kTunable = "glibc.malloc.hugetlb=1";

// The kernel's mode is "[always] madvise never", one of them bracketed.
bool kernel_has_thp() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode;
  if (!std::getline(in, mode)) return false;
  return mode.find("[never]") == std::string::npos && mode.find('[') != std::string::npos;
}

}  // namespace

bool huge_pages_supported() {
  return !kSanitized && kernel_has_thp();
}

void use_huge_pages(char** argv) {
  if (kSanitized || argv == nullptr || argv[0] == nullptr) return;
  const char* off = std::getenv("KK_HUGE_PAGES");
  if (off && std::strcmp(off, "0") == 0) return;
  const char* before = std::getenv("GLIBC_TUNABLES");
  if (before && std::strstr(before, "glibc.malloc.hugetlb")) {
    // Re-run through /proc/self/exe, the process would be called "exe" in ps, top and
    // pkill: it takes its own name back.
    const char* slash = std::strrchr(argv[0], '/');
    name_this_thread(slash ? slash + 1 : argv[0]);
    return;
  }
  const char* preload = std::getenv("LD_PRELOAD");
  if (preload && *preload) return;
  if (!kernel_has_thp()) return;
  const std::string saved = before ? before : "";
  const std::string tunables = saved.empty() ? kTunable : saved + ":" + kTunable;
  if (::setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  // Not re-run (no /proc, say): go on as before.
  if (before)
    ::setenv("GLIBC_TUNABLES", saved.c_str(), 1);
  else
    ::unsetenv("GLIBC_TUNABLES");
}

}  // namespace kk
