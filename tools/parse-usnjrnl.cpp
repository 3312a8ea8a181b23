// parse-usnjrnl: one record per USN change-journal record (see man/parse-usnjrnl.1).
#include "core/cli.hpp"
#include "core/mapped_file.hpp"
#include "core/progress.hpp"
#include "core/time.hpp"
#include "ntfs/mft.hpp"
#include "ntfs/path_filter.hpp"
#include "ntfs/usnjrnl.hpp"

int main(int argc, char** argv) {
  kk::Tool tool("parse-usnjrnl",
                "Parse NTFS $UsnJrnl:$J change journals: one JSONL record per USN record");
  std::vector<std::string> inputs;
  std::string mft_path, path_regex, since, format = "jsonl";
  tool.app().add_option("J", inputs, "$UsnJrnl:$J files (e.g. NTFS/C_$UsnJrnl-$J)")->required();
  tool.app().add_option("--mft", mft_path, "The same volume's $MFT, to resolve full paths");
  tool.app().add_option("--path-regex", path_regex,
                        "Keep records whose path (or name) matches REGEX (case-insensitive)");
  tool.app().add_option("--since", since, "Keep records at or after TIME");
  tool.app()
      .add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  return tool.run(argc, argv, [&](kk::Tool& t) {
    kk::ntfs::UsnOptions opts;
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
    kk::ntfs::MftIndex index;
    kk::MappedFile mft;
    if (!mft_path.empty()) {
      std::string err;
      if (!mft.open(mft_path, &err)) {
        t.diag().unreadable(mft_path, err);
      } else {
        kk::Progress progress(mft_path, mft.size(), t.show_progress());
        index = kk::ntfs::build_mft_index(mft.bytes(), t.jobs(), t.diag(), mft_path, &progress);
        opts.mft = &index.paths;
      }
    }
    kk::Output out;
    if (!t.open_output(out)) return 1;
    if (opts.format == kk::ntfs::OutputFormat::kCsv) {
      out.write("\xEF\xBB\xBF");
      out.write(kk::ntfs::usn_csv_header());
    }
    for (const auto& path : inputs) {
      kk::MappedFile f;
      std::string err;
      if (!f.open(path, &err)) {
        t.diag().unreadable(path, err);
        continue;
      }
      kk::Progress progress(path, f.size(), t.show_progress());
      opts.source = path;
      opts.file = path;
      opts.progress = &progress;
      auto stats = kk::ntfs::parse_usnjrnl(f.bytes(), opts, t.diag(),
                                           [&](std::string_view s) { out.write(s); });
      progress.finish();
      // Nothing of the format at all is one line and exit 1; only zero fill (a sparse,
      // wrapped journal) is a journal with no records left.
      if (stats.records == 0 && stats.truncated == 0) {
        if (f.size() == 0)
          t.diag().unreadable(path, "empty file: no USN records");
        else if (stats.garbage_bytes > 0)
          t.diag().unreadable(
              path, "not a $UsnJrnl:$J: no USN record in " + std::to_string(f.size()) + " bytes");
        else
          t.diag().warning(path, std::nullopt, "only zero fill: no USN records");
      }
    }
    return out.close() ? 0 : 1;
  });
}
