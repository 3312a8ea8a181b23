// Extraction of an untrusted archive with libarchive: zip (ZipCrypto/AES with a
// passphrase), 7z, tar and compressed tar. Safety rules (see safe_tree.hpp and the man page):
// nothing outside DIR, no links, no overwrite, caps on size and compression ratio.
#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "cdir/file_sink.hpp"
#include "cdir/kind.hpp"
#include "cdir/safe_tree.hpp"
#include "cdir/stage.hpp"
#include "core/ascii_case.hpp"
#include "core/progress.hpp"
#include "core/text_encoding.hpp"

namespace kk::cdir {

namespace {

// libarchive converts entry names to the thread's locale charset. Use C.UTF-8 on this
// thread only: UTF-8-flagged zip names and 7z's UTF-16 names come out as UTF-8, while names
// without the flag come out as their raw bytes, which decode_windows_text reads as CP932.
class Utf8LocaleScope {
 public:
  Utf8LocaleScope() {
    loc_ = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (loc_ != static_cast<locale_t>(nullptr)) old_ = uselocale(loc_);
  }
  ~Utf8LocaleScope() {
    if (loc_ != static_cast<locale_t>(nullptr)) {
      uselocale(old_);
      freelocale(loc_);
    }
  }

 private:
  locale_t loc_ = static_cast<locale_t>(nullptr), old_ = static_cast<locale_t>(nullptr);
};

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

// libarchive's strings (error, format name, link targets) are NULL when it has none: a
// damaged gzip fails to open without a message. Every one goes through here.
std::string text_of(const char* s, const char* fallback) {
  return s != nullptr ? s : fallback;
}
std::string error_of(archive* a) {
  return text_of(archive_error_string(a), "libarchive gave no reason (damaged or truncated?)");
}

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : "/") + p;
  return s;
}

bool looks_like_password_error(const char* msg) {
  if (msg == nullptr) return false;
  std::string m = ascii_lower(msg);
  return m.find("passphrase") != std::string::npos || m.find("password") != std::string::npos ||
         m.find("decrypt") != std::string::npos || m.find("encrypt") != std::string::npos;
}

class Extractor {
 public:
  Extractor(const std::string& archive_path, const UnpackOptions& opts, Diagnostics& diag,
            Staged& staged)
      : archive_path_(archive_path),
        opts_(opts),
        diag_(diag),
        staged_(staged),
        sinks_(opts.jobs > 1, opts.hashes) {}

  bool run(const std::string& out_dir);

 private:
  void stop(const std::string& why) {
    if (staged_.stopped.empty()) {
      staged_.stopped = why;
      diag_.report(Severity::kError, archive_path_, std::nullopt, why);
    }
  }
  // The archive ends early: reading stops, but what was extracted stays and is used.
  void truncated(const std::string& why) {
    if (staged_.truncated.empty()) {
      staged_.truncated = why;
      diag_.report(Severity::kError, archive_path_, std::nullopt, why);
    }
  }
  void refuse(const std::string& entry, const std::string& why) {
    diag_.report(Severity::kError, archive_path_, std::nullopt,
                 "entry \"" + entry + "\" refused: " + why + "; nothing written for it");
  }
  bool extract_file(archive_entry* e, const std::vector<std::string>& comps,
                    const std::string& name);
  bool check_space(std::uint64_t upcoming);

  std::string archive_path_;
  bool decrypted_ = false;  // an encrypted entry was extracted whole: the password is right
  const UnpackOptions& opts_;
  Diagnostics& diag_;
  Staged& staged_;
  FileSinks sinks_;
  SafeTree tree_;
  archive* a_ = nullptr;
  std::uint64_t archive_size_ = 0;
  std::uint64_t total_written_ = 0;
  std::uint64_t next_space_check_ = 0;
  std::vector<std::size_t> sink_ids_;  // parallel to staged_.files (SIZE_MAX: none)
};

bool Extractor::check_space(std::uint64_t upcoming) {
  auto free = free_bytes(tree_.root());
  if (!free) return true;
  if (*free < upcoming + opts_.min_free_bytes) {
    stop("not enough free disk space in " + tree_.root() + ": " + human_bytes(*free) + " free, " +
         human_bytes(upcoming) + " more needed plus a reserve of " +
         human_bytes(opts_.min_free_bytes) + " (--min-free)");
    return false;
  }
  return true;
}

bool Extractor::extract_file(archive_entry* e, const std::vector<std::string>& comps,
                             const std::string& name) {
  const bool size_known = archive_entry_size_is_set(e) != 0;
  const std::uint64_t declared =
      size_known ? static_cast<std::uint64_t>(std::max<la_int64_t>(0, archive_entry_size(e))) : 0;
  if (size_known) {
    // A declared size is the archive's claim, not data. One far beyond what the whole
    // archive could hold even at the --max-ratio cap (16 times it: no real collection comes
    // near; a 25-byte entry claiming 2^62 bytes, placed first to stop everything, issue #22)
    // is a lie: that entry is skipped, the rest is read. Nearer the cap, the caps below and
    // the ratio checks while extracting decide, as for any entry.
    const double most =
        16 * opts_.max_ratio * static_cast<double>(std::max<std::uint64_t>(archive_size_, 1));
    if (static_cast<double>(declared) > most) {
      refuse(name, "it declares " + human_bytes(declared) + ", more than the whole " +
                       human_bytes(archive_size_) + " archive can hold (a forged size)");
      archive_read_data_skip(a_);
      return true;
    }
    if (total_written_ + declared > opts_.max_total_bytes) {
      stop("extraction would exceed the size cap of " + human_bytes(opts_.max_total_bytes) +
           " at \"" + name + "\" (declared " + human_bytes(declared) +
           "); raise it with --max-size");
      return false;
    }
    if (!check_space(declared)) return false;
  }
  const int format = archive_format(a_) & ARCHIVE_FORMAT_BASE_MASK;
  if (archive_entry_is_encrypted(e) &&
      (format == ARCHIVE_FORMAT_7ZIP || format == ARCHIVE_FORMAT_RAR ||
       format == ARCHIVE_FORMAT_RAR_V5)) {
    // libarchive decrypts zip (ZipCrypto, WinZip AES) but not 7z AES or RAR.
    stop("\"" + name + "\" is encrypted in a way libarchive cannot decrypt (" +
         text_of(archive_format_name(a_), "unknown format") +
         "); extract it with 7z and give unpack-cdir the folder");
    return false;
  }
  if (archive_entry_is_encrypted(e) && !opts_.password) {
    stop("archive is encrypted (entry \"" + name + "\"): give the password with --password-file");
    return false;
  }
  auto fd = tree_.create_file(comps);
  // A rerun into the same evidence folder: a file already there is compared with the entry
  // (hashed, not written) and reused when identical; anything else is refused, never touched.
  int existing = -1;
  if (!fd) {
    auto old = fd.error().message == SafeTree::kAlreadyExists ? tree_.open_existing(comps) : fd;
    if (!old) {
      refuse(name, fd.error().message);
      return true;
    }
    existing = *old;
  }
  StagedFile sf;
  sf.input_path = name;
  sf.path = tree_.path_of(comps);
  sf.encrypted = archive_entry_is_encrypted(e) != 0;
  const std::size_t id = sinks_.begin(existing >= 0 ? -1 : *fd);
  const std::uint64_t consumed_at_start = static_cast<std::uint64_t>(archive_filter_bytes(a_, -1));
  std::uint64_t written = 0;
  bool ok = true, fatal = false, cap_hit = false;
  for (;;) {
    auto* buf = sinks_.acquire();
    la_ssize_t n = archive_read_data(a_, buf->data(), buf->size());
    if (n == 0) {
      sinks_.release(buf);
      break;
    }
    if (n < 0) {
      sinks_.release(buf);
      const char* msg = archive_error_string(a_);
      std::string m = text_of(msg, "read error");
      if (archive_entry_is_encrypted(e) && m.find("not supported") != std::string::npos) {
        // libarchive decrypts zip (ZipCrypto, WinZip AES) but not 7z AES or RAR.
        stop("\"" + name + "\" is encrypted in a way libarchive cannot decrypt (" + m +
             "); extract it with 7z and give unpack-cdir the folder");
        cap_hit = true;
      } else if (archive_entry_is_encrypted(e) && !decrypted_ &&
                 (looks_like_password_error(msg) || written == 0)) {
        // (Once an entry has decrypted, the password is right: a later failure is damage.)
        stop(looks_like_password_error(msg)
                 ? "wrong password for " + archive_path_ + " (libarchive: " + m + ")"
                 : "wrong password for " + archive_path_ + ", or the archive is damaged at \"" +
                       name + "\", its first encrypted entry (libarchive: " + m + ")");
        cap_hit = true;  // remove the partial file: it holds no evidence
      } else {
        std::string what = "entry \"" + name + "\": data damaged or truncated after " +
                           std::to_string(written) + " bytes (" + m +
                           "); the partial file is kept and marked incomplete";
        // A fatal error (a truncated stream) ends the archive; what came before is kept.
        if (n == ARCHIVE_FATAL)
          truncated(what);
        else
          diag_.report(Severity::kError, archive_path_, std::nullopt, what);
      }
      ok = false;
      fatal = n == ARCHIVE_FATAL;
      break;
    }
    sinks_.submit(id, buf, static_cast<std::size_t>(n));
    written += static_cast<std::uint64_t>(n);
    total_written_ += static_cast<std::uint64_t>(n);
    if (total_written_ > opts_.max_total_bytes) {
      stop("extraction exceeded the size cap of " + human_bytes(opts_.max_total_bytes) + " in \"" +
           name + "\"; raise it with --max-size");
      cap_hit = true;
      break;
    }
    const std::uint64_t consumed =
        static_cast<std::uint64_t>(archive_filter_bytes(a_, -1)) - consumed_at_start;
    if (written > opts_.entry_ratio_floor &&
        static_cast<double>(written) >
            opts_.max_ratio * static_cast<double>(std::max<std::uint64_t>(consumed, 1))) {
      stop("\"" + name + "\" expands more than " +
           std::to_string(static_cast<long long>(opts_.max_ratio)) +
           " times its compressed size (a zip bomb?); raise the cap with --max-ratio");
      cap_hit = true;
      break;
    }
    if (total_written_ > opts_.total_ratio_floor &&
        static_cast<double>(total_written_) >
            opts_.max_ratio * static_cast<double>(std::max<std::uint64_t>(archive_size_, 1))) {
      stop("the archive expands more than " +
           std::to_string(static_cast<long long>(opts_.max_ratio)) +
           " times its size (a zip bomb?); raise the cap with --max-ratio");
      cap_hit = true;
      break;
    }
    if (total_written_ >= next_space_check_) {
      next_space_check_ = total_written_ + (256ULL << 20);
      if (!check_space(0)) {
        cap_hit = true;
        break;
      }
    }
    if (sinks_.failed()) {
      stop("writing under " + tree_.root() + " failed (disk full?)");
      break;
    }
  }
  sinks_.end(id);
  if (existing >= 0) {
    sinks_.drain();
    auto there = hash_descriptor(existing, opts_.hashes);
    ::close(existing);
    const Digests& entry = sinks_.outcome(id).digests;
    if (cap_hit) return false;
    if (!there || there->sha256 != entry.sha256 || there->sha1 != entry.sha1 ||
        there->md5 != entry.md5) {
      refuse(name, "already exists in the output directory with other content; not overwritten");
      return !fatal && staged_.stopped.empty() && staged_.truncated.empty();
    }
    ++staged_.reused;
  } else if (cap_hit) {
    sinks_.drain();
    tree_.remove_file(comps);
    return false;
  }
  sf.complete = ok;
  sf.size = written;
  if (ok && archive_entry_is_encrypted(e)) decrypted_ = true;
  staged_.files.push_back(std::move(sf));
  sink_ids_.push_back(id);
  return !fatal && staged_.stopped.empty() && staged_.truncated.empty();
}

bool Extractor::run(const std::string& out_dir) {
  Utf8LocaleScope utf8;
  struct stat st {};
  if (::stat(archive_path_.c_str(), &st) == 0)
    archive_size_ = static_cast<std::uint64_t>(st.st_size);
  std::unique_ptr<archive, ArchiveCloser> holder(archive_read_new());
  a_ = holder.get();
  archive_read_support_filter_all(a_);
  archive_read_support_format_all(a_);  // not "raw": a non-archive must fail, not pass through
  if (opts_.password) archive_read_add_passphrase(a_, opts_.password->c_str());
  if (archive_size_ == 0) {  // libarchive reads an empty file as an empty archive
    staged_.unreadable = "not a readable archive: the file is empty";
    diag_.unreadable(archive_path_, staged_.unreadable);
    return false;
  }
  if (archive_read_open_filename(a_, archive_path_.c_str(), 1 << 20) != ARCHIVE_OK) {
    staged_.unreadable = "not a readable archive: " + error_of(a_);
    diag_.unreadable(archive_path_, staged_.unreadable);
    return false;
  }
  if (auto r = tree_.open(out_dir, opts_.out_dir_fd); !r) {
    staged_.unreadable = out_dir + ": " + r.error().message;
    diag_.unreadable(out_dir, r.error().message);
    return false;
  }
  if (!check_space(0)) return false;
  Progress progress("unpack", archive_size_, opts_.progress);
  std::uint64_t reported = 0;
  std::size_t entries = 0;
  bool keep_going = true;
  while (keep_going) {
    archive_entry* e = nullptr;
    int r = archive_read_next_header(a_, &e);
    if (r == ARCHIVE_EOF) break;
    if (r == ARCHIVE_WARN) {
      diag_.warning(archive_path_, std::nullopt, "libarchive: " + error_of(a_));
    } else if (r != ARCHIVE_OK) {
      std::string m = error_of(a_);
      if (entries == 0 && r == ARCHIVE_FATAL) {
        // Nothing read: not an archive libarchive knows, or damaged from the start.
        staged_.unreadable = "not a readable archive: " + m;
        diag_.unreadable(archive_path_, staged_.unreadable);
        staged_.stopped = "not a readable archive: " + m;
        break;
      }
      if (looks_like_password_error(m.c_str()) && !opts_.password)
        stop("archive is encrypted: give the password with --password-file (" + m + ")");
      else
        truncated("archive damaged or truncated after " + std::to_string(entries) + " entries (" +
                  m + "); the entries before are kept");
      break;
    }
    ++entries;
    const char* raw = archive_entry_pathname(e);
    if (raw == nullptr) raw = archive_entry_pathname_utf8(e);
    if (raw == nullptr) {
      refuse("#" + std::to_string(entries), "name cannot be read");
      archive_read_data_skip(a_);
      continue;
    }
    DecodedText decoded = decode_windows_text(raw);
    std::string name = decoded.text;
    auto comps = safe_components(name);
    if (!comps) {
      refuse(name, comps.error().message);
      archive_read_data_skip(a_);
      continue;
    }
    name = join(*comps);
    if (decoded.replaced > 0)
      diag_.warning(
          archive_path_, std::nullopt,
          "entry \"" + name + "\": name is neither UTF-8 nor CP932; undecodable bytes replaced");
    const mode_t type = archive_entry_filetype(e);
    if (archive_entry_hardlink(e) != nullptr) {
      refuse(name, "hard link to \"" + text_of(archive_entry_hardlink(e), "?") +
                       "\" (links are never created)");
      archive_read_data_skip(a_);
      continue;
    }
    if (type == AE_IFLNK) {
      refuse(name, "symbolic link to \"" + text_of(archive_entry_symlink(e), "?") +
                       "\" (links are never created)");
      archive_read_data_skip(a_);
      continue;
    }
    if (type == AE_IFDIR) {
      if (auto d = tree_.make_dirs(*comps, true); !d) refuse(name, d.error().message);
      continue;
    }
    if (type != AE_IFREG) {
      refuse(name, "not a regular file (device, FIFO or socket)");
      archive_read_data_skip(a_);
      continue;
    }
    if (!opts_.include_memory && is_memory_image_name(comps->back())) {
      StagedFile sf;
      sf.input_path = name;
      sf.skipped = true;
      sf.encrypted = archive_entry_is_encrypted(e) != 0;
      sf.size = archive_entry_size_is_set(e)
                    ? static_cast<std::uint64_t>(std::max<la_int64_t>(0, archive_entry_size(e)))
                    : 0;
      staged_.files.push_back(std::move(sf));
      sink_ids_.push_back(SIZE_MAX);
      if (archive_read_data_skip(a_) != ARCHIVE_OK) {
        truncated(std::string("archive damaged or truncated inside \"") + name + "\" (" +
                  error_of(a_) + ")");
        break;
      }
      continue;
    }
    keep_going = extract_file(e, *comps, name);
    auto consumed = static_cast<std::uint64_t>(archive_filter_bytes(a_, -1));
    if (consumed > reported) {
      progress.advance(consumed - reported);
      reported = consumed;
    }
  }
  sinks_.drain();
  for (std::size_t i = 0; i < staged_.files.size(); ++i) {
    if (sink_ids_[i] == SIZE_MAX) continue;
    const auto& o = sinks_.outcome(sink_ids_[i]);
    staged_.files[i].digests = o.digests;
    if (!o.error.empty()) {
      staged_.files[i].complete = false;
      diag_.report(Severity::kError, staged_.files[i].path, std::nullopt, o.error);
    }
  }
  progress.finish();
  return staged_.stopped.empty() && staged_.truncated.empty() && staged_.unreadable.empty();
}

}  // namespace

bool stage_archive(const std::string& archive_path, const std::string& out_dir,
                   const UnpackOptions& options, Diagnostics& diag, Staged& staged) {
  Extractor x(archive_path, options, diag, staged);
  return x.run(out_dir);
}

}  // namespace kk::cdir
