// parse-srum: SRUM databases (SRUDB.dat) to one JSONL record per usage row: application
// resource usage, network bytes per application and user, connectivity, push
// notifications, energy, app timeline; applications and users resolved.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/folder_inputs.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "srum/srum.hpp"

int main(int argc, char** argv) {
  kk::Tool tool("parse-srum",
                "Parse SRUM databases (SRUDB.dat): per-hour application, network and "
                "energy usage");
  std::vector<std::string> inputs;
  tool.app().add_option("FILE", inputs, "SRUDB.dat files, or folders holding them")->required();
  return tool.run(argc, argv, [&](kk::Tool& t) {
    const std::vector<std::string> paths = kk::expand_folder_inputs(
        inputs, kk::srum::is_srum_database, "folder holds no SRUDB.dat", t.diag());
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
