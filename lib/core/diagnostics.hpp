// Diagnostics as the contract defines them: one stderr line each
// ("TOOL: FILE@0xOFFSET: message") and, with --diagnostics, one JSONL record
// each. Thread-safe. Also tracks what the exit status must be.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/output.hpp"

namespace kk {

enum class Severity { kInfo, kWarning, kError };
std::string_view severity_name(Severity s);

class Diagnostics {
 public:
  explicit Diagnostics(std::string tool) : tool_(std::move(tool)) {}
  Diagnostics(const Diagnostics&) = delete;
  Diagnostics& operator=(const Diagnostics&) = delete;
  ~Diagnostics();

  // Also writes every diagnostic as JSONL to PATH (an Output: it appears under PATH at
  // finish()). Returns false if it cannot be created.
  bool open_jsonl(const std::string& path, std::string* error);
  // The same into FILE (created in a case folder).
  bool open_jsonl(AtomicFile file, std::string* error);
  bool has_jsonl() const { return jsonl_ != nullptr; }
  // Where the JSONL is being written (to read it back after flush()); "" without one.
  std::string jsonl_path() const;
  // Flushes the JSONL file, so a later stage of the same run can read it.
  void flush();
  // Stop echoing to stderr after this many lines (the JSONL file still gets all).
  void set_stderr_limit(std::uint64_t n) { stderr_limit_ = n; }

  // Damage that was skipped or recovered: the run still completes (exit 0, 1 with --strict).
  void warning(std::string_view file, std::optional<std::uint64_t> offset, std::string_view msg) {
    report(Severity::kWarning, file, offset, msg);
  }
  void info(std::string_view file, std::optional<std::uint64_t> offset, std::string_view msg) {
    report(Severity::kInfo, file, offset, msg);
  }
  // An input that could not be read at all: exit status 1.
  void unreadable(std::string_view file, std::string_view msg) {
    report(Severity::kError, file, std::nullopt, msg);
  }
  void report(Severity sev, std::string_view file, std::optional<std::uint64_t> offset,
              std::string_view msg);

  // One report as it came, kept by a holding Diagnostics.
  struct Note {
    Severity severity;
    std::string file;
    std::optional<std::uint64_t> offset;
    std::string message;
  };
  // Work done on several threads (one file each) reports into a holding Diagnostics of its
  // own, which keeps every report instead of telling it; the results' consumer then tells
  // them with tell() in input order, so the case folder's diagnostics.jsonl is the same
  // whatever the threads did first.
  struct Hold {};
  Diagnostics(std::string tool, Hold) : tool_(std::move(tool)), holding_(true) {}
  // What a holding Diagnostics kept, in the order it came; it keeps nothing after.
  std::vector<Note> take_notes();
  // Reports NOTES here, in their order.
  void tell(const std::vector<Note>& notes);

  // A stage that starts before the one whose reports must come first (triage parses a
  // folder bundle while it is still being hashed): reports from now on are kept, not told,
  // until open_gate(). Past MAX_KEPT of them, WHEN_FULL is called once, on the reporting
  // thread, and must open the gate (after waiting for the earlier stage), so what is kept
  // stays bounded; other reporting threads wait for it.
  void close_gate(std::size_t max_kept, std::function<void()> when_full);
  // Tells FIRST, then every report kept since close_gate(), and tells as usual from now on.
  // Once; later calls do nothing.
  void open_gate(const std::vector<Note>& first);

  std::uint64_t warnings() const;
  std::uint64_t errors() const;
  const std::string& tool() const { return tool_; }

  // 0: completed; 1: an input was unreadable, or (strict) any damage.
  int exit_code(bool strict) const;
  // A message text is shown at most kSameMessageLines times on stderr; finish() prints one
  // "N more warnings like this: MESSAGE" line for each (the JSONL file has every one).
  // Prints "N more diagnostics not shown" if the stderr limit cut any; completes the JSONL
  // file (later diagnostics are counted and shown, no longer written there).
  void finish();

 private:
  // To stderr and the JSONL file.
  void tell_now(Severity sev, std::string_view file, std::optional<std::uint64_t> offset,
                std::string_view msg);

  std::string tool_;
  mutable std::mutex mu_;
  std::unique_ptr<Output> jsonl_;
  std::uint64_t warnings_ = 0, errors_ = 0, infos_ = 0, printed_ = 0, suppressed_ = 0;
  std::uint64_t stderr_limit_ = 500;
  // Per message text: how often it came, how many of those stderr did not show.
  struct Repeat {
    std::uint64_t count = 0, hidden = 0, order = 0;
    Severity severity = Severity::kInfo;
  };
  static constexpr std::uint64_t kSameMessageLines = 5;
  static constexpr std::size_t kMaxDistinctMessages = 4096;
  std::unordered_map<std::string, Repeat> repeats_;
  std::uint64_t repeat_order_ = 0;
  bool holding_ = false;
  std::vector<Note> notes_;  // a holding Diagnostics' reports
  // close_gate() .. open_gate(): reports kept in notes_ (under mu_).
  bool gated_ = false;
  std::size_t gate_max_ = 0;
  std::function<void()> gate_full_;
  std::once_flag gate_full_once_;
  std::mutex gate_open_mu_;  // one open_gate() at a time: kept reports are told in order
};

// "FILE@0x1a2000" or "FILE".
std::string format_location(std::string_view file, std::optional<std::uint64_t> offset);

}  // namespace kk
