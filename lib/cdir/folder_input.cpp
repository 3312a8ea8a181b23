// A bundle that is already a folder is read in place (never modified): every regular file
// is listed and hashed in parallel. Symbolic links are reported and never followed. With
// --copy the files are also copied under DIR while they are hashed.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cdir/file_hashing.hpp"
#include "cdir/kind.hpp"
#include "cdir/safe_tree.hpp"
#include "cdir/stage.hpp"
#include "core/progress.hpp"
#include "core/text_encoding.hpp"

namespace kk::cdir {

namespace fs = std::filesystem;

std::optional<std::uint64_t> free_bytes(const std::string& path) {
  struct statvfs v {};
  if (::statvfs(path.c_str(), &v) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(v.f_bavail) * v.f_frsize;
}

std::string human_bytes(std::uint64_t n) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[48];
  if (u == 0)
    std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(n));
  else
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

namespace {

struct Found {
  std::string input_path;                   // decoded, '/'-separated
  std::vector<std::string> raw_components;  // as on disk (for --copy)
  std::string path;                         // absolute, as on disk
  std::uint64_t size = 0;
  bool memory = false;
};

}  // namespace

bool stage_folder(const std::string& folder, const std::string& out_dir, const UnpackOptions& opts,
                  Diagnostics& diag, Staged& staged) {
  std::error_code ec;
  fs::path root = fs::absolute(fs::path(folder), ec).lexically_normal();
  std::string root_s = root.string();
  while (root_s.size() > 1 && root_s.back() == '/') root_s.pop_back();
  std::vector<Found> found;
  // Walk without following links: directory_options::none never descends into a linked
  // directory, and every entry is looked at with symlink_status.
  fs::recursive_directory_iterator it(root_s, fs::directory_options::none, ec), end;
  if (ec) {
    staged.unreadable = "cannot read folder: " + ec.message();
    diag.unreadable(folder, staged.unreadable);
    return false;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      diag.warning(folder, std::nullopt, "cannot list part of the folder: " + ec.message());
      ec.clear();
      continue;
    }
    const fs::path& p = it->path();
    auto st = it->symlink_status(ec);
    fs::path rel = p.lexically_relative(root_s);
    std::string raw_rel = rel.generic_string();
    DecodedText decoded = decode_windows_text(raw_rel);
    if (fs::is_symlink(st)) {
      diag.warning(p.string(), std::nullopt,
                   "symbolic link not followed (not part of a CDIR-C bundle)");
      continue;
    }
    if (fs::is_directory(st)) continue;
    if (!fs::is_regular_file(st)) {
      diag.warning(p.string(), std::nullopt, "not a regular file; skipped");
      continue;
    }
    Found f;
    f.input_path = decoded.text;
    for (const auto& c : rel) f.raw_components.push_back(c.string());
    f.path = p.string();
    f.size = it->file_size(ec);
    f.memory = !opts.include_memory && is_memory_image_name(f.raw_components.back());
    found.push_back(std::move(f));
  }
  // Stable order: what the analyst sees and what tests compare does not depend on readdir.
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.input_path < b.input_path; });

  SafeTree tree;
  std::vector<int> copy_fds(found.size(), -1);
  std::vector<std::string> copy_paths(found.size());
  if (opts.copy) {
    std::string base = root.filename().string();
    if (base.empty()) base = "bundle";
    if (auto r = tree.open(out_dir, opts.out_dir_fd); !r) {
      staged.unreadable = out_dir + ": " + r.error().message;
      diag.unreadable(out_dir, r.error().message);
      return false;
    }
    std::uint64_t need = 0;
    for (const auto& f : found)
      if (!f.memory) need += f.size;
    auto free = free_bytes(out_dir);
    if (free && *free < need + opts.min_free_bytes) {
      staged.stopped = "not enough free disk space in " + out_dir + ": " + human_bytes(*free) +
                       " free, " + human_bytes(need) + " needed plus a reserve of " +
                       human_bytes(opts.min_free_bytes);
      diag.report(Severity::kError, out_dir, std::nullopt, staged.stopped);
      return false;
    }
    for (std::size_t i = 0; i < found.size(); ++i) {
      if (found[i].memory) continue;
      std::vector<std::string> comps{base};
      comps.insert(comps.end(), found[i].raw_components.begin(), found[i].raw_components.end());
      auto fd = tree.create_file(comps);
      if (!fd) {
        diag.report(Severity::kError, found[i].path, std::nullopt,
                    "not copied: " + fd.error().message);
        continue;
      }
      copy_fds[i] = *fd;
      copy_paths[i] = tree.path_of(comps);
    }
  }

  std::uint64_t total = 0;
  for (const auto& f : found)
    if (!f.memory) total += f.size;
  Progress progress("hash", total, opts.progress);
  staged.files.reserve(found.size());
  hash_files(
      found.size(), std::max(1u, opts.jobs),
      [&](std::size_t i, FileToHash& file, HashOutcome& listed) {
        if (found[i].memory) return false;
        // No digest asked and nothing to copy: listed only, not read (triage lists a folder
        // to start parsing it while the hashes are computed beside).
        if (opts.hashes.bits == 0 && copy_fds[i] < 0) {
          listed.bytes = found[i].size;
          return false;
        }
        file = FileToHash{found[i].path, opts.hashes, copy_fds[i]};  // closed once read
        return true;
      },
      [&](std::size_t i, HashOutcome&& h) {
        const Found& f = found[i];
        StagedFile sf;
        sf.input_path = f.input_path;
        sf.path = opts.copy ? copy_paths[i] : f.path;
        sf.size = f.size;
        if (f.memory) {
          sf.skipped = true;
          if (opts.copy) sf.path.clear();
        } else {
          progress.advance(h.bytes);
          staged.read_cpu_seconds += h.cpu_seconds;
          if (!h.error.empty()) {
            diag.report(Severity::kError, f.path, std::nullopt, h.error);
            sf.complete = false;
          } else {
            sf.digests = std::move(h.digests);
            if (h.bytes != f.size) {
              diag.warning(f.path, std::nullopt, "file size changed while it was read");
              sf.size = h.bytes;
            }
          }
          if (opts.copy && copy_fds[i] < 0) sf.path.clear();
        }
        staged.files.push_back(std::move(sf));
      });
  progress.finish();
  return staged.stopped.empty();
}

}  // namespace kk::cdir
