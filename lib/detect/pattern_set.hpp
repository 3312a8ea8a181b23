// The patterns of a field condition whose values are OR'ed ("any of this list"), flattened
// into one list per comparison kind, so that a field value is tested against all of them in
// one tight loop. A Sigma rule's `contains` or `endswith` list holds dozens to hundreds of
// strings; tested value by value (a matcher, its alternatives, a field lookup and a call per
// string) this was most of detect's per-record time after the prefilter.
#pragma once

#include <string>
#include <vector>

#include "detect/value_matcher.hpp"

namespace kk::detect {

class PatternSet {
 public:
  // Collects the patterns of VALUES; false (and the set stays empty) when some value is not
  // a plain pattern list (regex, cidr, comparison, exists, null, fieldref) or there is none.
  bool assign(const std::vector<ValueMatcher>& values);
  bool empty() const { return size_ == 0; }
  // True when any pattern matches F (the same answer as trying every value's alternatives).
  bool matches(const Field& f) const;

 private:
  // Case-insensitive literals compared with the lower-cased value, cheapest kinds first.
  std::vector<std::string> equals_, starts_, ends_, contains_;
  std::vector<Pattern> other_;  // globs and cased patterns
  std::size_t size_ = 0;
};

}  // namespace kk::detect
