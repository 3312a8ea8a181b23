// unpack-cdir: take a CDIR-C bundle (folder or archive), extract it safely, print the manifest.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cdir/unpack.hpp"
#include "core/case_dir.hpp"
#include "core/cli.hpp"
#include "core/password_file.hpp"
#include "core/progress.hpp"

namespace {

// CLI11 size option: "10G", "512M", "1T", "4096".
bool parse_size(const std::string& text, std::uint64_t& out) {
  if (text.empty()) return false;
  std::size_t pos = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(text, &pos);
  } catch (...) {
    return false;
  }
  std::string unit = text.substr(pos);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.pop_back();
  int shift = 0;
  if (unit.empty())
    shift = 0;
  else if (unit == "K" || unit == "k" || unit == "Ki")
    shift = 10;
  else if (unit == "M" || unit == "m" || unit == "Mi")
    shift = 20;
  else if (unit == "G" || unit == "g" || unit == "Gi")
    shift = 30;
  else if (unit == "T" || unit == "t" || unit == "Ti")
    shift = 40;
  else
    return false;
  if (shift && v > (~0ULL >> shift)) return false;
  out = static_cast<std::uint64_t>(v) << shift;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  kk::Tool tool("unpack-cdir",
                "Unpack a CDIR-C collection bundle safely, hash and classify every file");
  std::string bundle, out_dir, password_file, max_size = "256G", min_free = "1G";
  double max_ratio = 1000;
  bool include_memory = false, copy = false, sha256_only = false;
  auto& app = tool.app();
  app.add_option("BUNDLE", bundle,
                 "CDIR-C output folder, or a zip/7z/tar(.gz/.xz/.zst) holding bundles")
      ->required();
  // docs/interface.md: "-o DIR" is where the tree goes; the manifest goes to stdout or --manifest.
  tool.without_output();
  std::string manifest = "-";
  app.add_option("-o,--output", out_dir,
                 "Directory to extract into (required for archives and --copy)");
  app.add_option("--manifest", manifest,
                 "Write the manifest JSONL to PATH instead of standard output");
  app.add_option("--password-file", password_file, "File whose first line is the archive password");
  app.add_flag("--include-memory", include_memory,
               "Also extract and hash memory images (RAM_*, pagefile.sys)");
  app.add_flag("--copy", copy, "Folder input: copy into -o DIR instead of reading in place");
  app.add_option("--max-size", max_size,
                 "Stop when more than SIZE would be extracted (K/M/G/T suffixes)");
  app.add_option("--max-ratio", max_ratio,
                 "Stop when data expands more than R times its compressed size");
  app.add_option("--min-free", min_free, "Free space to leave on the filesystem of -o DIR");
  app.add_flag("--sha256-only", sha256_only, "Compute SHA-256 only (skip MD5/SHA-1 verification)");
  return tool.run(argc, argv, [&](kk::Tool& t) {
    kk::cdir::UnpackOptions opts;
    opts.include_memory = include_memory;
    opts.copy = copy;
    opts.jobs = t.jobs();
    opts.tz = t.options().tz;
    opts.progress = t.show_progress() && kk::Progress::stderr_is_terminal();
    opts.max_ratio = max_ratio;
    if (sha256_only) opts.hashes = kk::HashSet::sha256_only();
    if (!parse_size(max_size, opts.max_total_bytes) || !parse_size(min_free, opts.min_free_bytes) ||
        max_ratio < 1) {
      t.error("bad --max-size, --min-free or --max-ratio value");
      return 2;
    }
    if (!password_file.empty()) {
      auto pw = kk::read_password_file(password_file);
      if (!pw) {
        t.error(pw.error().message);
        return 2;
      }
      opts.password = *pw;
    }
    kk::cdir::UnpackResult result;
    const bool needs_dir = copy || !std::filesystem::is_directory(bundle);
    if (needs_dir && out_dir.empty()) {
      t.error("an archive (or --copy) needs -o DIR to extract into");
      return 2;
    }
    // -o DIR: not a link, this user's, not inside the input; a refused DIR gets nothing.
    kk::CaseDir dir;
    if (!out_dir.empty() && needs_dir) {
      auto d = kk::CaseDir::open(out_dir, {true, {bundle}});
      if (!d) {
        t.error(d.error().message);
        return 1;
      }
      dir = std::move(*d);
      opts.out_dir_fd = dir.fd();
    }
    kk::Output out;
    std::string err;
    if (!out.open(manifest, &err)) {
      t.error("cannot write " + manifest + ": " + err);
      return 1;
    }
    bool ok = kk::cdir::unpack(bundle, out_dir, opts, t.diag(), result);
    // No bundle read (wrong password, not an archive, not a bundle): the manifest of an
    // earlier run stays as it was instead of being replaced by an empty one.
    if (result.bundles.empty()) {
      out.abandon();
      return 1;
    }
    std::string jsonl;
    kk::cdir::append_jsonl(jsonl, result);
    out.write(jsonl);
    if (!out.close()) {
      t.error("cannot write the manifest");
      return 1;
    }
    return ok ? 0 : 1;
  });
}
