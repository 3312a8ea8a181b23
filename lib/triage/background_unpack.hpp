// A folder bundle hashed beside the parse stage. Parsing needs only each file's place and
// kind, which listing the folder gives at once; the digests (the chain of custody, the
// manifest) cost a core for a second and a half per GB, and the parse stage leaves part of
// a core idle. So triage lists the folder, starts parsing, and hashes it here on threads of
// its own; the main Diagnostics keeps the parse stage's reports meanwhile
// (Diagnostics::close_gate) and finish() tells the unpack's first, as if it had ended
// before the parse began: diagnostics.jsonl is the same as a run one stage after the other.
#pragma once

#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include "cdir/unpack.hpp"
#include "core/diagnostics.hpp"
#include "triage/triage.hpp"

namespace kk::triage {

class BackgroundUnpack {
 public:
  // Starts unpack(INPUT, OUT_DIR, OPTIONS) on a thread of its own and closes DIAG's gate.
  // DIAG outlives this object; the destructor calls finish().
  BackgroundUnpack(std::string input, std::string out_dir, cdir::UnpackOptions options,
                   Diagnostics& diag);
  BackgroundUnpack(const BackgroundUnpack&) = delete;
  BackgroundUnpack& operator=(const BackgroundUnpack&) = delete;
  ~BackgroundUnpack() { finish(); }

  // Waits for the unpack, then tells its reports and those kept since the start. Any
  // thread; the first call does it, the others wait for it.
  void finish();
  // After finish(): what unpack() gave (rethrows what it threw), and its wall and CPU time
  // (its reading threads' included), from the start.
  cdir::UnpackResult& result();
  double seconds() const { return seconds_; }
  double cpu_seconds() const { return cpu_seconds_; }

 private:
  // At most this many of the parse stage's reports are kept before it waits for the unpack.
  static constexpr std::size_t kMaxKept = 20000;

  void run(const std::string& input, const std::string& out_dir,
           const cdir::UnpackOptions& options);

  Diagnostics& diag_;
  Diagnostics held_;  // the unpack's reports, told by finish()
  cdir::UnpackResult result_;
  double seconds_ = 0, cpu_seconds_ = 0;
  std::exception_ptr error_;
  std::mutex mu_;
  bool finished_ = false;
  std::jthread thread_;  // last: starts once the members above exist
};

}  // namespace kk::triage
