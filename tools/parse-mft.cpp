// parse-mft: one record per $MFT entry (see man/parse-mft.1 and docs/interface.md).
#include "core/cli.hpp"
#include "core/mapped_file.hpp"
#include "core/progress.hpp"
#include "core/time.hpp"
#include "ntfs/mft.hpp"
#include "ntfs/path_filter.hpp"

int main(int argc, char** argv) {
  kk::Tool tool("parse-mft",
                "Parse NTFS $MFT files: one JSONL record per FILE entry, with full paths");
  std::vector<std::string> inputs;
  std::string path_regex, since, format = "jsonl";
  tool.app()
      .add_option("MFT", inputs, "$MFT files (e.g. NTFS/C_$MFT from a CDIR-C bundle)")
      ->required();
  tool.app().add_option(
      "--path-regex", path_regex,
      "Keep entries with a path matching REGEX (POSIX extended, case-insensitive)");
  tool.app().add_option("--since", since, "Keep entries with any $SI or $FN time at or after TIME");
  tool.app()
      .add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  return tool.run(argc, argv, [&](kk::Tool& t) {
    kk::ntfs::MftOptions opts;
    opts.jobs = t.jobs();
    opts.format = format == "csv" ? kk::ntfs::OutputFormat::kCsv : kk::ntfs::OutputFormat::kJsonl;
    if (!path_regex.empty()) {
      std::string err;
      opts.path_filter = kk::ntfs::make_path_filter(path_regex, &err);
      if (!opts.path_filter) {
        t.error("bad --path-regex: " + err);
        return 2;
      }
    }
    if (!t.time_option("--since", since, opts.since)) return 2;
    kk::Output out;
    if (!t.open_output(out)) return 1;
    if (opts.format == kk::ntfs::OutputFormat::kCsv) {
      out.write("\xEF\xBB\xBF");  // UTF-8 BOM so spreadsheet programs read the names right
      out.write(kk::ntfs::mft_csv_header());
    }
    for (const auto& path : inputs) {
      kk::MappedFile f;
      std::string err;
      if (!f.open(path, &err)) {
        t.diag().unreadable(path, err);
        continue;
      }
      if (!kk::ntfs::has_file_record(f.bytes())) {
        t.diag().unreadable(path, f.size() == 0 ? std::string("empty file: no FILE records")
                                                : "not an $MFT: no FILE record signature in " +
                                                      std::to_string(f.size()) + " bytes");
        continue;
      }
      kk::Progress progress(path, f.size() * 2, t.show_progress());  // two passes
      opts.source = path;
      opts.file = path;
      opts.progress = &progress;
      auto stats =
          kk::ntfs::parse_mft(f.bytes(), opts, t.diag(), [&](std::string_view s) { out.write(s); });
      progress.finish();
      if (stats.entries == 0) t.diag().warning(path, std::nullopt, "no FILE records found");
    }
    return out.close() ? 0 : 1;
  });
}
