// parse-wmi: permanent WMI event subscriptions (filters, consumers, bindings) from a WMI
// repository's OBJECTS.DATA (with MAPPING*.MAP beside it) to JSONL.
#include <filesystem>
#include <string>
#include <vector>

#include "core/ascii_case.hpp"
#include "core/cli.hpp"
#include "core/parallel.hpp"
#include "wmi/wmi.hpp"

int main(int argc, char** argv) {
  kk::Tool tool("parse-wmi", "Parse WMI permanent event subscriptions from OBJECTS.DATA to JSONL");
  std::vector<std::string> inputs;
  bool no_recover = false;
  tool.app()
      .add_option("OBJECTS_DATA", inputs, "OBJECTS.DATA files, or repository folders holding one")
      ->required();
  tool.app().add_flag("--no-recover", no_recover,
                      "Read only pages the current mapping references (no carving)");

  return tool.run(argc, argv, [&](kk::Tool& t) {
    kk::Output out;
    if (!t.open_output(out)) return 1;
    kk::wmi::Options opt;
    opt.recover = !no_recover;
    // Folders name their OBJECTS.DATA; then one repository per worker (--jobs), output in
    // input order.
    std::vector<std::string> paths;
    for (const auto& in : inputs) {
      std::string path = in;
      std::error_code ec;
      if (std::filesystem::is_directory(in, ec)) {
        path.clear();
        for (auto it = std::filesystem::directory_iterator(in, ec);
             !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
          if (kk::iequals(it->path().filename().string(), "OBJECTS.DATA"))
            path = it->path().string();
        if (path.empty()) {
          t.diag().unreadable(in, "folder holds no OBJECTS.DATA");
          continue;
        }
      }
      paths.push_back(std::move(path));
    }
    std::string buf;
    kk::ordered_parallel(
        paths.size(), t.jobs(),
        [&](std::size_t i) {
          std::string text;
          kk::wmi::parse_repository(paths[i], paths[i], opt, text, t.diag());
          return text;
        },
        [&](std::size_t, std::string text) {
          buf += text;
          out.drain(buf);
        });
    out.write(buf);
    if (!out.close()) {
      t.error("cannot write " + t.options().output);
      return 1;
    }
    return 0;
  });
}
