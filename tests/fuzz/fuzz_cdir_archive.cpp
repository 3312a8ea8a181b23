// Whole-archive extraction on arbitrary bytes, with small caps: must end cleanly, and never
// write outside its scratch directory (in tmpfs: scratch.hpp).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>

#include "cdir/unpack.hpp"
#include "scratch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fs = std::filesystem;
  static const fs::path base = kk_fuzz::scratch_dir();
  const fs::path in = base / "input.bin", out = base / "out";
  if (!kk_fuzz::write_file(in, nullptr, 0, data, size)) return 0;
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  kk::cdir::UnpackOptions opts;
  opts.max_total_bytes = 8 << 20;
  opts.entry_ratio_floor = 1 << 20;
  opts.total_ratio_floor = 1 << 20;
  opts.min_free_bytes = 0;
  opts.password = "fuzz";
  kk::cdir::UnpackResult result;
  kk::cdir::unpack(in.string(), out.string(), opts, diag, result);
  std::string jsonl;
  kk::cdir::append_jsonl(jsonl, result);
  // Nothing may appear next to the input or the output directory.
  for (const auto& e : fs::directory_iterator(base))
    if (e.path() != in && e.path() != out) std::abort();
  fs::remove_all(out);
  return 0;
}
