// One Sigma value with its modifiers, compiled once into a matcher over a field value.
//
// Sigma specification (SigmaHQ sigma-specification, "Modifiers"): plain values are
// case-insensitive with * and ? wildcards (\ escapes them); contains/startswith/endswith
// add wildcards; base64/base64offset (after wide/utf16*) and windash expand a value into
// alternatives; re, cidr, lt/lte/gt/gte, exists and fieldref change the comparison.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "detect/event.hpp"

namespace kk::detect {

class Regex;  // PCRE2, private to regex.cpp

// A wildcard pattern reduced to the cheapest comparison that is equivalent.
struct Pattern {
  enum class Kind { kEquals, kStartsWith, kEndsWith, kContains, kGlob };
  Kind kind = Kind::kEquals;
  std::string text;  // lower-cased unless cased; for kGlob the pattern with escapes resolved
  std::vector<bool> literal;  // kGlob: per char of text, true when it is not a wildcard
  bool cased = false;
  bool matches(const Field& f) const;
};

// Builds a pattern from a Sigma string: * and ? are wildcards, \* \? \\ literals;
// LEAD_STAR/TRAIL_STAR add the wildcards of contains/startswith/endswith.
Pattern make_pattern(std::string_view sigma_text, bool cased, bool lead_star = false,
                     bool trail_star = false);
// Builds a pattern from literal text (no wildcards) of kind KIND.
Pattern literal_pattern(std::string_view text, Pattern::Kind kind, bool cased);

class ValueMatcher {
 public:
  enum class Kind { kPatterns, kRegex, kCidr, kCompare, kExists, kNull, kFieldRef };
  ~ValueMatcher();
  ValueMatcher();
  ValueMatcher(ValueMatcher&&) noexcept;
  ValueMatcher& operator=(ValueMatcher&&) noexcept;

  // True when field value F satisfies this value (kExists/kNull are handled by the caller).
  bool matches(const Field& f, const Event& e) const;

  Kind kind = Kind::kPatterns;
  std::vector<Pattern> alternatives;  // any of them (windash / base64offset expansions)
  std::shared_ptr<Regex> regex;
  // cidr
  bool v6 = false;
  unsigned char net[16] = {};
  int prefix = 0;
  // lt/lte/gt/gte
  enum class Cmp { kLt, kLte, kGt, kGte } cmp = Cmp::kLt;
  double number = 0;
  // exists
  bool want = true;
  // fieldref
  std::string other_field;
  std::uint32_t other_id = FieldIds::kNone;
};

// Compiles VALUE (nullopt = YAML null) with MODIFIERS (as written after '|').
// WARNINGS collects notes such as "|expand ignored".
Result<ValueMatcher> compile_value(const std::optional<std::string>& value,
                                   const std::vector<std::string>& modifiers,
                                   std::vector<std::string>& warnings);

// True when TEXT is an IPv4 or IPv6 address inside NET/PREFIX.
bool parse_ip(std::string_view text, unsigned char out[16], bool* v6);

}  // namespace kk::detect
