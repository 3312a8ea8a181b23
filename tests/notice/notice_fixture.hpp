// The fixture incident of tests/data/notice (see make_fixture.py there), loaded once.
#pragma once

#include <string>

#include "../test_util.hpp"
#include "core/diagnostics.hpp"
#include "notice/notice.hpp"

namespace kk_test {

inline std::string notice_data(const std::string& name) {
  return std::string(KK_TEST_DATA) + "/notice/" + name;
}

inline kk::notice::CaseFile fixture_case() {
  auto cp = kk::notice::parse_case(read_file(notice_data("case.json")), "Asia/Tokyo",
                                   kk::notice::Lang::kJa);
  return cp.value;
}

inline void load_fixture(kk::notice::NoticeInputs& in, kk::Diagnostics& diag) {
  for (const char* f : {"findings.jsonl", "window.jsonl", "manifest.jsonl"})
    in.add_file(notice_data(f), diag);
  in.add_file(notice_data("diagnostics.jsonl"), diag, true);
}

inline std::string render_fixture(kk::notice::Lang lang, kk::notice::Format format,
                                  kk::notice::Part part = kk::notice::Part::kNotice) {
  kk::Diagnostics diag("test");
  auto c = fixture_case();
  kk::notice::NoticeInputs in(c.list("detection.suspect_files"));
  load_fixture(in, diag);
  kk::notice::RenderOptions opt;
  opt.lang = lang;
  opt.format = format;
  opt.part = part;
  return kk::notice::render_notice(c, in, opt);
}

// The notice body and its appendix together: what the customer receives in full.
inline std::string render_fixture_all(kk::notice::Lang lang, kk::notice::Format format) {
  return render_fixture(lang, format) + render_fixture(lang, format, kk::notice::Part::kAppendix);
}

inline std::size_t count_of(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace kk_test
