// parse-evtx: Windows XML Event Log files to JSON Lines (docs/interface.md).
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/output.hpp"
#include "core/time.hpp"
#include "evtx/evtx.hpp"

namespace {

// "4624,4688" (also repeated options) → ids.
bool parse_ids(const std::vector<std::string>& specs, std::vector<std::uint32_t>& ids,
               std::string& bad) {
  for (const auto& spec : specs) {
    std::size_t pos = 0;
    while (pos <= spec.size()) {
      std::size_t comma = spec.find(',', pos);
      if (comma == std::string::npos) comma = spec.size();
      std::string item = spec.substr(pos, comma - pos);
      pos = comma + 1;
      if (item.empty()) continue;
      try {
        std::size_t used = 0;
        unsigned long v = std::stoul(item, &used, 10);
        if (used != item.size() || v > 0xFFFFFFFFul) throw std::out_of_range(item);
        ids.push_back(static_cast<std::uint32_t>(v));
      } catch (const std::exception&) {
        bad = item;
        return false;
      }
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  kk::Tool tool("parse-evtx", "Parse Windows XML Event Log (.evtx) files into JSON Lines records");
  std::vector<std::string> files, event_ids, channels;
  std::string since, until, format = "jsonl";
  kk::evtx::Options opt;
  auto& app = tool.app();
  app.add_option("FILE", files, "EVTX files to parse")->required();
  app.add_flag("--xml", opt.xml, "Add \"xml\": the record rendered as Windows XML text");
  app.add_flag(
      "--recover", opt.recover,
      "Also carve records from chunk slack and unused or damaged chunks (\"recovered\":true)");
  app.add_option("--format", format, "Output format: jsonl or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  app.add_option("--event-id", event_ids,
                 "Keep only these event ids (comma-separated, repeatable)");
  app.add_option("--channel", channels,
                 "Keep only records of this channel (case-insensitive, repeatable)");
  app.add_option("--since", since,
                 "Keep records created at or after TIME (ISO 8601; no offset: --tz)");
  app.add_option("--until", until, "Keep records created at or before TIME");
  return tool.run(argc, argv, [&](kk::Tool& t) {
    std::string bad;
    if (!parse_ids(event_ids, opt.filter.event_ids, bad)) {
      t.error("--event-id: \"" + bad + "\" is not an event id");
      return 2;
    }
    for (const auto& c : channels) opt.filter.channels.push_back(c);
    if (!t.time_option("--since", since, opt.filter.since) ||
        !t.time_option("--until", until, opt.filter.until))
      return 2;
    opt.format = format == "csv" ? kk::evtx::Format::kCsv : kk::evtx::Format::kJsonl;
    opt.jobs = t.jobs();
    opt.progress = t.show_progress();
    kk::Output out;
    if (!t.open_output(out)) return 1;
    std::vector<kk::evtx::Input> inputs;
    for (const auto& f : files) inputs.push_back({f, {}});
    std::string buf;
    kk::evtx::parse_files(inputs, opt, t.diag(), [&](std::string_view lines) { out.write(lines); });
    if (!out.close()) {
      t.error("write error on " + t.options().output);
      return 1;
    }
    return 0;
  });
}
