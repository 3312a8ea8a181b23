#include "timeline/suspect.hpp"

#include <algorithm>
#include <cctype>

#include "core/ascii_case.hpp"
#include "timeline/record_fields.hpp"

namespace kk::timeline {

namespace {
// NEEDLE occurs in HAY (both lower-case) starting at a name boundary, so "x.exe" matches
// "C:\Temp\x.exe" and "x.exe -a" but not "abx.exe".
bool names(std::string_view hay, std::string_view needle) {
  for (std::size_t p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1)) {
    if (p == 0) return true;
    char b = hay[p - 1];
    if (b == '\\' || b == '/' || b == ' ' || b == '"' || b == '\'' || b == '=' || b == ':')
      return true;
  }
  return false;
}

constexpr std::string_view kTextFields[] = {
    "message",     "path",      "process",    "command_line", "parent",     "parent_command_line",
    "target_path", "file_name", "executable", "key",          "value_data", "object"};

bool is_process_creation(simdjson::dom::element ev) {
  auto id = integer(ev, "event_id");
  if (!id) return false;
  if (*id == 4688) return str(ev, "provider") == "Microsoft-Windows-Security-Auditing";
  return *id == 1 && str(ev, "provider") == "Microsoft-Windows-Sysmon";
}
}  // namespace

SuspectTracker::SuspectTracker(std::vector<std::string> suspects, std::int64_t pid_window)
    : pid_window_(pid_window) {
  for (auto& s : suspects)
    if (!s.empty()) suspects_.push_back(ascii_lower(s));
}

bool SuspectTracker::mentions(simdjson::dom::element ev) const {
  std::string text;
  for (std::string_view f : kTextFields) {
    std::string_view v = str(ev, f);
    if (v.empty()) continue;
    text = ascii_lower(v);
    for (const auto& s : suspects_)
      if (names(text, s)) return true;
  }
  return false;
}

void SuspectTracker::observe(simdjson::dom::element ev) {
  if (!is_process_creation(ev)) return;
  auto pid = integer(ev, "pid");
  std::int64_t ts;
  if (!pid || ev["timestamp"].get(ts) != simdjson::SUCCESS) return;
  Process p{ts,
            *pid,
            integer(ev, "parent_pid").value_or(-1),
            std::string(str(ev, "process_guid")),
            std::string(str(ev, "parent_guid")),
            false};
  // A seed is a process whose image is the suspect file itself.
  for (std::string_view f : {"process", "path"}) {
    std::string v = ascii_lower(str(ev, f));
    for (const auto& s : suspects_)
      if (!v.empty() && names(v, s)) p.seed = true;
  }
  processes_.push_back(std::move(p));
}

std::int64_t SuspectTracker::owner(std::int64_t pid, UtcMicros t) const {
  auto it = by_pid_.find(pid);
  if (it == by_pid_.end()) return -1;
  const auto& v = it->second;
  auto after = std::upper_bound(
      v.begin(), v.end(), t, [&](UtcMicros x, std::size_t i) { return x < processes_[i].created; });
  if (after == v.begin()) return -1;
  std::size_t i = *(after - 1);
  return t - processes_[i].created <= pid_window_ ? static_cast<std::int64_t>(i) : -1;
}

void SuspectTracker::resolve() {
  std::stable_sort(processes_.begin(), processes_.end(),
                   [](const Process& a, const Process& b) { return a.created < b.created; });
  for (std::size_t i = 0; i < processes_.size(); ++i) by_pid_[processes_[i].pid].push_back(i);
  // Parents are created before their children, so one pass in time order suffices.
  for (std::size_t i = 0; i < processes_.size(); ++i) {
    const Process& p = processes_[i];
    bool in = p.seed;
    if (!in && !p.parent_guid.empty()) in = suspect_guids_.count(p.parent_guid) != 0;
    if (!in && p.parent_pid >= 0) {
      std::int64_t o = owner(p.parent_pid, p.created);
      in = o >= 0 && static_cast<std::size_t>(o) != i && processes_[o].pid != p.pid &&
           suspect_procs_.count(static_cast<std::size_t>(o));
    }
    if (!in) continue;
    suspect_procs_.insert(i);
    if (!p.guid.empty()) suspect_guids_.insert(p.guid);
  }
}

bool SuspectTracker::related(simdjson::dom::element ev) const {
  if (mentions(ev)) return true;
  std::string_view guid = str(ev, "process_guid");
  if (!guid.empty() && suspect_guids_.count(std::string(guid))) return true;
  std::string_view parent_guid = str(ev, "parent_guid");
  if (!parent_guid.empty() && suspect_guids_.count(std::string(parent_guid))) return true;
  std::int64_t ts;
  if (ev["timestamp"].get(ts) != simdjson::SUCCESS) return false;
  for (std::string_view f : {"pid", "parent_pid"}) {
    auto pid = integer(ev, f);
    if (!pid) continue;
    std::int64_t o = owner(*pid, ts);
    if (o >= 0 && suspect_procs_.count(static_cast<std::size_t>(o))) return true;
  }
  return false;
}

}  // namespace kk::timeline
