// parse-browser: browser history databases (Chrome / Edge / Opera History, Firefox
// places.sqlite and downloads.sqlite) to JSONL visits, downloads and searches; WebCache
// cache entries too.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "browser/browser.hpp"
#include "core/cli.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"

namespace {

// FILE... may name folders (a bundle's Web/ folder): their files are taken in name order.
std::vector<kk::browser::Input> expand_inputs(const std::vector<std::string>& inputs,
                                              kk::Diagnostics& diag) {
  namespace fs = std::filesystem;
  std::vector<kk::browser::Input> out;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (!fs::is_directory(in, ec)) {
      out.push_back({in, in});
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(
             in, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec)) found.push_back(it->path().string());
    if (ec) diag.warning(in, std::nullopt, "folder not fully read: " + ec.message());
    std::sort(found.begin(), found.end());
    std::vector<kk::browser::Input> files;
    for (auto& f : found) files.push_back({f, f});
    auto selected = kk::browser::select_inputs(files, diag);
    if (selected.empty()) diag.warning(in, std::nullopt, "folder holds no browser database");
    out.insert(out.end(), selected.begin(), selected.end());
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  kk::Tool tool("parse-browser",
                "Parse browser history (Chrome/Edge History, Firefox places.sqlite) to JSONL");
  std::vector<std::string> inputs;
  kk::browser::Options opt;
  tool.app()
      .add_option("FILE", inputs, "History / places.sqlite / downloads.sqlite files, or folders")
      ->required();
  tool.app().add_option("--max-chain", opt.max_chain,
                        "Referrer-chain hops followed per visit (default 16)");

  return tool.run(argc, argv, [&](kk::Tool& t) {
    const auto files = expand_inputs(inputs, t.diag());
    kk::Output out;
    if (!t.open_output(out)) return 1;
    kk::Progress progress("parse-browser", files.size(), t.show_progress());
    std::string buf;
    kk::ordered_parallel(
        files.size(), t.jobs(),
        [&](std::size_t i) {
          std::string text;
          kk::browser::parse_file(files[i].path, files[i].source, opt, text, t.diag());
          return text;
        },
        [&](std::size_t, std::string text) {
          buf += text;
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
