// render-notice: the 調査通知書 (investigation notice) from CASE.json and the JSONL
// records of the earlier stages. See man/render-notice.1.
#include <fstream>
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/progress.hpp"
#include "notice/notice.hpp"

using namespace kk::notice;

int main(int argc, char** argv) {
  kk::Tool tool("render-notice",
                "Render the investigation notice (調査通知書) as HTML or Markdown");
  tool.without_jobs(
      "one document from one model; the inputs are the case's findings and window, read once");
  std::string case_path, lang_name = "ja", format_name, before = "3d", key, key_file;
  bool print_template = false, check_only = false, anonymize = false, brief = false,
       appendix = false;
  std::string csv_dir;
  std::vector<std::string> inputs, diagnostics_in;
  auto& app = tool.app();
  app.add_option("--case", case_path,
                 "CASE.json with the intake answers, detection time and suspect files");
  app.add_flag("--case-template", print_template, "Print an empty, commented CASE.json and exit");
  app.add_flag("--check-case", check_only, "Only validate --case and report problems");
  app.add_option("--lang", lang_name, "Language of the notice: ja or en")
      ->check(CLI::IsMember({"ja", "en"}));
  app.add_option("--format", format_name,
                 "html, md or json (notice.json; default: by the -o extension, else html)")
      ->check(CLI::IsMember({"html", "md", "json"}));
  app.add_flag("--brief", brief, "Render the one-page quick report (速報) instead of the notice");
  app.add_flag("--appendix", appendix,
               "Render the appendix (every key event, finding, IOC and file) instead");
  app.add_option("--csv-dir", csv_dir,
                 "Also write the CSV files the notice refers to (key-events.csv, …) into DIR");
  app.add_option("--before", before, "Window start = detection time minus this duration");
  app.add_option("--diagnostics-in", diagnostics_in,
                 "Diagnostics JSONL of earlier stages (repeatable)");
  app.add_flag("--anonymize", anonymize,
               "Replace customer, host, user names, internal IPs, e-mails by pseudonyms");
  app.add_option("--key", key, "Secret key for the pseudonyms of --anonymize");
  app.add_option("--key-file", key_file, "Read the --anonymize key from this file");
  app.add_option("INPUT", inputs, "JSONL: findings, timeline/window events, manifest, diagnostics");

  return tool.run(argc, argv, [&](kk::Tool& t) -> int {
    Lang lang = Lang::kJa;
    parse_lang(lang_name, &lang);
    if (print_template) {
      kk::Output out;
      if (!t.open_output(out)) return 1;
      out.write(case_template(lang));
      return out.close() ? 0 : 1;
    }
    if (case_path.empty()) {
      t.error("--case CASE.json is required (render-notice --case-template prints one to fill in)");
      return 2;
    }
    auto duration = kk::parse_duration(before);
    if (!duration) {
      t.error("--before: " + duration.error().message);
      return 2;
    }
    if (anonymize && key.empty() && key_file.empty()) {
      t.error("--anonymize needs --key or --key-file (the pseudonyms are a keyed hash)");
      return 2;
    }
    std::string text, err;
    if (!read_small_file(case_path, 1 << 20, &text, &err)) {
      t.diag().unreadable(case_path, err);
      return 1;
    }
    CaseParse cp = parse_case(text, t.options().tz, lang);
    for (const auto& p : cp.problems) {
      std::string msg = p.path.empty() ? p.message : p.path + ": " + p.message;
      if (p.error)
        t.diag().report(kk::Severity::kError, case_path, std::nullopt, msg);
      else
        t.diag().warning(case_path, std::nullopt, msg);
    }
    if (!cp.ok()) {
      t.error("the case is incomplete or invalid; no notice was written");
      return 1;
    }
    if (check_only) return 0;
    if (!key_file.empty() && !read_small_file(key_file, 65536, &key, &err)) {
      t.diag().unreadable(key_file, err);
      return 1;
    }
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();

    NoticeInputs in(cp.value.list("detection.suspect_files"));
    Anonymizer anon(key);
    if (anonymize) {
      anon.learn_case(cp.value);
      in.set_learner(&anon);
    }
    std::vector<std::string> files = inputs;
    kk::Progress progress("render-notice", files.size() + diagnostics_in.size(), t.show_progress());
    int status = 0;
    for (const auto& f : files) {
      if (!in.add_file(f, t.diag())) status = 1;
      progress.advance(1);
    }
    for (const auto& f : diagnostics_in) {
      if (!in.add_file(f, t.diag(), true)) status = 1;
      progress.advance(1);
    }
    progress.finish();
    if (anonymize) anonymize_inputs(anon, in, cp.value);

    RenderOptions opt;
    opt.lang = lang;
    opt.tz = t.options().tz;
    opt.before = *duration;
    opt.anonymized = anonymize;
    const std::string& o = t.options().output;
    bool md = format_name == "md" ||
              (format_name.empty() && o.size() > 3 && o.compare(o.size() - 3, 3, ".md") == 0);
    bool json = format_name == "json" ||
                (format_name.empty() && o.size() > 5 && o.compare(o.size() - 5, 5, ".json") == 0);
    opt.format = json ? Format::kJson : md ? Format::kMarkdown : Format::kHtml;
    if (brief && appendix) {
      t.error("--brief and --appendix: choose one");
      return 2;
    }
    opt.part = brief ? Part::kBrief : appendix ? Part::kAppendix : Part::kNotice;
    if (!csv_dir.empty()) {
      for (const auto& csv : notice_csv_files(cp.value, in, opt)) {
        std::ofstream f(csv_dir + "/" + csv.name, std::ios::binary);
        f << csv.content;
        if (!f.flush()) {
          t.error(csv_dir + "/" + csv.name + ": cannot write");
          return 1;
        }
      }
    }
    kk::Output out;
    if (!t.open_output(out)) return 1;
    out.write(render_notice(cp.value, in, opt));
    if (!out.close()) {
      t.error("writing the notice failed");
      return 1;
    }
    return status;
  });
}
