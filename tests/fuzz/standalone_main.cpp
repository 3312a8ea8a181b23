// A main() for the fuzz harnesses without libFuzzer (as LLVM's StandaloneFuzzTargetMain):
// runs LLVMFuzzerTestOneInput once on each file named, and on every file of each folder
// named (sorted), like libFuzzer's -runs=0 over a seed corpus. The gcc ASan+UBSan build
// (preset sanitize, KK_FUZZ_STANDALONE) links it, so CI runs every harness over its seeds
// in the sanitizer build it already has instead of building everything again with clang;
// real fuzzing keeps clang + libFuzzer (preset fuzz, scripts/fuzz.sh SECONDS).
//   fuzz_NAME [-max_len=N] [-timeout=S] FILE_OR_FOLDER...
// -max_len: inputs are cut to N bytes, as libFuzzer cuts seeds; -timeout: an input running
// longer than S seconds is named and the run fails. libFuzzer's other flags are ignored,
// so the same command line works for both.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

// Sanitizer limits as libFuzzer's -rss_limit_mb=2048 / -malloc_limit_mb set them (an
// ASAN_OPTIONS of the environment still wins).
extern "C" const char* __asan_default_options() {
  return "hard_rss_limit_mb=2048:max_allocation_size_mb=2048:allocator_may_return_null=0";
}

namespace {

char g_current[4096] = "(none)";  // the input running, for the alarm handler

void on_alarm(int) {
  // Only async-signal-safe calls here: the alarm may fire inside the allocator.
  const char a[] = "standalone: timeout on input ";
  (void)!write(2, a, sizeof a - 1);
  (void)!write(2, g_current, strlen(g_current));
  (void)!write(2, "\n", 1);
  _exit(70);
}

bool read_file(const std::filesystem::path& p, std::size_t max_len, std::vector<char>& out) {
  std::ifstream f(p, std::ios::binary);
  if (!f) return false;
  out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  if (out.size() > max_len) out.resize(max_len);
  return !f.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  std::size_t max_len = SIZE_MAX;
  unsigned timeout = 0;
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("-max_len=", 0) == 0) {
      max_len = std::strtoull(a.c_str() + 9, nullptr, 10);
    } else if (a.rfind("-timeout=", 0) == 0) {
      timeout = static_cast<unsigned>(std::strtoul(a.c_str() + 9, nullptr, 10));
    } else if (a.rfind("-", 0) == 0) {
      continue;  // a libFuzzer flag
    } else if (std::filesystem::is_directory(a)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::recursive_directory_iterator(a))
        if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());
      inputs.insert(inputs.end(), files.begin(), files.end());
    } else {
      inputs.emplace_back(a);
    }
  }
  if (timeout) signal(SIGALRM, on_alarm);
  std::vector<char> bytes;
  for (const auto& p : inputs) {
    if (!read_file(p, max_len, bytes)) {
      std::fprintf(stderr, "standalone: cannot read %s\n", p.c_str());
      return 1;
    }
    std::snprintf(g_current, sizeof g_current, "%s", p.c_str());
    // A buffer of exactly the input's size, so that ASan sees a read past its end.
    std::unique_ptr<std::uint8_t[]> data(new std::uint8_t[bytes.size()]);
    std::copy(bytes.begin(), bytes.end(), data.get());
    if (timeout) alarm(timeout);
    LLVMFuzzerTestOneInput(data.get(), bytes.size());
    if (timeout) alarm(0);
  }
  std::printf("standalone: %zu inputs run\n", inputs.size());
  return 0;
}
