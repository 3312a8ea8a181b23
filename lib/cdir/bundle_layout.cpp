#include "cdir/bundle_layout.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/ascii_case.hpp"

namespace kk::cdir {

namespace {

std::string_view parent_of(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string_view base_of(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool is_category_dir(std::string_view name) {
  static constexpr std::string_view kDirs[] = {"NTFS", "Evtx", "Prefetch", "Registry",
                                               "WMI",  "SRUM", "Web"};
  for (auto d : kDirs) {
    if (iequals(name, d)) return true;
    if (d != "NTFS" && name.size() == d.size() + 4 && iequals(name, std::string(d) + "_old"))
      return true;
  }
  return false;
}

bool is_root_ntfs_copy(std::string_view file) {
  for (std::string_view n : {std::string_view("$MFT"), std::string_view("$UsnJrnl-$J")}) {
    if (iequals(file, n)) return true;
    if (file.size() == n.size() + 2 && file[1] == '_' && iequals(file.substr(2), n)) return true;
  }
  return false;
}

bool inside(std::string_view path, std::string_view root) {
  if (root.empty()) return true;
  return path.size() > root.size() && path.starts_with(root) && path[root.size()] == '/';
}

std::vector<std::string> split_windows_path(std::string_view p) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find_first_of("\\/", start);
    if (end == std::string_view::npos) end = p.size();
    if (end > start) parts.emplace_back(p.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<std::string> find_bundle_roots(const std::vector<std::string>& files) {
  std::set<std::string> candidates;
  for (const auto& f : files) {
    std::string_view dir = parent_of(f);
    std::string_view file = base_of(f);
    if (iequals(file, "collector-log.txt") || is_root_ntfs_copy(file)) candidates.emplace(dir);
    // A category folder anywhere on the path marks its parent as a root.
    std::string_view rest = dir;
    std::size_t start = 0;
    while (start <= rest.size() && !rest.empty()) {
      std::size_t end = rest.find('/', start);
      if (end == std::string_view::npos) end = rest.size();
      if (is_category_dir(rest.substr(start, end - start)))
        candidates.emplace(start == 0 ? std::string_view() : rest.substr(0, start - 1));
      start = end + 1;
    }
  }
  // Keep the outermost: "PC01_x/Registry/TxR" must not make "PC01_x/Registry" a root.
  std::vector<std::string> roots;
  for (const auto& c : candidates) {  // std::set: parents sort before children
    bool nested =
        std::any_of(roots.begin(), roots.end(), [&](const std::string& r) { return inside(c, r); });
    if (!nested) roots.push_back(c);
  }
  return roots;
}

std::optional<FolderName> parse_folder_name(std::string_view name, std::string_view tz) {
  // Copies made by Windows may carry a suffix such as " (2)" or " - コピー": cut at the first
  // space after the timestamp.
  std::size_t us = name.rfind('_');
  while (us != std::string_view::npos) {
    std::string_view ts = name.substr(us + 1, 14);
    if (ts.size() == 14 && all_digits(ts)) break;
    if (us == 0) return std::nullopt;
    us = name.rfind('_', us - 1);
  }
  if (us == std::string_view::npos || us == 0) return std::nullopt;
  std::string_view ts = name.substr(us + 1, 14);
  std::string_view after = name.substr(us + 1 + 14);
  if (!after.empty() && after.front() != ' ') return std::nullopt;
  FolderName fn;
  std::string_view host = name.substr(0, us);
  if (host.size() > 2 && host[host.size() - 2] == '_' &&
      std::isalpha(static_cast<unsigned char>(host.back()))) {
    fn.drive = static_cast<char>(std::toupper(static_cast<unsigned char>(host.back())));
    host.remove_suffix(2);
  }
  fn.host.assign(host);
  std::string iso = std::string(ts.substr(0, 4)) + "-" + std::string(ts.substr(4, 2)) + "-" +
                    std::string(ts.substr(6, 2)) + " " + std::string(ts.substr(8, 2)) + ":" +
                    std::string(ts.substr(10, 2)) + ":" + std::string(ts.substr(12, 2));
  if (auto t = parse_user_time(iso, tz)) fn.time = *t;
  return fn;
}

Layout detect_layout(const std::vector<std::string>& sources) {
  bool ntfs = false, root = false;
  for (const auto& s : sources) {
    if (istarts_with(s, "NTFS/")) ntfs = true;
    if (s.find('/') == std::string::npos && is_root_ntfs_copy(s)) root = true;
  }
  if (ntfs) return Layout::kV13;
  if (root) return Layout::kV12;
  return Layout::kUnknown;
}

std::string bundle_source_for(std::string_view windows_path, Layout layout) {
  auto p = split_windows_path(windows_path);
  if (p.size() < 2) return {};
  // "\\.\C:" style device prefixes are not used by CDIR-C, but skip a leading "." anyway.
  if (p[0] == "." || p[0] == "?") p.erase(p.begin());
  if (p.size() < 2 || p[0].size() != 2 || p[0][1] != ':') return {};
  const char drive = static_cast<char>(std::toupper(static_cast<unsigned char>(p[0][0])));
  std::string suffix;  // "_old" for files under C:\Windows.old
  std::size_t i = 1;
  if (iequals(p[1], "Windows.old")) {
    suffix = "_old";
    i = 2;
  }
  const std::size_t n = p.size();
  auto at = [&](std::size_t k) -> std::string_view {
    return k < n ? std::string_view(p[k]) : std::string_view();
  };
  auto ntfs = [&](std::string_view name) {
    std::string file = std::string(1, drive) + "_" + std::string(name);
    return layout == Layout::kV12 ? file : "NTFS/" + file;
  };
  // NTFS metadata read raw from the volume.
  if (suffix.empty() && n == 2) {
    if (iequals(p[1], "$MFT")) return ntfs("$MFT");
    if (iequals(p[1], "$SECURE:$SDS")) return ntfs("$SECURE-$SDS");
    if (iequals(p[1], "$Logfile")) return ntfs("$Logfile");
    if (iequals(p[1], "pagefile.sys") || iequals(p[1], "swapfile.sys")) return p[1];
  }
  if (suffix.empty() && n == 3 && iequals(p[1], "$Extend") && iequals(p[2], "$UsnJrnl:$J"))
    return ntfs("$UsnJrnl-$J");
  // Paths below %SystemRoot% and the profiles folder, matched from the end.
  for (std::size_t k = i; k < n; ++k) {
    std::string_view seg = p[k];
    const std::size_t left = n - k;  // segments from k to the end
    if (iequals(seg, "winevt") && left == 3 && iequals(at(k + 1), "Logs"))
      return "Evtx" + suffix + "/" + p[n - 1];
    if (iequals(seg, "Prefetch") && left == 2 && k >= 1 && iequals(p[k - 1], "Windows"))
      return "Prefetch" + suffix + "/" + p[n - 1];
    if (iequals(seg, "config") && left == 2) return "Registry" + suffix + "/" + p[n - 1];
    if (iequals(seg, "config") && left == 3 && iequals(at(k + 1), "TxR"))
      return "Registry" + suffix + "/TxR/" + p[n - 1];
    if (iequals(seg, "AppCompat") && left == 3 && iequals(at(k + 1), "Programs"))
      return "Registry" + suffix + "/" + p[n - 1];
    if (iequals(seg, "wbem") && left >= 3 && iequals(at(k + 1), "Repository")) {
      std::string rest;
      for (std::size_t r = k + 2; r < n; ++r) rest += (rest.empty() ? "" : "/") + p[r];
      return "WMI" + suffix + "/" + rest;
    }
    if (iequals(seg, "sru") && left == 2) return "SRUM" + suffix + "/" + p[n - 1];
    // Per-account hives: C:\Users\<u>\NTUSER.dat -> Registry/<u>_NTUSER.dat, and the
    // service profiles below C:\Windows\ServiceProfiles\<account>.
    if ((iequals(seg, "Users") || iequals(seg, "ServiceProfiles")) && left >= 3) {
      const std::string& user = p[k + 1];
      std::string_view file = p[n - 1];
      bool ntuser = left == 3 && istarts_with(file, "NTUSER.dat");
      bool usrclass = left == 7 && istarts_with(file, "UsrClass.dat") &&
                      iequals(at(k + 2), "AppData") && iequals(at(k + 3), "Local") &&
                      iequals(at(k + 4), "Microsoft") && iequals(at(k + 5), "Windows");
      if (ntuser || usrclass) return "Registry" + suffix + "/" + user + "_" + std::string(file);
      std::string web = "Web" + suffix + "/";
      if (left == 9 && iequals(at(k + 4), "Mozilla") && iequals(at(k + 5), "Firefox"))
        return web + "Firefox/" + user + "_" + p[k + 7] + "_" + std::string(file);
      if (left == 9 && iequals(at(k + 4), "Google") && iequals(at(k + 5), "Chrome"))
        return web + "Chrome/" + user + "_" + p[k + 7] + "_" + std::string(file);
      if (left == 9 && iequals(at(k + 4), "Microsoft") && iequals(at(k + 5), "Edge"))
        return web + "Edge/" + user + "_" + p[k + 7] + "_" + std::string(file);
      if (left == 8 && iequals(at(k + 5), "Windows") && iequals(at(k + 6), "WebCache"))
        return web + "IE10_Edge/" + user + "_" + std::string(file);
    }
  }
  return {};
}

}  // namespace kk::cdir
