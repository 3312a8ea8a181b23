// Buffered output to a file (-o PATH) or standard output ("-").
//
// A file is an AtomicFile (core/atomic_file.hpp): written under a temporary name created
// O_EXCL|O_NOFOLLOW, renamed onto PATH by close(). An Output destroyed without close() (a
// run that failed or threw) leaves nothing behind and a previous PATH as it was.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "core/atomic_file.hpp"
#include "core/out_buffer.hpp"

namespace kk {

class Output {
 public:
  Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  ~Output();  // flushes stdout; an unclosed file is abandoned (see above)

  // "-" or empty: stdout. Returns false with *error set when PATH cannot be created.
  // Committing replaces an existing PATH (a rerun replaces its result once it succeeds).
  bool open(const std::string& path, std::string* error);
  // Writes FILE (created in a case folder: CaseDir::create_file); close() commits it.
  bool open(AtomicFile file, std::string* error);
  // Where the bytes are while the file is open (its temporary name), for reading back.
  const std::string& written_path() const { return file_.temp_path(); }
  // From now on the writing overlaps the caller's work instead of stalling it. A file (not
  // stdout) is written by core/block_writer.hpp: the bytes copied once into aligned 1 MiB
  // blocks, two written at a time, with O_DIRECT where the file system takes it (the kernel's
  // copy into the page cache was a fifth of triage's time on large bundles). Stdout goes to a
  // thread of its own (1 MiB buffers, at most 4 waiting).
  void write_in_background();
  void write(std::string_view s);
  // Writes BUF's bytes and leaves BUF empty. Writing stdout in the background, BUF itself is
  // handed to the writing thread (swapped with a written buffer): no copy of the bytes.
  void write(OutBuffer& buf);
  // Writes and clears BUF once it is large enough (batched writes in hot loops).
  void drain(std::string& buf, std::size_t threshold = 1 << 16) {
    if (buf.size() >= threshold) {
      write(buf);
      buf.clear();
    }
  }
  // Flushes and, for a file, renames it onto its name; returns false if any write failed
  // (disk full, closed pipe) or the rename did (the file is then removed).
  bool close();
  // Pushes buffered bytes to the file (not with write_in_background).
  void flush();
  // Stops writing and removes the file (stdout: flushes).
  void abandon();
  bool failed() const;

 private:
  struct Background;
  std::unique_ptr<Background> bg_;
  AtomicFile file_;
  std::FILE* f_ = nullptr;
  bool owns_ = false;
  bool failed_ = false;
};

}  // namespace kk
