#include "triage/record_files.hpp"

#include <stdexcept>

namespace kk::triage {

std::string_view leading_artifact(std::string_view line) {
  constexpr std::string_view kPrefix = "{\"artifact\":\"";
  if (line.substr(0, kPrefix.size()) != kPrefix) return {};
  std::size_t end = line.find('"', kPrefix.size());
  if (end == std::string_view::npos) return {};
  std::string_view name = line.substr(kPrefix.size(), end - kPrefix.size());
  for (char c :
       name)  // artifact names are identifiers; anything else is not trusted as a file name
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return {};
  return name;
}

RecordFiles::File& RecordFiles::file_for(std::string_view artifact) {
  if (artifact.empty()) artifact = "unknown";
  auto it = files_.find(artifact);
  if (it != files_.end()) return *it->second;
  auto f = std::make_unique<File>();
  f->path = dir_.path_of(std::string(artifact) + ".jsonl");
  auto file = dir_.create_file(std::string(artifact) + ".jsonl");
  if (!file) throw std::runtime_error(file.error().message);
  std::string err;
  if (!f->out.open(std::move(*file), &err))
    throw std::runtime_error("cannot write " + f->path + ": " + err);
  f->out.write_in_background();
  return *files_.emplace(std::string(artifact), std::move(f)).first->second;
}

RecordFiles::Written RecordFiles::write_line(std::string_view line) {
  std::string_view artifact = leading_artifact(line);
  if (!last_file_ || artifact != last_artifact_) {
    last_file_ = &file_for(artifact);
    last_count_ = &counts_[artifact.empty() ? "unknown" : std::string(artifact)];
    last_artifact_.assign(artifact);
  }
  File& f = *last_file_;
  f.out.write(line);
  if (line.empty() || line.back() != '\n') f.out.write("\n");
  return {f.path, ++*last_count_};
}

bool RecordFiles::close() {
  bool ok = true;
  for (auto& [name, f] : files_) ok = f->out.close() && ok;
  return ok;
}

}  // namespace kk::triage
