// parse-srum: SRUM databases (SRUDB.dat) to one JSONL record per usage row: application
// resource usage, network bytes per application and user, connectivity, push
// notifications, energy, app timeline; applications and users resolved.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "srum/srum.hpp"

namespace {

// FILE... may name folders (a bundle's SRUM/ folder): the SRUDB.dat files in them.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs,
                                       kk::Diagnostics& diag) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (!fs::is_directory(in, ec)) {
      out.push_back(in);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(
             in, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && kk::srum::is_srum_database(it->path().string()))
        found.push_back(it->path().string());
    }
    if (found.empty()) diag.warning(in, std::nullopt, "folder holds no SRUDB.dat");
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  kk::Tool tool("parse-srum",
                "Parse SRUM databases (SRUDB.dat): per-hour application, network and "
                "energy usage");
  std::vector<std::string> inputs;
  tool.app().add_option("FILE", inputs, "SRUDB.dat files, or folders holding them")->required();
  return tool.run(argc, argv, [&](kk::Tool& t) {
    const std::vector<std::string> paths = expand_inputs(inputs, t.diag());
    kk::Output out;
    if (!t.open_output(out)) return 1;
    kk::Progress progress("parse-srum", paths.size(), t.show_progress());
    std::string buf;
    kk::ordered_parallel(
        paths.size(), t.jobs(),
        [&](std::size_t i) {
          std::string text;
          kk::srum::srum_file_to_jsonl(paths[i], paths[i], t.diag(),
                                       [&](std::string_view lines) { text.append(lines); });
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
