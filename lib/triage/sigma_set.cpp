#include "triage/sigma_set.hpp"

#include <cstdlib>
#include <filesystem>

namespace kk::triage {

std::string default_sigma_dir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto usable = [&](const fs::path& p) { return !p.empty() && fs::is_directory(p, ec); };
  if (const char* env = std::getenv("KK_SIGMA_DIR"); env && *env)
    return usable(env) ? std::string(env) : std::string();
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share/kakekomi/sigma/rules";
    if (usable(installed)) return installed.string();
  }
#ifdef KK_SIGMA_SOURCE_DIR
  if (usable(KK_SIGMA_SOURCE_DIR)) return KK_SIGMA_SOURCE_DIR;
#endif
  return {};
}

}  // namespace kk::triage
