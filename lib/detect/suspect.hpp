// The suspect pivot: every trace of the suspect file (by name, path or hash) across the
// artifacts, sorted into the questions an analyst must answer about it — where it came
// from (file_origin), whether and how it ran (execution), what happened to it afterwards
// (change_history) — whether or not any rule fires.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "detect/event.hpp"
#include "detect/rule.hpp"

namespace kk::detect {

class SuspectMatcher {
 public:
  explicit SuspectMatcher(const std::vector<std::string>& suspects);
  bool empty() const { return needles_.empty(); }
  // True when any field of E names a suspect.
  bool mentions(const Event& e) const;
  // The trace rule E is evidence for (nullptr when E does not name a suspect), and the
  // fields that named it.
  std::shared_ptr<const RuleInfo> classify(const Event& e,
                                           std::vector<std::string>* matched_fields) const;

 private:
  struct Needle {
    enum class Kind { kName, kPath, kHash } kind;
    std::string text;  // lower-cased; paths without drive letter, with backslashes
  };
  bool field_matches(const Field& f) const;
  std::vector<Needle> needles_;
  std::string label_;  // the suspects as given, for titles
};

}  // namespace kk::detect
