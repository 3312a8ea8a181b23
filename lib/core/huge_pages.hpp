// Transparent huge pages for the tools whose heap grows to hundreds of MiB: build-timeline's
// in-memory sort, detect's per-rule state and findings, triage running every stage.
//
// Their time goes to the memory itself: a 4 KiB page per fault and a TLB entry per 4 KiB of
// lines, keys and strings read in no order. In a virtual machine (where cases are triaged,
// and where bench/ runs) each TLB miss walks two page tables, and the first touch of a page
// costs microseconds. glibc backs its heap with 2 MiB pages when asked by the tunable
// glibc.malloc.hugetlb=1 (madvise(MADV_HUGEPAGE) on what it maps), which the kernel honours
// in its default THP mode "madvise". Measured on the bench machine: build-timeline sorting
// 3 M events in memory 4.1-4.9 → 2.8-3.2 CPU s, detect with the default Sigma set on 330 k
// records 4.0-4.1 → 2.9-3.0 CPU s, peak RSS +1 %. A tunable is read only at start-up, so
// the program runs itself again once with it set (execv of /proc/self/exe: same process,
// same arguments, descriptors and environment plus the tunable).
#pragma once

namespace kk {

// Call first in main, before any thread starts. Returns at once, changing nothing, when
// the tunable is already set (the second start, or the user's own setting), KK_HUGE_PAGES=0
// asks not to, LD_PRELOAD is set (valgrind, heaptrack or another allocator are running the
// program), the build has a sanitizer (its allocator ignores glibc's), the kernel's THP
// mode is "never", or the re-run fails; otherwise it does not return.
void use_huge_pages(char** argv);
// Whether use_huge_pages can do anything here: no sanitizer, and the kernel's THP mode is
// "madvise" or "always".
bool huge_pages_supported();

}  // namespace kk
