// Sigma |re values on PCRE2 (Sigma regular expressions are PCRE-flavoured). Matching runs
// with match and depth limits, so a hostile field value cannot make it run away.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace kk::detect {

class Regex {
 public:
  // FLAGS: 'i' (ignore case), 'm' (multi-line), 's' (dot matches newline).
  static Result<std::shared_ptr<Regex>> compile(std::string_view pattern, std::string_view flags);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  // Searches TEXT (unanchored, as Sigma backends do). A limit hit counts as no match.
  bool search(std::string_view text) const;

 private:
  Regex() = default;
  void* code_ = nullptr;  // pcre2_code_8
  void* mctx_ = nullptr;  // pcre2_match_context_8
};

}  // namespace kk::detect
