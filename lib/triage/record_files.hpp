// records/<artifact>.jsonl: routes parser output lines to one file per artifact,
// as the separate tools' outputs would be, so an analyst can re-run any stage.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/case_dir.hpp"
#include "core/output.hpp"

namespace kk::triage {

class RecordFiles {
 public:
  // DIR: the case's records/ folder, files created in it as CaseDir files.
  explicit RecordFiles(CaseDir dir) : dir_(std::move(dir)) {}

  // Appends one record LINE (its '\n' optional) to records/<its "artifact">.jsonl; says
  // where it went.
  struct Written {
    std::string_view path;  // records/<artifact>.jsonl (valid while this object lives)
    std::uint64_t line;     // 1-based line number in that file
  };
  Written write_line(std::string_view line);
  // Closes every file; false if a write failed.
  bool close();

  const std::map<std::string, std::uint64_t>& counts() const { return counts_; }

 private:
  struct File {
    Output out;
    std::string path;
  };
  File& file_for(std::string_view artifact);
  CaseDir dir_;
  std::map<std::string, std::unique_ptr<File>, std::less<>> files_;
  std::map<std::string, std::uint64_t> counts_;
  // Lines come in runs of one artifact (a parser writes a file's records together): the
  // last artifact's file and count are kept, not looked up again for every line.
  std::string last_artifact_;
  File* last_file_ = nullptr;
  std::uint64_t* last_count_ = nullptr;
};

// The value of the leading "artifact" field of a record line, or "" if the line
// does not start with it (every parser writes it first, as the contract orders).
std::string_view leading_artifact(std::string_view line);

}  // namespace kk::triage
