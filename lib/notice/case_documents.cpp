// render_case_documents: triage's notice stage. The documents differ only in layout and in
// how many key events they list, so the model (the verdicts, the slow part) is built once
// per row limit rather than once per file, and the three builds run side by side.
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "notice/compose.hpp"
#include "notice/notice.hpp"

namespace kk::notice {

std::vector<CaseDocument> render_case_documents(const CaseFile& c, const NoticeInputs& in,
                                                const RenderOptions& opt, unsigned jobs) {
  // 0: the notice, notice.json and the 速報 (one model); 1: the appendix; 2: the CSV files.
  auto render = [&](std::size_t part) {
    std::vector<CaseDocument> out;
    RenderOptions o = opt;
    if (part == 0) {
      o.part = Part::kNotice;
      const NoticeModel m = build_model(c, in, model_options(o));
      const Document notice = compose_document(c, in, m, o);
      out.push_back({"notice.html", render_html(notice)});
      out.push_back({"notice.md", render_markdown(notice)});
      out.push_back({"notice.json", notice_json(m)});
      o.part = Part::kBrief;
      const Document brief = compose_document(c, in, m, o);
      out.push_back({std::string(kBriefMarkdown), render_markdown(brief)});
      out.push_back({std::string(kBriefHtml), render_html(brief)});
    } else if (part == 1) {
      o.part = Part::kAppendix;
      const NoticeModel m = build_model(c, in, model_options(o));
      out.push_back({std::string(kAppendixHtml), render_html(compose_document(c, in, m, o))});
    } else {
      const NoticeModel m = build_model(c, in, csv_model_options(o));
      for (CsvFile& f : compose_csv_files(c, in, m, o))
        out.push_back({std::move(f.name), std::move(f.content)});
    }
    return out;
  };
  std::vector<CaseDocument> all;
  ordered_parallel(3, jobs, render, [&](std::size_t, std::vector<CaseDocument> docs) {
    for (CaseDocument& d : docs) all.push_back(std::move(d));
  });
  return all;
}

}  // namespace kk::notice
