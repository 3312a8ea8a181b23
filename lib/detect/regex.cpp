#include "detect/regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace kk::detect {

namespace {
// One match-data block per thread, large enough for a search without captures.
struct MatchData {
  pcre2_match_data* md = pcre2_match_data_create(1, nullptr);
  ~MatchData() { pcre2_match_data_free(md); }
};
thread_local MatchData tls_match_data;
}  // namespace

Result<std::shared_ptr<Regex>> Regex::compile(std::string_view pattern, std::string_view flags) {
  std::uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
  for (char f : flags) {
    if (f == 'i') opts |= PCRE2_CASELESS;
    if (f == 'm') opts |= PCRE2_MULTILINE;
    if (f == 's') opts |= PCRE2_DOTALL;
  }
  int err = 0;
  PCRE2_SIZE err_off = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   opts, &err, &err_off, nullptr);
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    return Result<std::shared_ptr<Regex>>::fail("bad regular expression at " +
                                                std::to_string(err_off) + ": " +
                                                reinterpret_cast<const char*>(msg));
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // optional speed-up; interpreter otherwise
  std::shared_ptr<Regex> re(new Regex());
  re->code_ = code;
  auto* mctx = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(mctx, 1'000'000);
  pcre2_set_depth_limit(mctx, 10'000);
  re->mctx_ = mctx;
  return re;
}

Regex::~Regex() {
  pcre2_code_free(static_cast<pcre2_code*>(code_));
  pcre2_match_context_free(static_cast<pcre2_match_context*>(mctx_));
}

bool Regex::search(std::string_view text) const {
  if (text.data() == nullptr) text = std::string_view("", 0);
  int rc =
      pcre2_match(static_cast<pcre2_code*>(code_), reinterpret_cast<PCRE2_SPTR>(text.data()),
                  text.size(), 0, 0, tls_match_data.md, static_cast<pcre2_match_context*>(mctx_));
  return rc >= 0;
}

}  // namespace kk::detect
