#include "triage/batch.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/ascii_case.hpp"
#include "core/jsonl_reader.hpp"

namespace kk::triage {

namespace fs = std::filesystem;

namespace {

bool is_archive_name(const std::string& name) {
  static const char* kExt[] = {".zip",    ".7z",  ".tar",     ".tgz", ".tar.gz",
                               ".tar.xz", ".txz", ".tar.zst", ".tzst"};
  for (std::string_view ext : kExt)
    if (name.size() > ext.size() && iends_with(name, ext)) return true;
  return false;
}

// "PC01_20240501120000.zip" -> "PC01_20240501120000".
std::string case_name(const fs::path& p) {
  std::string name = p.filename().string();
  for (const char* e :
       {".tar.gz", ".tar.xz", ".tar.zst", ".zip", ".7z", ".tar", ".tgz", ".txz", ".tzst"}) {
    std::string_view ext(e);
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
      return name.substr(0, name.size() - ext.size());
  }
  return name;
}

// A case file beside the bundle: <name>.case.json, or CASE.json inside a bundle folder.
std::string find_case(const fs::path& bundle) {
  std::error_code ec;
  fs::path beside = bundle.parent_path() / (case_name(bundle) + ".case.json");
  if (fs::is_regular_file(beside, ec)) return beside.string();
  if (fs::is_directory(bundle, ec) && fs::is_regular_file(bundle / "CASE.json", ec))
    return (bundle / "CASE.json").string();
  return {};
}

// The status recorded by a previous run, or "".
std::string previous_status(const std::string& case_dir) {
  JsonlReader r;
  std::string err;
  if (!r.open(case_dir + "/run.json", &err)) return {};
  simdjson::dom::element doc;
  if (r.next(&doc, &err) && err.empty()) return std::string(json_str(doc, "status"));
  return {};
}

}  // namespace

std::vector<BatchItem> list_batch(const std::string& source, const std::string& out_root,
                                  std::string* error) {
  std::vector<fs::path> bundles;
  std::error_code ec;
  if (fs::is_directory(source, ec)) {
    for (const auto& e : fs::directory_iterator(source, ec)) {
      std::string name = e.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      if ((e.is_regular_file() && is_archive_name(name)) || e.is_directory())
        bundles.push_back(e.path());
    }
    std::sort(bundles.begin(), bundles.end());
  } else if (fs::is_regular_file(source, ec)) {
    std::ifstream in(source);
    for (std::string line; std::getline(in, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      bundles.emplace_back(line);
    }
  } else {
    if (error) *error = "cannot read batch source " + source;
    return {};
  }
  std::vector<BatchItem> items;
  std::map<std::string, int> seen;
  for (const auto& b : bundles) {
    std::string name = case_name(b);
    if (int n = seen[name]++; n > 0)
      name += "-" + std::to_string(n + 1);  // same name twice in a list
    items.push_back({b.string(), out_root + "/" + name, find_case(b)});
  }
  return items;
}

int run_batch(const std::vector<BatchItem>& items, const BatchOptions& options,
              const std::string& out_root, const std::string& tool_name, std::string* table) {
  std::error_code ec;
  fs::create_directories(out_root, ec);
  std::ostringstream tsv;
  tsv << "bundle\thost\tstatus\tcritical\thigh\tmedium\tlow\tinfo\tseconds\tcase_dir\terror\n";
  int status = 0;
  for (const auto& item : items) {
    if (options.resume && previous_status(item.case_dir).rfind("completed", 0) == 0) {
      tsv << item.bundle << "\t\tskipped (done)\t\t\t\t\t\t\t" << item.case_dir << "\t\n";
      continue;
    }
    // An unfinished earlier try of ours (it left run.json) is redone from scratch;
    // anything else in the way makes this item fail rather than be deleted.
    if (fs::exists(item.case_dir + "/run.json", ec)) fs::remove_all(item.case_dir, ec);
    Options o = options.base;
    o.bundle = item.bundle;
    o.out_dir = item.case_dir;
    if (o.case_path.empty()) o.case_path = item.case_path;
    Diagnostics diag(tool_name);
    diag.set_stderr_limit(20);
    std::fprintf(stderr, "%s: %s ...\n", tool_name.c_str(), item.bundle.c_str());
    Report r = run(o, diag);
    diag.finish();
    if (r.status == "failed") status = 1;
    std::string hosts;
    for (const auto& h : r.hosts) hosts += (hosts.empty() ? "" : ",") + h;
    auto count = [&](const char* sev) {
      auto it = r.findings.find(sev);
      return it == r.findings.end() ? 0 : it->second;
    };
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", r.seconds);
    std::string err = r.error;
    std::replace(err.begin(), err.end(), '\t', ' ');
    tsv << item.bundle << '\t' << hosts << '\t' << r.status << '\t' << count("critical") << '\t'
        << count("high") << '\t' << count("medium") << '\t' << count("low") << '\t' << count("info")
        << '\t' << secs << '\t' << item.case_dir << '\t' << err << '\n';
  }
  *table = tsv.str();
  std::ofstream(out_root + "/summary.tsv", std::ios::binary) << *table;
  return status;
}

}  // namespace kk::triage
