#include "core/diagnostics.hpp"

#include <cerrno>
#include <cstring>

#include "core/json_writer.hpp"

namespace kk {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
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
  if (jsonl_) std::fclose(jsonl_);
}

bool Diagnostics::open_jsonl(const std::string& path, std::string* error) {
  std::lock_guard lock(mu_);
  jsonl_ = std::fopen(path.c_str(), "wb");
  if (!jsonl_) {
    if (error) *error = std::strerror(errno);
    return false;
  }
  return true;
}

void Diagnostics::report(Severity sev, std::string_view file, std::optional<std::uint64_t> offset,
                         std::string_view msg) {
  std::string line = tool_ + ": ";
  if (!file.empty()) line += format_location(file, offset) + ": ";
  line += msg;
  line += '\n';
  std::string rec;
  if (jsonl_) {
    JsonWriter w(rec);
    w.begin_object().field("tool", tool_).field("file", file);
    w.key("offset");
    if (offset) w.unsigned_integer(*offset); else w.null();
    w.field("severity", severity_name(sev)).field("message", msg).end_object().end_line();
  }
  std::lock_guard lock(mu_);
  switch (sev) {
    case Severity::kInfo: ++infos_; break;
    case Severity::kWarning: ++warnings_; break;
    case Severity::kError: ++errors_; break;
  }
  if (jsonl_) std::fwrite(rec.data(), 1, rec.size(), jsonl_);
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
  if (jsonl_) std::fflush(jsonl_);
}

void Diagnostics::finish() {
  std::lock_guard lock(mu_);
  if (suppressed_ > 0)
    std::fprintf(stderr, "%s: %llu more diagnostics not shown (use --diagnostics FILE for all)\n",
                 tool_.c_str(), static_cast<unsigned long long>(suppressed_));
  if (jsonl_) std::fflush(jsonl_);
}

}  // namespace kk
