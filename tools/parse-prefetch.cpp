// parse-prefetch: Windows Prefetch files (XP to Windows 11, plain or MAM-compressed)
// to one JSONL record (or CSV row) per file; --files for one per loaded file.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/ascii_case.hpp"
#include "core/cli.hpp"
#include "core/folder_inputs.hpp"
#include "core/mapped_file.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "prefetch/prefetch.hpp"

namespace {

struct Parsed {
  std::string text;
  std::vector<kk::PrefetchIssue> issues;
  std::string unreadable;  // reason, when the file could not be read at all
};

}  // namespace

int main(int argc, char** argv) {
  kk::Tool tool("parse-prefetch",
                "Parse Windows Prefetch files (.pf, versions 17-31, MAM-compressed or not)");
  std::vector<std::string> inputs;
  std::string format = "jsonl";
  bool files = false;
  tool.app().add_option("FILE", inputs, "Prefetch files, or folders holding them")->required();
  tool.app()
      .add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  tool.app().add_flag("--files", files,
                      "One record per loaded file instead of one per prefetch file");

  return tool.run(argc, argv, [&](kk::Tool& t) {
    const std::vector<std::string> paths = kk::expand_folder_inputs(
        inputs,
        [](const std::string& p) {
          return kk::iequals(std::filesystem::path(p).extension().string(), ".pf");
        },
        "folder holds no .pf files", t.diag());
    kk::Output out;
    if (!t.open_output(out)) return 1;
    const bool csv = format == "csv";
    if (csv) out.write(files ? kk::prefetch_files_csv_header() : kk::prefetch_csv_header());
    kk::Progress progress("parse-prefetch", paths.size(), t.show_progress());
    std::string buf;
    kk::ordered_parallel(
        paths.size(), t.jobs(),
        [&](std::size_t i) {
          Parsed p;
          kk::MappedFile mf;
          if (!mf.open(paths[i], &p.unreadable)) return p;
          auto r = kk::parse_prefetch(mf.bytes());
          if (!r) {
            p.unreadable = r.error().message;
            return p;
          }
          kk::check_consistency(*r, paths[i]);
          p.issues = std::move(r->issues);
          if (csv && files)
            kk::append_prefetch_files_csv(p.text, *r, paths[i]);
          else if (csv)
            kk::append_prefetch_csv(p.text, *r, paths[i]);
          else if (files)
            kk::append_prefetch_files_json(p.text, *r, paths[i]);
          else
            kk::append_prefetch_json(p.text, *r, paths[i]);
          return p;
        },
        [&](std::size_t i, Parsed p) {
          // Diagnostics and output in input order, whatever --jobs is.
          if (!p.unreadable.empty()) t.diag().unreadable(paths[i], p.unreadable);
          for (const auto& issue : p.issues)
            t.diag().report(issue.severity, paths[i], issue.offset, issue.message);
          buf += p.text;
          out.drain(buf);
          progress.advance(1);
        });
    out.write(buf);
    progress.finish();
    if (!out.close()) {
      t.error("cannot write " + t.options().output);
      return 1;
    }
    return 0;
  });
}
