// "What did the suspect file do": the events that mention a suspect file and, for
// process events, those of the suspect's processes and their descendants.
//
// A process is identified by its Sysmon ProcessGuid when there is one, else by its pid
// and creation time: an event with pid P at time t belongs to the latest creation of P
// at or before t, if that is at most pid_window earlier (Windows reuses pids quickly).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/time.hpp"

namespace kk::timeline {

class SuspectTracker {
 public:
  SuspectTracker(std::vector<std::string> suspects, std::int64_t pid_window);

  // Pass 1: called for every event of the input (process creations anywhere in the
  // timeline count, even before the window).
  void observe(simdjson::dom::element event);
  // Between the passes: find the suspect processes and their descendants.
  void resolve();
  // Pass 2: does EVENT belong to the suspect?
  bool related(simdjson::dom::element event) const;

  std::size_t process_count() const { return suspect_guids_.size() + suspect_procs_.size(); }
  // True when any text field of EVENT names a suspect.
  bool mentions(simdjson::dom::element event) const;

 private:
  struct Process {
    UtcMicros created;
    std::int64_t pid, parent_pid;
    std::string guid, parent_guid;
    bool seed;
  };
  // Index into processes_ of the process owning PID at time T, or -1.
  std::int64_t owner(std::int64_t pid, UtcMicros t) const;

  std::vector<std::string> suspects_;  // lower-case
  std::int64_t pid_window_;
  std::vector<Process> processes_;
  std::unordered_map<std::int64_t, std::vector<std::size_t>> by_pid_;  // sorted by time
  std::unordered_set<std::string> suspect_guids_;
  std::unordered_set<std::size_t> suspect_procs_;
};

}  // namespace kk::timeline
