// A folder's files read for their digests, two at a time on each thread.
//
// MD5, SHA-1 and SHA-256 of one file are already computed in one pass (core/hash_stitched),
// bound by MD5's chain of dependent steps. Two files read side by side on one thread have
// their blocks hashed together (update_pair: two chains in one core), 1.85x the rate of one
// file at a time. Each of a thread's two lanes takes the next file as soon as its own ends,
// so a large file is paired with whatever comes next, not left alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "core/hash.hpp"

namespace kk::cdir {

struct HashOutcome {
  Digests digests;
  std::uint64_t bytes = 0;
  std::string error;       // "cannot open: …", "read failed: …", "copy failed: …"
  double cpu_seconds = 0;  // of the thread that read it (shared with the file beside it)
};

// What reading a file takes: its path, the digests, where its bytes are copied (-1:
// nowhere; the descriptor is closed once the file is read).
struct FileToHash {
  std::string path;
  HashSet hashes;
  int copy_fd = -1;
};

// Reads N files on THREADS threads. PREPARE(i, file, outcome) fills FILE and returns true
// when file I must be read, or fills OUTCOME and returns false when it need not be (a file
// listed only). DONE(i, outcome) is called in index order, one call at a time, on any of
// the threads; what it throws is rethrown here once the threads have stopped.
void hash_files(std::size_t n, unsigned threads,
                const std::function<bool(std::size_t, FileToHash&, HashOutcome&)>& prepare,
                const std::function<void(std::size_t, HashOutcome&&)>& done);

}  // namespace kk::cdir
