// build-timeline: parser records → one sorted, Timesketch-ready timeline.
#include <filesystem>
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/huge_pages.hpp"
#include "core/progress.hpp"
#include "timeline/timeline_builder.hpp"
#include "timeline/vocabulary.hpp"

namespace {
void print_vocabulary() {
  using namespace kk::timeline;
  std::printf("# key\ttype\tdescription\n");
  for (const auto& h : head_keys())
    std::printf("%.*s\t%.*s\t%.*s\n", int(h.name.size()), h.name.data(),
                int(field_type_name(h.type).size()), field_type_name(h.type).data(),
                int(h.description.size()), h.description.data());
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    const FieldInfo& f = field_info(static_cast<Field>(i));
    std::printf("%.*s\t%.*s\t%.*s\n", int(f.name.size()), f.name.data(),
                int(field_type_name(f.type).size()), field_type_name(f.type).data(),
                int(f.description.size()), f.description.data());
  }
  std::printf("details\tobject\teverything else; values are strings or arrays of strings\n");
  for (std::size_t i = 0; i < kTagCount; ++i) {
    const TagInfo& t = tag_info(static_cast<Tag>(i));
    std::printf("tag:%.*s\t-\t%.*s\n", int(t.name.size()), t.name.data(), int(t.description.size()),
                t.description.data());
  }
}
}  // namespace

int main(int argc, char** argv) {
  kk::use_huge_pages(argv);  // its heap grows large: see core/huge_pages.hpp
  kk::Tool tool("build-timeline",
                "Turn parser records (JSONL) into one timeline sorted by time, ready for "
                "Timesketch, jq or a spreadsheet");
  tool.without_jobs(
      "every event goes through one bounded-memory sort (sorted runs spilled to disk, then merged) "
      "that writes them in time order; the parsers before it, and triage, are parallel");
  std::vector<std::string> inputs;
  std::string lang = "en", format = "jsonl", memory = "512M", temp_dir, details = "text";
  bool dedupe = false, list_fields = false;
  kk::timeline::BuildOptions opt;
  auto& app = tool.app();
  app.add_option("INPUT", inputs, "Parser records (JSONL); none or - for standard input");
  app.add_option("--lang", lang, "Message language: en or ja")->check(CLI::IsMember({"en", "ja"}));
  app.add_option("--format", format, "Output format: jsonl or csv (UTF-8 with BOM)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  app.add_option("--host", opt.host, "Host name for records that do not name one");
  app.add_option("--memory", memory,
                 "Memory budget for sorting; above it sorted runs spill to disk (e.g. 512M, 2G)");
  app.add_option("--temp-dir", temp_dir,
                 "Where spilled runs go (default: the -o directory, else $TMPDIR)");
  app.add_flag("--dedupe", dedupe, "Drop identical events from the same source");
  app.add_option("--details", details,
                 "text (default): \"details\" as one JSON string, so a stock Timesketch "
                 "imports any timeline; object: a nested object (one field per key)")
      ->check(CLI::IsMember({"object", "text"}));
  app.add_flag("--list-fields", list_fields, "Print the field vocabulary and tags, then exit");

  return tool.run(argc, argv, [&](kk::Tool& t) -> int {
    if (list_fields) {
      print_vocabulary();
      return 0;
    }
    kk::timeline::parse_lang(lang, &opt.lang);
    opt.format =
        format == "csv" ? kk::timeline::OutputFormat::kCsv : kk::timeline::OutputFormat::kJsonl;
    opt.memory_budget = kk::timeline::parse_memory_size(memory);
    if (opt.memory_budget == 0) {
      t.error("invalid --memory \"" + memory + "\" (expected e.g. 512M, 2G, 64K)");
      return 2;
    }
    opt.dedupe = dedupe;
    opt.details_as_text = details == "text";
    opt.tz = t.options().tz;
    opt.temp_dir = temp_dir;
    const std::string& o = t.options().output;
    if (opt.temp_dir.empty() && !o.empty() && o != "-") {
      std::filesystem::path parent = std::filesystem::absolute(o).parent_path();
      opt.temp_dir = parent.string();
    }
    kk::Output out;
    if (!t.open_output(out)) return 1;
    kk::timeline::TimelineBuilder builder(opt, t.diag());
    {
      kk::Progress progress("reading records", inputs.size(),
                            t.show_progress() && kk::Progress::stderr_is_terminal());
      for (const auto& in : kk::inputs_or_stdin(inputs)) {
        progress.set_label("reading " + in);
        builder.add_jsonl(in);
        progress.advance(1);
      }
    }
    if (builder.inputs().report_if_empty(t.diag())) return 1;
    // The sorted lines are written on a thread of their own while the next are gathered,
    // a file with O_DIRECT (core/direct_writer): the timeline is as large as the input and
    // is not read back soon, and through the page cache its copy cost more than the sort.
    out.write_in_background();
    bool ok = builder.write(out) && out.close();
    builder.remove_runs();
    if (!ok) {
      t.error("cannot write " + o);
      return 1;
    }
    const auto& s = builder.stats();
    if (!t.options().quiet)
      std::fprintf(stderr,
                   "build-timeline: %llu records -> %llu events (%llu without a time, %llu "
                   "duplicates removed, %llu runs spilled)\n",
                   (unsigned long long)s.records, (unsigned long long)s.events,
                   (unsigned long long)s.untimed, (unsigned long long)s.duplicates,
                   (unsigned long long)s.runs);
    return 0;
  });
}
