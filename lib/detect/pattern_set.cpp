#include "detect/pattern_set.hpp"

namespace kk::detect {

bool PatternSet::assign(const std::vector<ValueMatcher>& values) {
  *this = PatternSet();
  for (const ValueMatcher& m : values)
    if (m.kind != ValueMatcher::Kind::kPatterns) return false;
  for (const ValueMatcher& m : values)
    for (const Pattern& p : m.alternatives) {
      ++size_;
      if (p.cased) {
        other_.push_back(p);
        continue;
      }
      switch (p.kind) {
        case Pattern::Kind::kEquals:
          equals_.push_back(p.text);
          break;
        case Pattern::Kind::kStartsWith:
          starts_.push_back(p.text);
          break;
        case Pattern::Kind::kEndsWith:
          ends_.push_back(p.text);
          break;
        case Pattern::Kind::kContains:
          contains_.push_back(p.text);
          break;
        case Pattern::Kind::kGlob:
          other_.push_back(p);
          break;
      }
    }
  return size_ != 0;
}

bool PatternSet::matches(const Field& f) const {
  std::string_view v = f.lower;
  for (const std::string& t : equals_)
    if (v == t) return true;
  for (const std::string& t : starts_)
    if (v.starts_with(t)) return true;
  for (const std::string& t : ends_)
    if (v.ends_with(t)) return true;
  for (const std::string& t : contains_)
    if (v.find(t) != std::string_view::npos) return true;
  for (const Pattern& p : other_)
    if (p.matches(f)) return true;
  return false;
}

}  // namespace kk::detect
