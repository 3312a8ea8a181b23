// parse-registry: typed records from Windows registry hives (see man/parse-registry.1).
#include <regex>

#include "core/cli.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "registry/registry.hpp"

int main(int argc, char** argv) {
  kk::Tool tool("parse-registry",
                "Typed records (JSONL) from Windows registry hives, dirty ones included");
  std::vector<std::string> hives;
  std::string logs = "auto";
  kk::registry::Options opt;
  bool raw = false;
  tool.app()
      .add_option(
          "HIVE", hives,
          "Registry hive files (SYSTEM, SOFTWARE, NTUSER.DAT, UsrClass.dat, Amcache.hve, …)")
      ->required();
  tool.app()
      .add_option("--logs", logs,
                  "Replay HIVE.LOG1/.LOG2 of dirty hives in memory (auto) or not (none)")
      ->check(CLI::IsMember({"auto", "none"}));
  tool.app().add_flag(
      "--raw", raw,
      "Dump every key with its values as registry_key records instead of typed records");
  tool.app().add_flag("--plugins", opt.plugins, "With --raw, also emit the typed records");
  tool.app().add_option("--key-regex", opt.key_regex,
                        "With --raw: only keys whose path matches (ECMAScript, case-insensitive)");
  tool.app().add_flag(
      "--recover-deleted", opt.recover_deleted,
      "Also emit deleted keys/values found in free cells (registry_key, \"deleted\":true)");
  return tool.run(argc, argv, [&](kk::Tool& t) {
    opt.logs = logs == "none" ? kk::registry::LogMode::kNone : kk::registry::LogMode::kAuto;
    opt.raw = raw;
    bool plugins_flag = t.app().count("--plugins") > 0;
    if (raw && !plugins_flag) opt.plugins = false;
    if (!raw && !plugins_flag) opt.plugins = true;
    if (!opt.key_regex.empty()) {
      try {
        std::regex check(opt.key_regex, std::regex::ECMAScript | std::regex::icase);
      } catch (const std::regex_error& e) {
        t.error("--key-regex: invalid regular expression: " + std::string(e.what()));
        return 2;
      }
    }
    kk::Output out;
    if (!t.open_output(out)) return 1;
    kk::Progress progress("parse-registry", hives.size(),
                          t.show_progress() && kk::Progress::stderr_is_terminal());
    kk::ordered_parallel(
        hives.size(), t.jobs(),
        [&](std::size_t i) {
          std::string buf;
          kk::registry::parse_hive(hives[i], hives[i], opt, buf, t.diag());
          return buf;
        },
        [&](std::size_t, std::string buf) {
          out.write(buf);
          progress.advance(1);
        },
        std::max(2u, t.jobs()));
    progress.finish();
    if (!out.close()) {
      t.error("write error on output");
      return 1;
    }
    return 0;
  });
}
