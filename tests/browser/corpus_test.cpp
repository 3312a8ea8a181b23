// Conformance with the sqlite3 CLI over every browser database of the shared corpus: the
// records parse-browser writes per file equal the rows sqlite3 counts in the same tables.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>

#include "browser/browser.hpp"

namespace {
// The first line sqlite3 prints for SQL on FILE (read-only, immutable), or "" when the CLI
// is missing or fails.
std::string sqlite3_cli(const std::string& file, const std::string& sql) {
  std::string cmd = "sqlite3 -readonly 'file:" + file + "?immutable=1' \"" + sql + "\" 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {};
  char buf[256] = {};
  std::string out = fgets(buf, sizeof buf, p) ? buf : "";
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}
}  // namespace

TEST_CASE("corpus: parse-browser counts equal sqlite3's on every browser database") {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(KK_CORPUS) / "browser";
  if (!fs::exists(root)) {
    MESSAGE("shared corpus not present, skipped");
    return;
  }
  if (sqlite3_cli("/dev/null", "select 1") != "1") {
    MESSAGE("sqlite3 CLI not installed, skipped");
    return;
  }
  int files = 0;
  for (auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::string path = e.path().string();
    if (path.ends_with(".gz") || path.ends_with("-shm")) continue;
    std::string tables =
        sqlite3_cli(path, "select group_concat(name) from sqlite_master where type='table'");
    std::string expect;
    if (tables.find("moz_historyvisits") != std::string::npos)
      expect =
          sqlite3_cli(path,
                      "select (select count(*) from moz_historyvisits)||'|'||(select "
                      "count(distinct a.place_id) "
                      "from moz_annos a join moz_anno_attributes n on n.id=a.anno_attribute_id "
                      "where n.name='downloads/destinationFileURI')");
    else if (tables.find("visits") != std::string::npos)
      expect =
          sqlite3_cli(path,
                      "select (select count(*) from visits)||'|'||(select count(*) from downloads)"
                      "||'|'||(select count(*) from keyword_search_terms)");
    else if (tables.find("moz_downloads") != std::string::npos)
      expect = sqlite3_cli(path, "select '0|'||(select count(*) from moz_downloads)");
    else
      continue;
    kk::Diagnostics diag("test");
    diag.set_stderr_limit(0);
    std::string out;
    auto sum = kk::browser::parse_file(path, path, {}, out, diag);
    std::string got = std::to_string(sum.visits) + "|" + std::to_string(sum.downloads);
    if (sum.database == "chrome_history") got += "|" + std::to_string(sum.searches);
    INFO(path);
    CHECK(got == expect);
    ++files;
  }
  CHECK(files == 15);
}
