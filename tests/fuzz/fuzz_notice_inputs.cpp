// libFuzzer target for the notice's hostile-input surface: CASE.json parsing, JSONL
// records rendered into a notice, and the anonymizer over arbitrary text and records.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/diagnostics.hpp"
#include "notice/notice.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto cp = kk::notice::parse_case(text, "Asia/Tokyo", kk::notice::Lang::kJa);
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  kk::notice::Anonymizer anon("fuzz-key");
  anon.learn_case(cp.value);
  anon.learn(kk::notice::Category::kTerm, text.substr(0, 16));
  kk::notice::NoticeInputs in({"x.exe"});
  in.set_learner(&anon);
  std::size_t start = 0, n = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    in.add_line(std::string_view(text).substr(start, nl - start), "fuzz", ++n, diag);
    start = nl + 1;
  }
  (void)anon.text(text);
  kk::notice::CaseFile c = cp.value;
  kk::notice::anonymize_inputs(anon, in, c);
  // One rendering per input (two made it twice as slow): the input's size picks which.
  kk::notice::RenderOptions opt;
  if (size & 1) {
    opt.format = kk::notice::Format::kMarkdown;
    opt.lang = kk::notice::Lang::kEn;
  }
  (void)kk::notice::render_notice(c, in, opt);
  return 0;
}
