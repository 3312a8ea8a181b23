// anonymize: stable pseudonyms for any JSONL (records, timelines, findings) so samples
// can be shared with research. See man/anonymize.1.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/jsonl_reader.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "notice/notice.hpp"

using namespace kk::notice;

int main(int argc, char** argv) {
  kk::Tool tool("anonymize", "Replace identifiers in JSONL records by stable pseudonyms");
  std::string key, key_file, case_path;
  std::vector<std::string> inputs, terms;
  auto& app = tool.app();
  app.add_option("--key", key,
                 "Secret key of the keyed hash (same key + same input = same pseudonym)");
  app.add_option("--key-file", key_file, "Read the key from this file");
  app.add_option("--case", case_path,
                 "CASE.json whose customer, contacts and device are also replaced");
  app.add_option("--term", terms, "A further name to replace wherever it appears (repeatable)");
  app.add_option("INPUT", inputs, "JSONL files (none or - = standard input)");

  return tool.run(argc, argv, [&](kk::Tool& t) -> int {
    std::string err;
    if (!key_file.empty() && !read_small_file(key_file, 65536, &key, &err)) {
      t.diag().unreadable(key_file, err);
      return 1;
    }
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    if (key.empty()) {
      t.error("--key or --key-file is required (the pseudonyms are a keyed hash of the original)");
      return 2;
    }
    Anonymizer anon(key);
    for (const auto& term : terms) anon.learn(Category::kTerm, term);
    if (!case_path.empty()) {
      std::string text;
      if (!read_small_file(case_path, 1 << 20, &text, &err)) {
        t.diag().unreadable(case_path, err);
        return 1;
      }
      CaseParse cp = parse_case(text, t.options().tz, Lang::kEn);
      anon.learn_case(cp.value);  // even an incomplete case names what must not leak
    }
    // Two passes: learn every identifier first, so a name is replaced even where it
    // appears before the record that names it. Standard input is kept in a temporary file.
    std::vector<std::string> files = kk::inputs_or_stdin(inputs);
    std::string spool;
    for (auto& f : files) {
      if (f != "-") continue;
      char tmpl[] = "/tmp/kakekomi-anonymize-XXXXXX";
      int fd = mkstemp(tmpl);
      if (fd < 0) {
        t.error("cannot create a temporary file for standard input");
        return 1;
      }
      std::FILE* w = fdopen(fd, "wb");
      char buf[65536];
      std::size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) std::fwrite(buf, 1, n, w);
      std::fclose(w);
      spool = tmpl;
      f = spool;
    }
    int status = 0;
    std::vector<bool> readable(files.size(), true);
    kk::Progress progress("anonymize", files.size() * 2, t.show_progress());
    for (std::size_t i = 0; i < files.size(); ++i) {
      kk::JsonlReader r;
      if (!r.open(files[i], &err)) {
        t.diag().unreadable(files[i], err);
        readable[i] = false;
        status = 1;
        continue;
      }
      simdjson::dom::element doc;
      while (r.next(&doc, &err)) {
        if (err.empty()) anon.learn_record(doc);
        err.clear();
      }
      progress.advance(1);
    }
    kk::Output out;
    if (!t.open_output(out)) return 1;
    // The rewrite: the identifiers are all learnt, the Anonymizer only reads now, so batches
    // of lines are rewritten on --jobs threads and written in input order. Memory stays
    // bounded: at most kBatches batches of kBatchLines lines are held at a time.
    constexpr std::size_t kBatchLines = 1024, kBatches = 32;
    std::vector<std::vector<std::string>> batches;
    std::string buf;
    auto rewrite = [&] {
      kk::ordered_parallel(
          batches.size(), t.jobs(),
          [&](std::size_t b) {
            simdjson::dom::parser parser;
            std::string text;
            for (const auto& line : batches[b]) {
              simdjson::dom::element doc;
              if (parser.parse(line).get(doc) != simdjson::SUCCESS) continue;  // checked on reading
              text += anon.record(doc);
              text.push_back('\n');
            }
            return text;
          },
          [&](std::size_t, std::string text) {
            buf += text;
            out.drain(buf);
          });
      batches.clear();
    };
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (!readable[i]) continue;
      kk::JsonlReader r;
      if (!r.open(files[i], &err)) continue;
      simdjson::dom::element doc;
      const std::string shown = files[i] == spool ? "-" : files[i];
      while (r.next(&doc, &err)) {
        if (!err.empty()) {
          // A line that is not JSON cannot be rewritten safely: it is dropped, never copied.
          t.diag().warning(shown, r.line_offset(),
                           "line " + std::to_string(r.line_number()) + ": " + err + ", dropped");
          err.clear();
          continue;
        }
        if (batches.empty() || batches.back().size() == kBatchLines) {
          if (batches.size() == kBatches) rewrite();
          batches.emplace_back();
        }
        batches.back().emplace_back(r.line());
      }
      progress.advance(1);
    }
    rewrite();
    out.write(buf);
    progress.finish();
    if (!spool.empty()) std::remove(spool.c_str());
    if (!out.close()) {
      t.error("writing the output failed");
      return 1;
    }
    return status;
  });
}
