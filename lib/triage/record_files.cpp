#include "triage/record_files.hpp"

#include <stdexcept>

namespace kk::triage {

std::string_view leading_artifact(std::string_view line) {
  constexpr std::string_view kPrefix = "{\"artifact\":\"";
  if (line.substr(0, kPrefix.size()) != kPrefix) return {};
  std::size_t end = line.find('"', kPrefix.size());
  if (end == std::string_view::npos) return {};
  std::string_view name = line.substr(kPrefix.size(), end - kPrefix.size());
  for (char c : name)  // artifact names are identifiers; anything else is not trusted as a file name
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return {};
  return name;
}

Output& RecordFiles::file_for(std::string_view artifact) {
  auto it = files_.find(artifact);
  if (it != files_.end()) return *it->second;
  std::string name = artifact.empty() ? "unknown" : std::string(artifact);
  auto out = std::make_unique<Output>();
  std::string err;
  std::string path = dir_ + "/" + name + ".jsonl";
  if (!out->open(path, &err)) throw std::runtime_error("cannot write " + path + ": " + err);
  return *files_.emplace(name, std::move(out)).first->second;
}

void RecordFiles::write(std::string_view lines) {
  while (!lines.empty()) {
    std::size_t nl = lines.find('\n');
    std::string_view line = nl == std::string_view::npos ? lines : lines.substr(0, nl + 1);
    lines.remove_prefix(line.size());
    std::string_view artifact = leading_artifact(line);
    file_for(artifact).write(line);
    if (line.back() != '\n') file_for(artifact).write("\n");
    ++counts_[artifact.empty() ? "unknown" : std::string(artifact)];
  }
}

bool RecordFiles::close() {
  bool ok = true;
  for (auto& [name, out] : files_) ok = out->close() && ok;
  return ok;
}

std::map<std::string, std::string> RecordFiles::paths() const {
  std::map<std::string, std::string> p;
  for (const auto& [name, out] : files_) p[name] = dir_ + "/" + name + ".jsonl";
  return p;
}

}  // namespace kk::triage
