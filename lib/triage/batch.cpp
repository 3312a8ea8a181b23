#include "triage/batch.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/ascii_case.hpp"
#include "core/csv.hpp"
#include "core/jsonl_reader.hpp"
#include "core/printable.hpp"

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
  if (name.empty()) name = p.parent_path().filename().string();  // "PC01_x/"
  for (const char* e :
       {".tar.gz", ".tar.xz", ".tar.zst", ".zip", ".7z", ".tar", ".tgz", ".txz", ".tzst"}) {
    std::string_view ext(e);
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
      return name.substr(0, name.size() - ext.size());
  }
  return name;
}

// The case folder's name for bundle P: never "", "." or ".." (a list line "x/.." must not
// make the case folder OUTROOT's parent), no control characters, not hidden.
std::string safe_case_name(const fs::path& p) {
  std::string name = case_name(p.lexically_normal());
  for (char& c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '_';
  while (!name.empty() && name[0] == '.') name.erase(0, 1);
  return name.empty() ? "bundle" : name;
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

// One summary.tsv cell: one line, no raw tab (escaped as printable text), and no formula
// when Excel opens the table (bundle names and host names come from outside).
std::string tsv_cell(std::string_view v) {
  std::string s = printable(v);
  return csv_formula_like(s) ? "'" + s : s;
}

// The status recorded in run.json by a previous run in ROOT/NAME, or "" (no such folder, a
// link, another user's, no run.json: not a case folder triage made).
std::string previous_status(const CaseDir& root, const std::string& name) {
  auto dir = root.open_dir(name);
  if (!dir) return {};
  int fd = ::openat(dir->fd(), "run.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return {};
  std::string text(64 << 10, '\0');
  ssize_t n = ::read(fd, text.data(), text.size());
  ::close(fd);
  if (n <= 0) return {};
  text.resize(static_cast<std::size_t>(n));
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text).get(doc) != simdjson::SUCCESS) return {};
  std::string status(json_str(doc, "status"));
  return status.empty() ? "unknown" : status;
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
  // Unique names: "X.zip" beside "X.tar.gz" and a folder "X-2" becomes X-3, never a name
  // another bundle of the list has or gets.
  std::vector<std::string> base;
  std::set<std::string> reserved, used;
  for (const auto& b : bundles) reserved.insert(base.emplace_back(safe_case_name(b)));
  std::vector<BatchItem> items;
  for (std::size_t i = 0; i < bundles.size(); ++i) {
    std::string name = base[i];
    for (int k = 2; used.count(name) > 0; ++k) {
      name = base[i] + "-" + std::to_string(k);
      if (reserved.count(name) > 0) name = base[i];  // taken by another bundle: next k
    }
    used.insert(name);
    items.push_back({bundles[i].string(), out_root + "/" + name, find_case(bundles[i]), name});
  }
  return items;
}

int run_batch(const std::vector<BatchItem>& items, const BatchOptions& options,
              const std::string& out_root, const std::string& tool_name, std::string* table) {
  CaseDir::Policy policy;
  policy.allow_content = true;  // earlier cases of the batch stay (--resume)
  for (const auto& item : items) policy.inputs.push_back(item.bundle);
  auto root = CaseDir::open(out_root, policy);
  if (!root) {
    std::fprintf(stderr, "%s: %s\n", tool_name.c_str(), root.error().message.c_str());
    return 1;
  }
  std::ostringstream tsv;
  tsv << "bundle\thost\tstatus\tcritical\thigh\tmedium\tlow\tinfo\tseconds\tcase_dir\terror\n";
  int status = 0;
  for (const auto& item : items) {
    Options o = options.base;
    o.bundle = item.bundle;
    o.out_dir = item.case_dir;
    if (o.case_path.empty()) o.case_path = item.case_path;
    Diagnostics diag(tool_name);
    diag.set_stderr_limit(20);
    Report r;
    std::string previous = previous_status(*root, item.name);
    if (options.resume && previous.rfind("completed", 0) == 0) {
      tsv << tsv_cell(item.bundle) << "\t\tskipped (done)\t\t\t\t\t\t\t" << tsv_cell(item.case_dir)
          << "\t\n";
      continue;
    }
    // A batch never deletes: an unfinished earlier try of ours (it left run.json) is moved
    // aside to NAME.previous-N and redone; anything else in the way fails this item.
    std::string moved_to;
    if (!previous.empty()) {
      for (int k = 1; moved_to.empty() && k < 1000; ++k) {
        std::string aside = item.name + ".previous-" + std::to_string(k);
        if (!root->exists(aside) && root->rename(item.name, aside)) moved_to = aside;
      }
    }
    auto case_dir = root->create_dir(item.name);
    std::fprintf(stderr, "%s: %s ...\n", tool_name.c_str(), printable(item.bundle).c_str());
    if (!case_dir) {
      r.error = case_dir.error().message +
                (root->exists(item.name) ? " (it was not made by this batch: left as it is)" : "");
    } else {
      if (!moved_to.empty())
        diag.info(item.case_dir, std::nullopt,
                  "an unfinished earlier run was moved aside to " + root->path_of(moved_to));
      r = run(o, *case_dir, diag);
    }
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
    std::string err = tsv_cell(r.error);
    tsv << tsv_cell(item.bundle) << '\t' << tsv_cell(hosts) << '\t' << r.status << '\t'
        << count("critical") << '\t' << count("high") << '\t' << count("medium") << '\t'
        << count("low") << '\t' << count("info") << '\t' << secs << '\t' << tsv_cell(item.case_dir)
        << '\t' << err << '\n';
  }
  *table = tsv.str();
  if (auto w = root->write_file("summary.tsv", *table, AtomicFile::Replace::kExisting); !w) {
    std::fprintf(stderr, "%s: %s\n", tool_name.c_str(), w.error().message.c_str());
    status = 1;
  }
  return status;
}

}  // namespace kk::triage
