#include "core/diagnostics.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "core/json_writer.hpp"
#include "core/output.hpp"
#include "core/printable.hpp"

namespace kk {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "error";
}

std::string format_location(std::string_view file, std::optional<std::uint64_t> offset) {
  std::string s(file);
  if (offset) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "@0x%llx", static_cast<unsigned long long>(*offset));
    s += buf;
  }
  return s;
}

Diagnostics::~Diagnostics() {
  if (jsonl_) jsonl_->close();
}

bool Diagnostics::open_jsonl(const std::string& path, std::string* error) {
  auto out = std::make_unique<Output>();
  if (!out->open(path, error)) return false;
  std::lock_guard lock(mu_);
  jsonl_ = std::move(out);
  return true;
}

bool Diagnostics::open_jsonl(AtomicFile file, std::string* error) {
  auto out = std::make_unique<Output>();
  if (!out->open(std::move(file), error)) return false;
  std::lock_guard lock(mu_);
  jsonl_ = std::move(out);
  return true;
}

std::string Diagnostics::jsonl_path() const {
  std::lock_guard lock(mu_);
  return jsonl_ ? jsonl_->written_path() : std::string();
}

std::vector<Diagnostics::Note> Diagnostics::take_notes() {
  std::lock_guard lock(mu_);
  return std::exchange(notes_, {});
}

void Diagnostics::tell(const std::vector<Note>& notes) {
  for (const Note& n : notes) report(n.severity, n.file, n.offset, n.message);
}

void Diagnostics::close_gate(std::size_t max_kept, std::function<void()> when_full) {
  std::lock_guard lock(mu_);
  gated_ = true;
  gate_max_ = max_kept;
  gate_full_ = std::move(when_full);
}

void Diagnostics::open_gate(const std::vector<Note>& first) {
  std::lock_guard open(gate_open_mu_);
  std::vector<Note> kept;
  {
    std::lock_guard lock(mu_);
    if (!gated_) return;
    kept = std::exchange(notes_, {});
  }
  // Still gated while these are told: a report from another thread meanwhile is kept and
  // told after them.
  for (const Note& n : first) tell_now(n.severity, n.file, n.offset, n.message);
  for (;;) {
    for (const Note& n : kept) tell_now(n.severity, n.file, n.offset, n.message);
    std::lock_guard lock(mu_);
    kept = std::exchange(notes_, {});
    if (kept.empty()) {
      gated_ = false;
      return;
    }
  }
}

void Diagnostics::report(Severity sev, std::string_view file, std::optional<std::uint64_t> offset,
                         std::string_view msg) {
  if (holding_) {
    std::lock_guard lock(mu_);
    notes_.push_back(Note{sev, std::string(file), offset, std::string(msg)});
    return;
  }
  for (bool full_told = false;; full_told = true) {
    {
      std::lock_guard lock(mu_);
      if (!gated_) break;
      if (notes_.size() < gate_max_ || !gate_full_ || full_told) {
        notes_.push_back(Note{sev, std::string(file), offset, std::string(msg)});
        return;
      }
    }
    std::call_once(gate_full_once_, gate_full_);  // opens the gate
  }
  tell_now(sev, file, offset, msg);
}

void Diagnostics::tell_now(Severity sev, std::string_view file, std::optional<std::uint64_t> offset,
                           std::string_view msg) {
  // One line, whatever the file name or message hold (they come from evidence).
  std::string line = tool_ + ": ";
  if (!file.empty()) {
    append_printable(line, format_location(file, offset));
    line += ": ";
  }
  append_printable(line, msg);
  line += '\n';
  std::string rec;
  if (jsonl_) {
    JsonWriter w(rec);
    w.begin_object().field("tool", tool_).field("file", file);
    w.key("offset");
    if (offset)
      w.unsigned_integer(*offset);
    else
      w.null();
    w.field("severity", severity_name(sev)).field("message", msg).end_object().end_line();
  }
  std::lock_guard lock(mu_);
  switch (sev) {
    case Severity::kInfo:
      ++infos_;
      break;
    case Severity::kWarning:
      ++warnings_;
      break;
    case Severity::kError:
      ++errors_;
      break;
  }
  if (jsonl_) jsonl_->write(rec);
  // The same message for thousands of files (70,000 tiny .evtx entries in one zip, issue
  // #22) is shown a few times, then counted: finish() prints one summary line for it.
  if (repeats_.size() < kMaxDistinctMessages || repeats_.count(std::string(msg)) > 0) {
    Repeat& rep = repeats_[std::string(msg)];
    if (++rep.count > kSameMessageLines) {
      if (rep.hidden++ == 0) rep.order = repeat_order_++;
      if (sev > rep.severity) rep.severity = sev;
      ++suppressed_;
      return;
    }
  }
  if (printed_ < stderr_limit_ || sev == Severity::kError) {
    std::fwrite(line.data(), 1, line.size(), stderr);
    ++printed_;
  } else {
    ++suppressed_;
  }
}

std::uint64_t Diagnostics::warnings() const {
  std::lock_guard lock(mu_);
  return warnings_;
}
std::uint64_t Diagnostics::errors() const {
  std::lock_guard lock(mu_);
  return errors_;
}

int Diagnostics::exit_code(bool strict) const {
  std::lock_guard lock(mu_);
  if (errors_ > 0) return 1;
  if (strict && warnings_ > 0) return 1;
  return 0;
}

void Diagnostics::flush() {
  std::lock_guard lock(mu_);
  if (jsonl_) jsonl_->flush();
}

void Diagnostics::finish() {
  std::lock_guard lock(mu_);
  std::vector<std::pair<const std::string*, const Repeat*>> hidden;
  for (const auto& [msg, rep] : repeats_)
    if (rep.hidden > 0) hidden.emplace_back(&msg, &rep);
  std::sort(hidden.begin(), hidden.end(),
            [](const auto& a, const auto& b) { return a.second->order < b.second->order; });
  std::uint64_t summarised = 0;
  for (const auto& [msg, rep] : hidden) {
    if (printed_ >= stderr_limit_ && rep->severity != Severity::kError) continue;
    std::string line = tool_ + ": " + std::to_string(rep->hidden) + " more " +
                       std::string(severity_name(rep->severity)) + "s like this: ";
    append_printable(line, *msg);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
    summarised += rep->hidden;
  }
  suppressed_ -= std::min(suppressed_, summarised);
  repeats_.clear();
  if (suppressed_ > 0)
    std::fprintf(stderr, "%s: %llu more diagnostics not shown (use --diagnostics FILE for all)\n",
                 tool_.c_str(), static_cast<unsigned long long>(suppressed_));
  if (jsonl_) {
    jsonl_->close();
    jsonl_.reset();
  }
}

}  // namespace kk
